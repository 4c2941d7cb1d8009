import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, REPO } from "../helpers/compile.js";
import { installedToolCopy } from "../helpers/tool-install.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";
import { k8sValidate, k8sValidateAvailable } from "../secrets/k8s-validate.js";
import { VOLUMES_SPEC } from "./spec.js";

/**
 * The independent tools on a spec using every form (secret file and files from ESO, a Vault-agent
 * file, a shared volume, per-replica volumes on a service and a worker, scratch on disk and in
 * memory), without and with an Istio sidecar mesh: every document schema-valid (k8s-validate) and
 * policy-check --strict passes, runtime-check finds 0 errors — every mount has a volume (claim templates count), the Secret keys
 * the items project exist in the ExternalSecret, the HPA's StatefulSet target exists.
 */
// A StorageClass of the cluster named in the spec is not in finc's output, so runtime-check (which sees only
// the output) would call the claim Pending: the tools run the spec on finc's own tier classes.
const SPEC = VOLUMES_SPEC.replace("gp3-encrypted", "fast");
const MESH = SPEC.replace("  environments dev\n", "  environments dev\n  mesh istio sidecar cni\n");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : p.endsWith(".yaml") ? [p] : [];
  });
}

for (const [name, spec] of [["without a mesh", SPEC], ["with Istio sidecars", MESH]] as const) {
  describe(`secret files and volumes ${name}`, () => {
    let out = "";
    beforeAll(() => {
      const program = compileSources({ "main.fin": spec });
      expect(program.diagnostics.map((d) => d.code)).toEqual([]);
      out = writeBuild(program, buildOutputs(program), "finc-volumes-");
    });

    it.skipIf(!k8sValidateAvailable())("k8s-validate: every document valid", () => {
      const r = k8sValidate(yamlFiles(join(out, "dev")));
      expect(r.results.filter((x) => x.status !== "OK").map((x) => `${x.file}: ${JSON.stringify(x.errors)}`)).toEqual([]);
      expect(r.results.map((x) => x.kind)).toEqual(expect.arrayContaining(["StatefulSet", "PersistentVolumeClaim", "ExternalSecret"]));
    }, 300_000);

    const POLICY = resolve(REPO, "../shared/tools/policy-check");
    it.skipIf(!existsSync(POLICY))("policy-check --strict passes (Polaris dangers, PSS restricted)", () => {
      // One install per content of the tool, shared across test files (tool-install.ts).
      const tool = installedToolCopy(POLICY, ["install", "--no-audit", "--no-fund", "--silent"]);
      const r = spawnSync("node", [join(tool, "check.mjs"), "--strict", "--polaris-dir", resolve(REPO, "../shared/policy/polaris"), join(out, "dev")], { encoding: "utf8" });
      expect(r.status, r.stdout.slice(-3000)).toBe(0);
    }, 300_000);

    it.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check: 0 errors with the needs file", () => {
      const r = runRuntimeCheck(installRuntimeCheck(), out, "dev", true);
      expect(r.findings.filter((f) => f.startsWith("ERROR"))).toEqual([]);
      expect(r.summary).toMatch(/^runtime-check: 0 errors, /);
      console.log(`${name}: ${r.summary}\n${r.findings.join("\n")}`);
    }, 300_000);

    it.skipIf(!RUNTIME_CHECK_PRESENT || name !== "without a mesh")("runtime-check is live: a projected key the ExternalSecret does not sync is an error", () => {
      const path = join(out, "dev/apps/externalsecret-api-secrets.yaml");
      writeFileSync(path, readFileSync(path, "utf8").replace("secretKey: file-tls.key", "secretKey: file-tls-key-renamed"));
      const r = runRuntimeCheck(installRuntimeCheck(), out, "dev", true);
      expect(r.findings.filter((f) => f.startsWith("ERROR")).join("\n")).toContain("file-tls.key");
    }, 300_000);
  });
}
