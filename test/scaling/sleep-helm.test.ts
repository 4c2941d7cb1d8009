import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { realTool, realToolSkipped } from "../helpers/real-tools.js";
import { compileSources } from "../helpers/compile.js";
import { build, byKey, directBuild, parseDocs, tempDir, writeFiles, type Obj } from "../kustomize/support.js";

/**
 * The Helm chart of a spec whose dev environment sleeps: `helm template -f values-<env>.yaml`
 * renders exactly the objects of the direct build in both environments — dev's ScaledObjects
 * (minReplicaCount 0, the cron trigger) and prod's plain HPA and awake Kafka ScaledObject.
 */
const helm = realTool("helm");
if (!helm) console.warn(`test/scaling/sleep-helm: ${realToolSkipped("helm")}`);

const SPEC = `platform p {
  cloud        aws
  environments dev, prod
  cost-center  "cc-0001"
}
namespace apps {}
service api {
  namespace apps
  image     "r.io/api:1.0.0"
  port      http 8080
  replicas  2 to 4 at cpu 70%
}
worker indexer {
  namespace apps
  image     "r.io/indexer:1.0.0"
  replicas  1
}
service events {
  namespace apps
  image     "r.io/events:1.0.0"
  port      http 8080
  replicas  1 to 8
  scale     on kafka "payments.events" lag 500
}
environment dev {
  platform.sleep nights weekends timezone "Europe/London"
}
`;

const HASH = "finc.dev/config-hash";
function stripHash<T>(v: T): T {
  if (Array.isArray(v)) return v.map(stripHash) as T;
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => k !== HASH).map(([k, x]) => [k, stripHash(x)])) as T;
}

describe("the Helm chart of a sleeping dev environment", () => {
  const program = compileSources({ "main.fin": SPEC });
  const out = tempDir("helm-sleep");
  writeFiles(out, build(program, ["helm"]).files);
  const dir = join(out, "helm", "p");

  it("compiles without errors", () => {
    expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  });

  it.skipIf(!helm).each(["dev", "prod"])("helm template -f values-%s.yaml renders exactly the direct build", (env) => {
    const rendered = byKey(parseDocs(execFileSync(helm!, ["template", "p", dir, "-f", join(dir, `values-${env}.yaml`), "--kube-version", "1.31.0"], { encoding: "utf8" })));
    const direct = directBuild(program, env);
    expect([...rendered.keys()].sort()).toEqual([...direct.keys()].sort());
    for (const [key, obj] of direct) expect(stripHash(rendered.get(key)!), `${env}: ${key}`).toEqual(stripHash(obj));
    const so = [...rendered.values()].find((o: Obj) => o.kind === "ScaledObject" && o.metadata.name === "events") as unknown as { spec: { minReplicaCount: number } };
    expect(so.spec.minReplicaCount).toBe(env === "dev" ? 0 : 1);
  });
});
