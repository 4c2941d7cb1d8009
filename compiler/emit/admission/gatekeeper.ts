import type { PlatformModel } from "../../model/platform-model.js";
import { ADMISSION_RULES_ANNOTATION } from "../../model/compliance/profiles.js";
import { document, type EmittedDocument } from "../output.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { celPolicy, defaultDenyPolicy, type CelPolicy } from "./cel.js";
import type { NamespacePlan } from "./plan.js";

/** `open-banking` → `OpenBanking`: a constraint kind is a CamelCase name. */
const camel = (s: string): string => s.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");

/**
 * A ConstraintTemplate with the rules as CEL (Gatekeeper ≥ 3.18, engine K8sNativeValidation:
 * the same expressions as the native policy) and its constraint, bound to the namespace.
 */
function templateAndConstraint(model: PlatformModel, plan: NamespacePlan, suffix: string, policy: CelPolicy, action: "deny" | "warn"): EmittedDocument[] {
  const ns = plan.namespace.name;
  const kind = `Finc${camel(ns)}${suffix}`;
  const rules = [...new Set(policy.validations.map((v) => v.rule))];
  const l = labels(model, kind.toLowerCase(), "admission-policy");
  return [
    document(`_cluster/constrainttemplate-${kind.toLowerCase()}.yaml`, {
      apiVersion: "templates.gatekeeper.sh/v1",
      kind: "ConstraintTemplate",
      metadata: metadata(kind.toLowerCase(), undefined, l, { [ADMISSION_RULES_ANNOTATION]: rules.join(",") }),
      spec: {
        crd: { spec: { names: { kind } } },
        targets: [{
          target: "admission.k8s.gatekeeper.sh",
          code: [{
            engine: "K8sNativeValidation",
            source: {
              matchConditions: policy.matchConditions,
              ...(policy.variables.length ? { variables: policy.variables } : {}),
              validations: policy.validations.map((v) => ({ expression: v.expression, message: v.message })),
            },
          }],
        }],
      },
    }, plan.namespace.origin),
    document(`_cluster/${kind.toLowerCase()}-${ns}.yaml`, {
      apiVersion: "constraints.gatekeeper.sh/v1beta1",
      kind,
      metadata: metadata(ns, undefined, l),
      spec: {
        enforcementAction: action,
        match: { namespaces: [ns], kinds: policy.resources.map((r) => ({ apiGroups: r.apiGroups, kinds: r.resources.map(kindOf) })) },
      },
    }, plan.namespace.origin),
  ];
}

const KINDS: Record<string, string> = {
  pods: "Pod", services: "Service", configmaps: "ConfigMap", deployments: "Deployment", replicasets: "ReplicaSet", statefulsets: "StatefulSet",
  daemonsets: "DaemonSet", jobs: "Job", cronjobs: "CronJob", rollouts: "Rollout", networkpolicies: "NetworkPolicy",
};
const kindOf = (resource: string): string => KINDS[resource]!;

/** With `policy gatekeeper`: per namespace a template and constraint for the rules, one for the default-deny guard, one warning about digests. */
export function gatekeeperDocuments(model: PlatformModel, plans: readonly NamespacePlan[]): EmittedDocument[] {
  return plans.flatMap((plan) => [
    ...templateAndConstraint(model, plan, "Rules", celPolicy(plan, plan.deny), "deny"),
    ...templateAndConstraint(model, plan, "DefaultDeny", defaultDenyPolicy(plan), "deny"),
    ...(plan.warn.length ? templateAndConstraint(model, plan, "Audit", celPolicy(plan, plan.warn), "warn") : []),
  ]);
}
