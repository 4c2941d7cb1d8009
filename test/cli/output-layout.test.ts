import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { buildOutputs, type BuildOutputs } from "../../compiler/emit/build-outputs.js";
import { compile, exampleDirs } from "../kustomize/support.js";
import { compileSources } from "../helpers/compile.js";
import { installRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";
import { ONPREM_SPEC } from "../audit/onprem-spec.js";

/**
 * The layout tools rely on: every top-level directory of a build holds cluster-ready documents
 * (an environment, or Argo CD's objects for its own cluster) — runtime-check and k8s-validate are
 * run on each — except the folders they know hold none: `helm/` (finc's chart and the values of
 * the upstream charts it configures), `kustomize/`, `terraform/` and `.finc/`. Falco's chart values
 * in a `runtime-security/` directory broke this (runtime-check: documents without a kind); the
 * rules are now a ConfigMap in each environment. The onprem control plane's files (kube-apiserver's
 * audit Policy and EncryptionConfiguration: no objects of the cluster, and nameless) in top-level
 * `audit/` and `encryption/` broke it too (runtime-check: "metadata.name is missing").
 */
const NOT_CLUSTER_READY = new Set(["helm", "kustomize", "terraform", ".finc"]);

function nonObjects(outputs: BuildOutputs): string[] {
  const problems: string[] = [];
  for (const f of outputs.files) {
    if (NOT_CLUSTER_READY.has(f.path.split("/")[0]!) || !/\.ya?ml$/.test(f.path)) continue;
    for (const d of parseAllDocuments(f.content)) {
      const o = d.toJS() as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | null;
      if (!o || typeof o.apiVersion !== "string" || typeof o.kind !== "string" || typeof o.metadata?.name !== "string") problems.push(f.path);
    }
  }
  return problems;
}

describe("output layout", () => {
  for (const dir of exampleDirs()) {
    it(`${basename(dir)}: outside helm/, kustomize/, terraform/ and .finc/ every YAML document is a named Kubernetes object`, () => {
      const outputs = buildOutputs(compile(dir));
      expect(nonObjects(outputs)).toEqual([]);
      // Not vacuous: the check read the environments.
      expect(outputs.files.filter((f) => !NOT_CLUSTER_READY.has(f.path.split("/")[0]!)).length).toBeGreaterThan(20);
    });
  }

  describe("an onprem platform under compliance pci-dss (audit Policy, EncryptionConfiguration)", () => {
    const program = compileSources({ "p.fin": ONPREM_SPEC });
    const outputs = buildOutputs(program);

    it("writes the kube-apiserver's files, and outside helm/, kustomize/, terraform/ and .finc/ only named Kubernetes objects", () => {
      const kinds = outputs.files.filter((f) => /\.ya?ml$/.test(f.path)).flatMap((f) => parseAllDocuments(f.content).map((d) => (d.toJS() as { kind?: string } | null)?.kind));
      expect(kinds).toContain("Policy");
      expect(kinds).toContain("EncryptionConfiguration");
      expect(nonObjects(outputs)).toEqual([]);
    });

    it.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check passes on every top-level directory of the build", () => {
      const check = installRuntimeCheck();
      const out = writeBuild(program, outputs);
      const dirs = readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory() && !NOT_CLUSTER_READY.has(e.name)).map((e) => e.name);
      expect(dirs).toContain("prod");
      const failed = dirs.flatMap((d) => {
        const r = spawnSync(process.execPath, [check, join(out, d)], { encoding: "utf8" });
        return r.status === 0 ? [] : [`${d}: ${r.stdout.split("\n").filter((l) => l.startsWith("ERROR")).join("; ")}`];
      });
      expect(failed).toEqual([]);
    });
  });
});
