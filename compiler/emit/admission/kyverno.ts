import type { PlatformModel } from "../../model/platform-model.js";
import { ADMISSION_RULES_ANNOTATION } from "../../model/compliance/profiles.js";
import { document, type EmittedDocument } from "../output.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { celPolicy, defaultDenyPolicy, type CelPolicy } from "./cel.js";
import { DEFAULT_DENY, ruleTag, type NamespacePlan } from "./plan.js";

/** Kinds as Kyverno names them; a Rollout only when the spec has one (Kyverno refuses kinds the cluster does not serve). */
function kinds(model: PlatformModel, policy: CelPolicy): string[] {
  const byResource: Record<string, string> = {
    pods: "Pod", services: "Service", configmaps: "ConfigMap", deployments: "Deployment", replicasets: "ReplicaSet", statefulsets: "StatefulSet",
    daemonsets: "DaemonSet", jobs: "Job", cronjobs: "CronJob", rollouts: "argoproj.io/v1alpha1/Rollout", networkpolicies: "NetworkPolicy",
  };
  const rollouts = model.services.some((s) => s.scaling?.rollout);
  return policy.resources.flatMap((r) => r.resources).filter((r) => r !== "rollouts" || rollouts).map((r) => byResource[r]!);
}

/** A CEL rule (Kyverno ≥ 1.11 evaluates the very expressions of the native policy). */
function celRule(model: PlatformModel, plan: NamespacePlan, name: string, policy: CelPolicy, action: "Enforce" | "Audit", operations: readonly string[]): Record<string, unknown> {
  return {
    name,
    match: { any: [{ resources: { kinds: kinds(model, policy), namespaces: [plan.namespace.name], operations } }] },
    celPreconditions: policy.matchConditions,
    validate: {
      failureAction: action,
      cel: {
        ...(policy.variables.length ? { variables: policy.variables } : {}),
        expressions: policy.validations.map((v) => ({ expression: v.expression, message: v.message })),
      },
    },
  };
}

/**
 * With `policy kyverno`: one ClusterPolicy per namespace. Kyverno can look objects up, so
 * besides guarding the default-deny NetworkPolicy it checks, for every new workload, that the
 * namespace still has it.
 */
export function kyvernoDocuments(model: PlatformModel, plan: NamespacePlan): EmittedDocument[] {
  const ns = plan.namespace.name;
  const name = `finc-${ns}`;
  const deny = celPolicy(plan, plan.deny);
  const rules: Record<string, unknown>[] = [
    celRule(model, plan, "finc-rules", deny, "Enforce", ["CREATE", "UPDATE"]),
    celRule(model, plan, "default-deny-kept", defaultDenyPolicy(plan), "Enforce", ["UPDATE", "DELETE"]),
    {
      name: "default-deny-present",
      match: { any: [{ resources: { kinds: ["Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"], namespaces: [ns], operations: ["CREATE"] } }] },
      context: [{ name: "defaultDeny", apiCall: { urlPath: `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`, jmesPath: `items[?metadata.name == '${DEFAULT_DENY}'] | length(@)` } }],
      validate: {
        failureAction: "Enforce",
        message: `${ruleTag(plan, "network-policy")} namespace '${ns}' has no '${DEFAULT_DENY}' NetworkPolicy: apply finc's output for the namespace first`,
        deny: { conditions: { any: [{ key: "{{ defaultDeny }}", operator: "Equals", value: 0 }] } },
      },
    },
    ...(plan.warn.length ? [celRule(model, plan, "finc-audit", celPolicy(plan, plan.warn), "Audit", ["CREATE", "UPDATE"])] : []),
  ];
  const rulesCarried = [...new Set([...plan.deny, ...plan.warn, "network-policy"])];
  return [document(`_cluster/clusterpolicy-${name}.yaml`, {
    apiVersion: "kyverno.io/v1",
    kind: "ClusterPolicy",
    metadata: metadata(name, undefined, labels(model, name, "admission-policy"), { [ADMISSION_RULES_ANNOTATION]: rulesCarried.join(","), "policies.kyverno.io/title": `finc rules for namespace ${ns}` }),
    spec: { background: true, failurePolicy: "Fail", rules },
  }, plan.namespace.origin)];
}
