import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { complianceEvidence } from "../../compiler/model/compliance/profiles.js";
import { compileSources, itReportsEach, platformSpec, serviceSpec } from "../helpers/compile.js";
import { k8sValidate, k8sValidateAvailable } from "../secrets/k8s-validate.js";

function build(signing: string, extra = "") {
  const program = compileSources({ "main.fin": platformSpec(`  image-signing ${signing}\n${extra}`) + serviceSpec("api", "  namespace apps\n") });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  const out = buildOutputs(program, { environments: ["prod"] });
  const file = out.files.find((f) => f.path === "prod/_cluster/clusterpolicy-p-image-signatures.yaml");
  return { out, program, policy: file && (parseYaml(file.content) as Record<string, any>), file };
}

describe("image-signing cosign", () => {
  it("admits a platform pod only with a signature of the KMS key, and pins it to the verified digest", () => {
    const { policy } = build('cosign key "awskms:///alias/p-signing"', '  registry "registry.example.com" credentials vault "ci/registry" key "dockerconfigjson"');
    const rule = policy!.spec.rules[0];
    expect(rule.match).toEqual({ any: [{ resources: { kinds: ["Pod"], namespaces: ["apps"] } }] });
    expect(rule.verifyImages).toEqual([{ imageReferences: ["registry.example.com/*"], failureAction: "Enforce", mutateDigest: true, verifyDigest: true, required: true, attestors: [{ count: 1, entries: [{ keys: { kms: "awskms:///alias/p-signing" } }] }] }]);
    // Pods only: a Deployment rewritten to digests would drift from Git forever under Argo CD self-heal.
    expect(policy!.metadata.annotations["pod-policies.kyverno.io/autogen-controllers"]).toBe("none");
    expect(policy!.spec.failurePolicy).toBe("Fail");
  });

  it("verifies a keyless identity against Fulcio and Rekor, and an inline PEM as a public key", () => {
    const keyless = build('cosign keyless issuer "https://token.actions.githubusercontent.com" subject "https://github.com/bank/*"').policy!;
    expect(keyless.spec.rules[0].verifyImages[0].imageReferences).toEqual(["*"]);
    expect(keyless.spec.rules[0].verifyImages[0].attestors[0].entries).toEqual([{ keyless: { issuer: "https://token.actions.githubusercontent.com", subject: "https://github.com/bank/*", rekor: { url: "https://rekor.sigstore.dev" } } }]);
    const pem = "-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----";
    expect(build(`cosign key "${pem}"`).policy!.spec.rules[0].verifyImages[0].attestors[0].entries[0].keys.publicKeys).toContain("BEGIN PUBLIC KEY");
  });

  it("nothing without image-signing", () => {
    const out = buildOutputs(compileSources({ "main.fin": platformSpec("") + serviceSpec("api", "  namespace apps\n") }));
    expect(out.files.some((f) => f.path.includes("image-signatures"))).toBe(false);
  });

  it("is pci-dss 6.3.3's evidence in the compliance report", () => {
    const { out } = build('cosign key "awskms:///alias/p-signing"', "  compliance pci-dss\n  mesh istio sidecar cni");
    const rows = complianceEvidence(["pci-dss"], out.documents.get("prod") ?? []);
    expect(rows.find((r) => r.rule.requirement === "6.3.3")!.evidence).toContainEqual({ group: "kyverno.io", kind: "ClusterPolicy", namespace: "", name: "p-image-signatures" });
    expect(rows.find((r) => r.rule.requirement === "1.3.1")!.evidence.some((e) => e.name === "p-image-signatures")).toBe(false);
  });

  it.skipIf(!k8sValidateAvailable())("passes the shared k8s-validate (Kyverno's schema)", () => {
    const { file } = build('cosign keyless issuer "https://token.actions.githubusercontent.com" subject "https://github.com/bank/*"');
    const path = join(mkdtempSync(join(tmpdir(), "finc-sign-")), "policy.yaml");
    writeFileSync(path, file!.content);
    const r = k8sValidate([path]);
    expect(r.results.map((x) => [x.status, x.schema])).toEqual([["OK", "crds/kyverno.io/clusterpolicy_v1.json"]]);
  });
});

describe("image-signing diagnostics", () => {
  itReportsEach([
    { name: "another signer", spec: platformSpec("  image-signing notary key \"k\""), code: "FIN3001", covers: "notary", line: 3 },
    { name: "keyless without an issuer", spec: platformSpec('  image-signing cosign keyless subject "x"'), code: "FIN3001", covers: "subject", line: 3 },
  ]);
});
