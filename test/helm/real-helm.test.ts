import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { realTool, realToolSkipped } from "../helpers/real-tools.js";
import type { Program } from "../../compiler/program.js";
import { compileSources } from "../helpers/compile.js";
import { build, byKey, compile, directBuild, exampleDirs, parseDocs, tempDir, writeFiles, type Obj } from "../kustomize/support.js";
import { INJECTION_SPEC, PER_ENV_SPECS, TEMPLATE_TEXTS } from "./specs.js";

/**
 * The chart judged by Helm itself (built by scripts/real-tools.sh): `helm lint --strict` passes for
 * every environment, `helm template -f values-<env>.yaml` renders exactly the objects of
 * `finc build --env <env>`, and Helm enforces values.schema.json.
 */
const helm = realTool("helm");
if (!helm) console.warn(`test/helm/real-helm: ${realToolSkipped("helm")}`);

const HASH = "finc.dev/config-hash";
/** Every config checksum annotation of an object (a Deployment's pod template, a CronJob's job template …). */
function hashesOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(hashesOf);
  if (typeof v !== "object" || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) => (k === HASH && typeof x === "string" ? [x] : hashesOf(x)));
}
const hashOf = (o: Obj) => hashesOf(o)[0];
/** Helm computes the config checksum from the values (sha256 of toJson); the direct build from the model: compared by shape only. */
function stripHash<T>(v: T): T {
  if (Array.isArray(v)) return v.map(stripHash) as T;
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => k !== HASH).map(([k, x]) => [k, stripHash(x)])) as T;
}

const run = (args: string[]) => spawnSync(helm!, args, { encoding: "utf8" });

interface Chart { program: Program; envs: readonly string[]; name: string; dir: string; kube: string[] }

function writeChart(program: Program): Chart {
  const envs = program.checked.environments;
  const platform = program.checked.models.get(envs[0]!)!.platform;
  const out = tempDir("helm");
  writeFiles(out, build(program, ["helm"]).files);
  // Render against the cluster version the spec targets (Chart.yaml's kubeVersion is checked against it).
  return { program, envs, name: platform.name, dir: join(out, "helm", platform.name), kube: ["--kube-version", `${platform.kubernetes}.0`] };
}

/** `helm template` with values-<env>.yaml (or only values.yaml) and then `extra` as one more -f file. */
function template(c: Chart, env: string | undefined, extra?: object): Map<string, Obj> {
  const files = env ? ["-f", join(c.dir, `values-${env}.yaml`)] : [];
  if (extra) {
    const file = join(tempDir("helm-values"), "extra.yaml");
    writeFileSync(file, JSON.stringify(extra));
    files.push("-f", file);
  }
  return byKey(parseDocs(execFileSync(helm!, ["template", c.name, c.dir, ...files, ...c.kube], { encoding: "utf8" })));
}
const deployment = (objs: Map<string, Obj>, name: string) => [...objs.values()].find((o) => o.kind === "Deployment" && o.metadata.name === name) as any;

/** `helm template -f values-<env>.yaml` gives exactly the objects of `finc build --env <env>`. */
function expectSameAsDirectBuild(c: Chart, env: string): void {
  const rendered = template(c, env);
  const direct = directBuild(c.program, env);
  expect([...rendered.keys()].sort()).toEqual([...direct.keys()].sort());
  for (const [key, obj] of direct) {
    expect(stripHash(rendered.get(key)!), `${env}: ${key}`).toEqual(stripHash(obj));
    expect(hashesOf(rendered.get(key)!).length, `${env}: ${key}`).toBe(hashesOf(obj).length);
    for (const h of hashesOf(rendered.get(key)!)) expect(h, `${env}: ${key}`).toMatch(/^[0-9a-f]{16}$/);
  }
}

describe.each(exampleDirs())("real helm on the chart of %s", (dir) => {
  const c = writeChart(compile(dir));

  it.skipIf(!helm).each(c.envs)("helm lint --strict passes with values-%s.yaml", (env) => {
    const r = run(["lint", "--strict", c.dir, "-f", join(c.dir, `values-${env}.yaml`), ...c.kube]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("0 chart(s) failed");
  });

  it.skipIf(!helm).each(c.envs)("helm template -f values-%s.yaml renders exactly the objects of the direct build", (env) => {
    expectSameAsDirectBuild(c, env);
  });

  const values = YAML.parse(readFileSync(join(c.dir, "values.yaml"), "utf8")) as { services: Record<string, { config: Record<string, string>; replicas?: number }> };
  // A service that runs as a Deployment (jobs and cron jobs have no replica count).
  const svc = Object.keys(values.services).find((s) => values.services[s]!.replicas !== undefined)!;

  it.skipIf(!helm)("image tag, replicas and resources come from the values", () => {
    const d = deployment(template(c, undefined, { services: { [svc]: { image: { tag: "9.9.9" }, replicas: 7, resources: { limits: { memory: "3Gi" } } } } }), svc);
    expect(d.spec.replicas).toBe(7);
    expect(d.spec.template.spec.containers[0].image).toMatch(/:9\.9\.9$/);
    expect(d.spec.template.spec.containers[0].resources.limits.memory).toBe("3Gi");
  });

  // trading and open-banking-ambient declare no `config` on any service: there is no config value to change.
  const configured = Object.entries(values.services).find(([, s]) => s.replicas !== undefined && Object.keys(s.config).length > 0);
  it.skipIf(!helm || !configured)("a config change in the values changes the pod template's config checksum (the pods roll)", () => {
    const [name, s] = configured!;
    const k = Object.keys(s.config)[0]!;
    // A new value the schema allows: another member of an enum (`LOG_LEVEL = "info"` is typed), else any other string.
    const schema = JSON.parse(readFileSync(join(c.dir, "values.schema.json"), "utf8")) as any;
    const allowed = schema.properties.services.properties[name].properties.config.properties[k]?.enum as string[] | undefined;
    const changed = allowed?.find((v) => v !== s.config[k]) ?? `${s.config[k]}-changed`;
    const before = hashOf(deployment(template(c, undefined), name));
    const after = hashOf(deployment(template(c, undefined, { services: { [name]: { config: { [k]: changed } } } }), name));
    expect(before).toMatch(/^[0-9a-f]{16}$/);
    expect(after).toMatch(/^[0-9a-f]{16}$/);
    expect(after).not.toBe(before);
  });
  it.skipIf(!helm).each([
    ["replicas as a string", `services.${svc}.replicas=three`],
    ["an undeclared environment", "environment=qa"],
    ["an unknown service key", `services.${svc}.replica=2`],
  ])("Helm enforces values.schema.json: --set of %s fails with Helm's schema error", (_what, set) => {
    const r = run(["template", c.name, c.dir, "--set", set, ...c.kube]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("values don't meet the specifications of the schema(s)");
  });
});

describe.each(Object.entries(PER_ENV_SPECS))("real helm on a spec with per-environment differences: %s", (_name, text) => {
  const c = writeChart(compileSources({ "main.fin": text }));
  it.skipIf(!helm).each(c.envs)("helm lint --strict passes and helm template -f values-%s.yaml renders exactly the direct build", (env) => {
    const r = run(["lint", "--strict", c.dir, "-f", join(c.dir, `values-${env}.yaml`), ...c.kube]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expectSameAsDirectBuild(c, env);
  });
});

describe("real helm: the named values of per-environment charts change the objects", () => {
  it.skipIf(!helm)("hosts and the image tag (which the version label follows)", () => {
    const c = writeChart(compileSources({ "main.fin": PER_ENV_SPECS["aws account/cluster/kms, nginx hosts, tags"]! }));
    const objs = template(c, "staging", { services: { web: { hosts: ["web.qa.example.com"], image: { tag: "9.9.9" } } } });
    const ingress = [...objs.values()].find((o) => o.kind === "Ingress") as any;
    expect(ingress.spec.rules[0].host).toBe("web.qa.example.com");
    expect(ingress.spec.tls[0].hosts).toEqual(["web.qa.example.com"]);
    const d = deployment(objs, "web");
    expect(d.metadata.labels["app.kubernetes.io/version"]).toBe("9.9.9");
    expect(d.spec.template.spec.containers[0].image).toBe("registry.example.com/shop/web:9.9.9");
  });

  it.skipIf(!helm)("a per-environment variant (the vault agent's refresh sidecar only in prod) still takes the named values", () => {
    const c = writeChart(compileSources({ "main.fin": PER_ENV_SPECS["vault agent, istio hosts, right-size in prod"]! }));
    const d = deployment(template(c, "prod", { services: { teller: { replicas: 9 } } }), "teller");
    expect(d.spec.replicas).toBe(9);
    const direct = deployment(directBuild(c.program, "prod"), "teller");
    expect(stripHash(d).spec).toMatchObject({ template: { metadata: { annotations: (stripHash(direct) as any).spec.template.metadata.annotations } } });
  });
});

describe("real helm keeps template text from the spec literal", () => {
  const c = writeChart(compileSources({ "main.fin": INJECTION_SPEC }));
  it.skipIf(!helm).each(c.envs)("config values and the migrate command render back exactly as written (%s)", (env) => {
    const objs = template(c, env);
    const cm = [...objs.values()].find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("web")) as Obj & { data: Record<string, string> };
    TEMPLATE_TEXTS.forEach((t, i) => expect(cm.data[`T${i}`], `T${i}`).toBe(t));
    const deployment = objs.get("apps/v1|Deployment|apps|web") as unknown as { spec: { template: { spec: { initContainers: { command: string[] }[] } } } };
    expect(deployment.spec.template.spec.initContainers[0]!.command).toEqual(["sh", "-c", "echo '{{ .Release.Name }}'"]);
    expectSameAsDirectBuild(c, env);
  });
});

it.skipIf(!!helm)(`SKIPPED: ${realToolSkipped("helm")}`, () => {});
