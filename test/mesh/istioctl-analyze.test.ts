import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toYaml, type JsonValue } from "../../compiler/emit/shared/yaml.js";
import { realTool, realToolSkipped } from "../helpers/real-tools.js";
import { compile, directBuild, exampleDirs, tempDir, type Obj } from "../kustomize/support.js";

/**
 * `istioctl analyze --use-kube=false` (Istio's own analyzers, offline) over the Istio and Gateway API
 * objects finc writes for every example and environment, together with the Namespaces, Services,
 * ServiceAccounts, ConfigMaps and Deployments they refer to: no error and no warning (Info findings
 * are not judged). `--all-namespaces`: without it istioctl analyzes only the `default` namespace.
 */
const istioctl = realTool("istioctl");
if (!istioctl) console.warn(`test/mesh/istioctl-analyze: ${realToolSkipped("istioctl")}`);

interface Finding { code: string; level: "Error" | "Warning" | "Info"; message: string; origin?: string }

/** Findings finc cannot avoid, each with the reason. */
const UNAVOIDABLE: readonly { code: string; match: RegExp; why: string }[] = [
  {
    code: "IST0133",
    match: /^Schema validation warning: EnvoyFilter exposes internal implementation details/,
    why: "Istio warns on every EnvoyFilter; `ratelimit` needs Envoy's local_ratelimit filter, and Istio 1.26 has no other API for it",
  },
];

const MESH_GROUPS = /(^|\.)istio\.io\/|^gateway\.networking\.k8s\.io\//;
const REFERRED_KINDS = new Set(["v1|Namespace", "v1|Service", "v1|ServiceAccount", "v1|ConfigMap", "apps/v1|Deployment", "apps/v1|StatefulSet"]);
const analyzed = (o: Obj) => MESH_GROUPS.test(o.apiVersion) || REFERRED_KINDS.has(`${o.apiVersion}|${o.kind}`);

function analyze(objs: readonly Obj[]): Finding[] {
  const file = join(tempDir("istioctl"), "objects.yaml");
  writeFileSync(file, objs.map((o) => toYaml(o as unknown as JsonValue)).join("---\n"));
  const r = spawnSync(istioctl!, ["analyze", "--use-kube=false", "--all-namespaces", "-o", "json", file], { encoding: "utf8" });
  // Exit 0: no error; 79 (analyzer found an error): the JSON still lists the findings. Anything else is a failure to run.
  if (r.status !== 0 && r.status !== 79) throw new Error(`istioctl analyze exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout || "[]") as Finding[];
}

const avoidable = (f: Finding) => f.level !== "Info" && !UNAVOIDABLE.some((o) => o.code === f.code && o.match.test(f.message));

describe.skipIf(!istioctl)("istioctl analyze judges what it is shown", () => {
  // In a namespace other than `default`: without --all-namespaces istioctl would not look at it.
  it("reports a VirtualService bound to a Gateway that does not exist (IST0101), so an empty result means something", () => {
    const vs = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "web", namespace: "payments" },
      spec: { hosts: ["web.example.com"], gateways: ["nowhere"], http: [{ route: [{ destination: { host: "web" } }] }] },
    } as unknown as Obj;
    expect(analyze([vs]).map((f) => `${f.level} ${f.code}`)).toContain("Error IST0101");
  });
});

describe("what istioctl analyze asks of finc's EnvoyFilters, checked without istioctl", () => {
  it.each(exampleDirs())("%s: no EnvoyFilter patch uses a relative operation without a priority (IST0151: it may not be applied)", (dir) => {
    const program = compile(dir);
    for (const env of program.checked.environments) {
      for (const o of directBuild(program, env).values()) {
        if (o.kind !== "EnvoyFilter") continue;
        const spec = o["spec"] as { priority?: number; configPatches: { patch: { operation: string } }[] };
        for (const p of spec.configPatches) {
          if (!spec.priority) expect(["INSERT_BEFORE", "INSERT_AFTER", "REPLACE", "REMOVE"], `${env}: ${o.metadata.name}`).not.toContain(p.patch.operation);
        }
      }
    }
  });
});

describe.each(exampleDirs())("istioctl analyze on %s", (dir) => {
  const program = compile(dir);
  const envs = program.checked.environments;
  const mesh = program.checked.models.get(envs[0]!)!.platform.mesh === "istio";

  it.skipIf(!istioctl || !mesh).each(envs)("%s: no error or warning finc could avoid", (env) => {
    const objs = [...directBuild(program, env).values()].filter(analyzed);
    expect(objs.some((o) => MESH_GROUPS.test(o.apiVersion))).toBe(true);
    const findings = analyze(objs).filter(avoidable);
    expect(findings.map((f) => `${f.level} ${f.code} ${f.origin ?? ""}: ${f.message}`)).toEqual([]);
  });

  it.skipIf(mesh)("SKIPPED: the spec has no `mesh istio`, so finc writes no Istio object to analyze", () => {});
});

it.skipIf(!!istioctl)(`SKIPPED: ${realToolSkipped("istioctl")}`, () => {});
