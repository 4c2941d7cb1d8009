import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { realTool, realToolSkipped } from "../helpers/real-tools.js";
import { build, byKey, compile, directBuild, exampleDirs, parseDocs, tempDir, writeFiles, type Obj } from "../kustomize/support.js";

/**
 * The chart judged by Helm itself (built by scripts/real-tools.sh): `helm lint --strict` passes for
 * every environment, `helm template -f values-<env>.yaml` renders exactly the objects of
 * `finc build --env <env>`, and Helm enforces values.schema.json.
 */
const helm = realTool("helm");
if (!helm) console.warn(`test/helm/real-helm: ${realToolSkipped("helm")}`);

const HASH = "finc.dev/config-hash";
type Annotated = { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } };
const hashOf = (o: Obj) => (o as Annotated).spec?.template?.metadata?.annotations?.[HASH];
/** Helm computes the config checksum from the values (sha256 of toJson); the direct build from the model: compared by shape only. */
const stripHash = (o: Obj): Obj => {
  const c = structuredClone(o) as Obj & Annotated;
  delete c.spec?.template?.metadata?.annotations?.[HASH];
  return c;
};

const run = (args: string[]) => spawnSync(helm!, args, { encoding: "utf8" });

describe.each(exampleDirs())("real helm on the chart of %s", (dir) => {
  const program = compile(dir);
  const envs = program.checked.environments;
  const platform = program.checked.models.get(envs[0]!)!.platform;
  const out = tempDir("helm");
  writeFiles(out, build(program, ["helm"]).files);
  const chart = join(out, "helm", platform.name);
  // Render against the cluster version the spec targets (Chart.yaml's kubeVersion is checked against it).
  const kube = ["--kube-version", `${platform.kubernetes}.0`];

  it.skipIf(!helm).each(envs)("helm lint --strict passes with values-%s.yaml", (env) => {
    const r = run(["lint", "--strict", chart, "-f", join(chart, `values-${env}.yaml`), ...kube]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("0 chart(s) failed");
  });

  it.skipIf(!helm).each(envs)("helm template -f values-%s.yaml renders exactly the objects of the direct build", (env) => {
    const text = execFileSync(helm!, ["template", platform.name, chart, "-f", join(chart, `values-${env}.yaml`), ...kube], { encoding: "utf8" });
    const rendered = byKey(parseDocs(text));
    const direct = directBuild(program, env);
    expect([...rendered.keys()].sort()).toEqual([...direct.keys()].sort());
    for (const [key, obj] of direct) {
      expect(stripHash(rendered.get(key)!), `${env}: ${key}`).toEqual(stripHash(obj));
      if (hashOf(obj) !== undefined) expect(hashOf(rendered.get(key)!), `${env}: ${key}`).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  const values = YAML.parse(readFileSync(join(chart, "values.yaml"), "utf8")) as { services: Record<string, unknown> };
  const svc = Object.keys(values.services)[0]!;
  it.skipIf(!helm).each([
    ["replicas as a string", `services.${svc}.replicas=three`],
    ["an undeclared environment", "environment=qa"],
    ["an unknown service key", `services.${svc}.replica=2`],
  ])("Helm enforces values.schema.json: --set of %s fails with Helm's schema error", (_what, set) => {
    const r = run(["template", platform.name, chart, "--set", set, ...kube]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("values don't meet the specifications of the schema(s)");
  });

  it.skipIf(!!helm)(`SKIPPED: ${realToolSkipped("helm")}`, () => {});
});
