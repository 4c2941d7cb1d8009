import type { PlatformModel } from "../../model/platform-model.js";
import type { SourceRange } from "../../diagnostics/diagnostic.js";
import type { AdmissionRuleId } from "../../model/compliance/admission-rules.js";
import { ADMISSION_RULES_ANNOTATION } from "../../model/compliance/profiles.js";
import { document, type EmittedDocument } from "../output.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { celPolicy, defaultDenyPolicy, type CelPolicy } from "./cel.js";
import type { NamespacePlan } from "./plan.js";

const API = "admissionregistration.k8s.io/v1";

/** The spec line behind a rule, for the source map. */
export function ruleOrigin(model: PlatformModel, plan: NamespacePlan, rule: AdmissionRuleId): SourceRange | undefined {
  const ns = plan.namespace;
  const p = model.platform;
  switch (rule) {
    case "pod-security": return ns.fields["security"];
    case "residency": return ns.fields["residency"];
    case "registry": return p.fields["registry"];
    case "image-digest": return p.fields["compliance"];
    default: return undefined;
  }
}

/**
 * A ValidatingAdmissionPolicy and its binding: the binding applies it to the namespace by
 * `kubernetes.io/metadata.name`, the label the API server itself sets and nobody can change.
 */
function policyPair(model: PlatformModel, plan: NamespacePlan, name: string, policy: CelPolicy, actions: readonly string[]): EmittedDocument[] {
  const ns = plan.namespace;
  const rules = [...new Set(policy.validations.map((v) => v.rule))];
  const l = labels(model, name, "admission-policy");
  const fields: Record<string, SourceRange | undefined> = {};
  policy.validations.forEach((v, i) => (fields[`/spec/validations/${i}`] = ruleOrigin(model, plan, v.rule)));
  return [
    document(`_cluster/validatingadmissionpolicy-${name}.yaml`, {
      apiVersion: API,
      kind: "ValidatingAdmissionPolicy",
      metadata: metadata(name, undefined, l, { [ADMISSION_RULES_ANNOTATION]: rules.join(",") }),
      spec: {
        failurePolicy: "Fail",
        matchConstraints: { resourceRules: policy.resources.map((r) => ({ apiGroups: r.apiGroups, apiVersions: ["*"], operations: r.operations, resources: r.resources })) },
        matchConditions: policy.matchConditions,
        ...(policy.variables.length ? { variables: policy.variables } : {}),
        validations: policy.validations.map((v) => ({ expression: v.expression, message: v.message })),
      },
    }, ns.origin, fields),
    document(`_cluster/validatingadmissionpolicybinding-${name}.yaml`, {
      apiVersion: API,
      kind: "ValidatingAdmissionPolicyBinding",
      metadata: metadata(name, undefined, l),
      spec: {
        policyName: name,
        validationActions: actions,
        matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns.name } } },
      },
    }, ns.origin),
  ];
}

/** Per namespace: the denying policy, the default-deny guard, and (until the spec pins digests) the warning one. */
export function nativeDocuments(model: PlatformModel, plan: NamespacePlan): EmittedDocument[] {
  const base = `finc-${plan.namespace.name}`;
  return [
    ...policyPair(model, plan, base, celPolicy(plan, plan.deny), ["Deny"]),
    ...policyPair(model, plan, `${base}-default-deny`, defaultDenyPolicy(plan), ["Deny"]),
    ...(plan.warn.length ? policyPair(model, plan, `${base}-audit`, celPolicy(plan, plan.warn), ["Warn", "Audit"]) : []),
  ];
}
