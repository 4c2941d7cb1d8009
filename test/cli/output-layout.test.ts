import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compile, exampleDirs } from "../kustomize/support.js";

/**
 * The layout tools rely on: every top-level directory of a build holds cluster-ready documents
 * (an environment, or Argo CD's objects for its own cluster) — runtime-check and k8s-validate are
 * run on each — except the folders they know hold none: `helm/` (finc's chart and the values of
 * the upstream charts it configures), `kustomize/`, `terraform/` and `.finc/`. Falco's chart values
 * in a `runtime-security/` directory broke this (runtime-check: documents without a kind); the
 * rules are now a ConfigMap in each environment.
 */
const NOT_CLUSTER_READY = new Set(["helm", "kustomize", "terraform", ".finc"]);

describe("output layout", () => {
  for (const dir of exampleDirs()) {
    it(`${basename(dir)}: outside helm/, kustomize/, terraform/ and .finc/ every YAML document is a named Kubernetes object`, () => {
      const outputs = buildOutputs(compile(dir));
      const problems: string[] = [];
      for (const f of outputs.files) {
        if (NOT_CLUSTER_READY.has(f.path.split("/")[0]!) || !/\.ya?ml$/.test(f.path)) continue;
        for (const d of parseAllDocuments(f.content)) {
          const o = d.toJS() as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | null;
          if (!o || typeof o.apiVersion !== "string" || typeof o.kind !== "string" || typeof o.metadata?.name !== "string") problems.push(f.path);
        }
      }
      expect(problems).toEqual([]);
      // Not vacuous: the check read the environments.
      expect(outputs.files.filter((f) => !NOT_CLUSTER_READY.has(f.path.split("/")[0]!)).length).toBeGreaterThan(20);
    });
  }
});
