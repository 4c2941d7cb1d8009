import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { compileSources } from "../helpers/compile.js";
import { validateManifest } from "../helpers/schemas.js";
import { buildOutputs, DEFAULT_TARGETS } from "../../compiler/emit/build-outputs.js";
import { build, compile, exampleDirs, tempDir, writeFiles } from "../kustomize/support.js";
import { k8sValidate, k8sValidateAvailable } from "../secrets/k8s-validate.js";
import { complianceEvidence, COMPLIANCE_PROFILE_TABLE, evidenceOf } from "../../compiler/model/compliance/profiles.js";

/**
 * `policy native | kyverno | gatekeeper`: the same CEL in each engine's objects, every object
 * valid by the upstream schemas (../shared/schemas) and the shared k8s-validate.
 */

type Any = Record<string, any>;
const SPEC = (policy: string) => `platform p {
  environments prod
  cloud aws
  regions eu-west-1 primary
  compliance pci-dss
  mesh istio sidecar cni
  registry "registry.example.com" credentials vault "ci/registry" key "dockerconfigjson"
${policy}
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace open-apps {
  security  restricted
  residency eu
}
service api {
  namespace open-apps
  image "registry.example.com/api:1.0.0"
  port  http 8080
}
`;

function output(policy: string) {
  const program = compileSources({ "main.fin": SPEC(policy) });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = buildOutputs(program, { targets: ["kubernetes", "admission"] });
  return { out, objects: out.documents.get("prod")!.map((d) => d.object as Any) };
}
const admissionKinds = (objs: Any[]) => objs.filter((o) => /kyverno|gatekeeper|admissionregistration/.test(o.apiVersion)).map((o) => `${o.kind} ${o.metadata.name}`).sort();
const native = output("");
const vap = (name: string) => native.objects.find((o) => o.kind === "ValidatingAdmissionPolicy" && o.metadata.name === name)!;
const celOf = (validations: Any[]) => validations.map((v) => ({ expression: v.expression, message: v.message }));

describe("policy engines", () => {
  it("native (the default): a policy + binding per namespace for the rules, the default-deny guard and the digest audit", () => {
    expect(admissionKinds(native.objects)).toEqual([
      "ValidatingAdmissionPolicy finc-open-apps", "ValidatingAdmissionPolicy finc-open-apps-audit", "ValidatingAdmissionPolicy finc-open-apps-default-deny",
      "ValidatingAdmissionPolicyBinding finc-open-apps", "ValidatingAdmissionPolicyBinding finc-open-apps-audit", "ValidatingAdmissionPolicyBinding finc-open-apps-default-deny",
    ]);
    const binding = (n: string) => native.objects.find((o) => o.kind === "ValidatingAdmissionPolicyBinding" && o.metadata.name === n)!;
    expect(binding("finc-open-apps").spec).toEqual({ policyName: "finc-open-apps", validationActions: ["Deny"], matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "open-apps" } } } });
    expect(binding("finc-open-apps-audit").spec.validationActions).toEqual(["Warn", "Audit"]);
  });

  it("kyverno: one ClusterPolicy per namespace with the native CEL, the guard, the default-deny lookup, and the digest rule in Audit", () => {
    const { objects } = output("  policy kyverno");
    expect(admissionKinds(objects)).toEqual(["ClusterPolicy finc-open-apps"]);
    const cp = objects.find((o) => o.kind === "ClusterPolicy")!;
    const rule = (n: string) => (cp.spec.rules as Any[]).find((r) => r.name === n)!;
    expect(rule("finc-rules").validate.cel.expressions).toEqual(celOf(vap("finc-open-apps").spec.validations));
    expect(rule("finc-rules").celPreconditions).toEqual(vap("finc-open-apps").spec.matchConditions);
    expect(rule("finc-rules").match.any[0].resources.namespaces).toEqual(["open-apps"]);
    expect(rule("finc-rules").match.any[0].resources.kinds).not.toContain("argoproj.io/v1alpha1/Rollout");
    expect(rule("default-deny-kept").validate.cel.expressions).toEqual(celOf(vap("finc-open-apps-default-deny").spec.validations));
    expect(rule("default-deny-present").context[0].apiCall.urlPath).toBe("/apis/networking.k8s.io/v1/namespaces/open-apps/networkpolicies");
    expect(rule("finc-audit").validate.failureAction).toBe("Audit");
    expect(validateManifest(cp)).toEqual([]);
  });

  it("gatekeeper: a ConstraintTemplate (K8sNativeValidation, the native CEL) and a constraint per policy, bound to the namespace", () => {
    const { objects } = output("  policy gatekeeper");
    const templates = objects.filter((o) => o.kind === "ConstraintTemplate");
    expect(templates.map((t) => t.spec.crd.spec.names.kind)).toEqual(["FincOpenAppsRules", "FincOpenAppsDefaultDeny", "FincOpenAppsAudit"]);
    for (const t of templates) {
      expect(validateManifest(t)).toEqual([]);
      expect(t.metadata.name).toBe(t.spec.crd.spec.names.kind.toLowerCase());
      const constraint = objects.find((o) => o.kind === t.spec.crd.spec.names.kind)!;
      expect(constraint.apiVersion).toBe("constraints.gatekeeper.sh/v1beta1");
      expect(constraint.spec.match.namespaces).toEqual(["open-apps"]);
    }
    expect(templates[0]!.spec.targets[0].code[0].source.validations).toEqual(celOf(vap("finc-open-apps").spec.validations));
    expect(objects.find((o) => o.kind === "FincOpenAppsAudit")!.spec.enforcementAction).toBe("warn");
  });

  it("every admission object of every example (and of the kyverno and gatekeeper variants) is valid by the upstream schemas", () => {
    const docs = [
      ...exampleDirs().flatMap((dir) => [...build(compile(dir), [...DEFAULT_TARGETS]).documents.values()].flat()),
      ...output("  policy kyverno").out.documents.get("prod")!,
      ...output("  policy gatekeeper").out.documents.get("prod")!,
    ].map((d) => d.object as Any).filter((o) => /kyverno|templates\.gatekeeper|admissionregistration/.test(o.apiVersion));
    expect(docs.length).toBeGreaterThan(30);
    for (const d of docs) expect(validateManifest(d), `${d.kind} ${d.metadata.name}`).toEqual([]);
  });

  it.skipIf(!k8sValidateAvailable())("the shared k8s-validate passes every admission file (Gatekeeper constraints' kinds come from their templates: not in a schema set)", () => {
    const dir = tempDir("admission-validate");
    const files = [native.out, output("  policy kyverno").out, output("  policy gatekeeper").out].flatMap((o, i) =>
      o.files.filter((f) => /validatingadmission|clusterpolicy|constrainttemplate/.test(f.path)).map((f) => ({ ...f, path: `${i}/${f.path}` })));
    writeFiles(dir, files);
    const r = k8sValidate(files.map((f) => join(dir, f.path)));
    expect(r.results.filter((x) => x.status !== "OK").map((x) => `${x.file} ${x.status} ${JSON.stringify(x.errors)}`)).toEqual([]);
    expect(r.results.length).toBe(files.length);
  });

  it("evidenceOf finds the admission policies of a rule in a real build", () => {
    const rule = COMPLIANCE_PROFILE_TABLE["pci-dss"].rules.find((r) => r.requirement === "6.3.3")!;
    const found = evidenceOf(rule, native.out.documents.get("prod")!).map((e) => `${e.kind} ${e.name}`);
    expect(found).toEqual(["ValidatingAdmissionPolicy finc-open-apps", "ValidatingAdmissionPolicy finc-open-apps-audit"]);
  });

  it("complianceEvidence: every pci-dss rule of payments/prod that names admission rules or evidence finds objects in the build", () => {
    const docs = build(compile(join(exampleDirs().find((d) => d.endsWith("/payments"))!)), [...DEFAULT_TARGETS], ["prod"]).documents.get("prod")!;
    const rows = complianceEvidence(["pci-dss"], docs);
    expect(rows.map((r) => r.rule.id)).toEqual(COMPLIANCE_PROFILE_TABLE["pci-dss"].rules.map((r) => r.id));
    const row = (req: string) => rows.find((r) => r.rule.requirement === req)!;
    expect(row("1.3.1").evidence).toContainEqual({ group: "networking.k8s.io", kind: "NetworkPolicy", namespace: "payments", name: "default-deny" });
    expect(row("1.3.1").evidence).toContainEqual({ group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicy", namespace: "", name: "finc-payments" });
    expect(row("4.2.1").evidence).toContainEqual({ group: "security.istio.io", kind: "PeerAuthentication", namespace: "payments", name: "default" });
    for (const r of rows) if (r.rule.admission.length) expect(r.evidence.length, r.rule.id).toBeGreaterThan(0);
  });

  it("an unknown policy engine is refused at the value", () => {
    const program = compileSources({ "main.fin": SPEC("  policy opa") });
    const errors = program.diagnostics.filter((d) => d.severity === "error");
    expect(errors.length).toBe(1);
    expect(program.getSourceFile(errors[0]!.range.file)!.text.slice(errors[0]!.range.start, errors[0]!.range.end)).toBe("opa");
  });
});
