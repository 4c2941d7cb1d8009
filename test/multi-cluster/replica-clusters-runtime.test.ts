import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";
import { AZURE_TWO_CLUSTERS, GCP_TWO_CLUSTERS } from "./gcp-azure-specs.js";

/** The gcp and azure primary + standby fixtures as a cluster would take them: schema-valid documents, runtime-check without errors. */
const FIXTURES = { gcp: GCP_TWO_CLUSTERS, azure: AZURE_TWO_CLUSTERS } as const;

describe("gcp/azure standby clusters: valid documents, and runtime-check finds no error in either cluster's output", () => {
  it.skipIf(!schemasAvailable)("every document of both clusters validates against its schema (the replica Cluster against the CloudNativePG CRD)", () => {
    for (const [cloud, spec] of Object.entries(FIXTURES)) {
      const out = buildOutputs(compileSources({ "main.fin": spec }));
      const docs = out.files.filter((f) => /^prod-(west|north)\/.*\.yaml$/.test(f.path)).map((f) => ({ path: f.path, o: parseYaml(f.content) as Record<string, any> }));
      expect(docs.some((d) => d.path === "prod-north/" + (cloud === "gcp" ? "wallet" : "savings") + "/cluster-ledger.yaml" && d.o.spec.replica?.enabled === true), cloud).toBe(true);
      for (const d of docs) expect(validateManifest(d.o), `${cloud} ${d.path}`).toEqual([]);
    }
  });

  it.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check with each cluster's needs file: 0 errors", () => {
    const check = installRuntimeCheck();
    for (const [cloud, spec] of Object.entries(FIXTURES)) {
      const program = compileSources({ "main.fin": spec });
      const dir = writeBuild(program, buildOutputs(program));
      for (const env of ["prod-west", "prod-north"]) {
        const r = runRuntimeCheck(check, dir, env, true);
        expect(r.summary, `${cloud} ${env}\n${r.findings.join("\n")}`).toMatch(/^runtime-check: 0 errors,/);
      }
    }
  }, 240_000);
});
