import type { NamespaceModel, PlatformModel } from "../../model/platform-model.js";
import type { AdmissionRuleId } from "../../model/compliance/admission-rules.js";
import { admissionRulesRequired, COMPLIANCE_PROFILE_TABLE, rulesInScope } from "../../model/compliance/profiles.js";
import { serviceTypeOf } from "../../model/service-exposure.js";
import { residencyRegions } from "../kubernetes/pod.js";
import { DIGEST_PINNED, podImages } from "../../model/supply-chain.js";

/**
 * What the admission policies of one namespace enforce, whichever engine writes them. The
 * baseline is what finc promises for every namespace (host isolation, versioned images, no
 * plaintext secrets in env, ownership labels, the default-deny NetworkPolicy, no node ports or
 * balancers but the declared ones); restricted namespaces add the restricted pod security
 * fields, residency-bound ones the region affinity, and the compliance profiles add the
 * registry and digest rules (profiles.ts).
 */
export interface NamespacePlan {
  readonly namespace: NamespaceModel;
  /** Rules denied on violation, in ADMISSION_RULES order. */
  readonly deny: readonly AdmissionRuleId[];
  /** Rules only warned about and audited: the spec's own images are not pinned by digest yet, so denying would refuse finc's output. */
  readonly warn: readonly AdmissionRuleId[];
  readonly registry?: string;
  readonly regions: readonly string[];
  /** Services of the namespace the spec gives `service-type load-balancer` / `node-port`, by Service type. */
  readonly exposed: { readonly LoadBalancer: readonly string[]; readonly NodePort: readonly string[] };
  /** Namespaces with operator-run databases: the CloudNativePG operator creates their pods and jobs itself. */
  readonly cnpg: boolean;
  /** Per rule: the requirements it carries (`PCI DSS v4.0.1 2.2.1`), for the messages. */
  readonly requirements: Readonly<Partial<Record<AdmissionRuleId, readonly string[]>>>;
}

export function namespacePlan(model: PlatformModel, ns: NamespaceModel): NamespacePlan {
  const profiles = model.platform.compliance;
  const required = admissionRulesRequired(profiles);
  const services = model.services.filter((s) => s.namespace === ns.name);
  const regions = residencyRegions(model, ns.name);
  const registry = required.has("registry") ? model.platform.registry?.host : undefined;
  const rules: AdmissionRuleId[] = [
    ...(ns.security === "restricted" ? (["pod-security"] as const) : []),
    "host-isolation",
    ...(registry ? (["registry"] as const) : []),
    "image-tag",
    "plaintext-secret-env",
    "ownership-labels",
    "network-policy",
    ...(regions.length ? (["residency"] as const) : []),
    "service-exposure",
  ];
  const images = services.flatMap((s) => podImages(s).map((i) => i.image));
  // A standalone database's StatefulSet is finc's too (its image is Docker Hub's postgres, by tag).
  for (const d of model.databases) if (d.namespace === ns.name && d.mode === "standalone") images.push(`docker.io/library/postgres:${d.version}`);
  // `deploy immutable` asks for digests whatever the profiles; its images are pinned (FIN4074), so the rule denies.
  const immutable = ns.deploy === "immutable";
  const digestRule = required.has("image-digest") || immutable;
  const allPinned = immutable || images.every((i) => DIGEST_PINNED.test(i));
  const requirements: Partial<Record<AdmissionRuleId, string[]>> = {};
  // The immutable-deploy requirement (6.5.1) is carried only where the namespace is `deploy immutable`.
  for (const r of rulesInScope(profiles).filter((x) => x.subject !== "immutable-namespaces" || immutable))
    for (const a of r.admission) (requirements[a] ??= []).push(`${COMPLIANCE_PROFILE_TABLE[r.profile].name} ${r.requirement}`);
  return {
    namespace: ns,
    deny: [...rules.slice(0, rules.indexOf("image-tag") + 1), ...(digestRule && allPinned ? (["image-digest"] as const) : []), ...rules.slice(rules.indexOf("image-tag") + 1)],
    warn: digestRule && !allPinned ? ["image-digest"] : [],
    ...(registry ? { registry } : {}),
    regions,
    exposed: {
      LoadBalancer: services.filter((s) => serviceTypeOf(s.serviceType) === "LoadBalancer").map((s) => s.name).sort(),
      NodePort: services.filter((s) => serviceTypeOf(s.serviceType) === "NodePort").map((s) => s.name).sort(),
    },
    cnpg: model.databases.some((d) => d.namespace === ns.name && d.mode === "operator"),
    requirements,
  };
}

/** `[finc pod-security; PCI DSS v4.0.1 2.2.1]`: which rule denied, and which requirements it carries. */
export function ruleTag(plan: NamespacePlan, rule: AdmissionRuleId): string {
  const reqs = plan.requirements[rule] ?? [];
  return `[finc ${rule}${reqs.length ? `; ${reqs.join(", ")}` : ""}]`;
}

/**
 * Who may create pods and jobs the rules do not apply to, by authenticated user name (which no
 * object can claim, unlike a label): the controllers that create pods from templates these
 * policies already checked on the Deployment, ReplicaSet, StatefulSet, DaemonSet or Job, and,
 * in namespaces with operator-run databases, the CloudNativePG operator (its pods run its own
 * images; finc configures them through the Cluster).
 */
export const POD_CONTROLLERS = [
  "system:kube-controller-manager",
  "system:serviceaccount:kube-system:replicaset-controller",
  "system:serviceaccount:kube-system:statefulset-controller",
  "system:serviceaccount:kube-system:daemon-set-controller",
  "system:serviceaccount:kube-system:job-controller",
] as const;
/** The operator's ServiceAccount as its manifest (`cnpg-manager`) and its Helm chart (`cnpg-cloudnative-pg`) name it, in `cnpg-system`. */
export const CNPG_OPERATOR_USERS = ["system:serviceaccount:cnpg-system:cnpg-manager", "system:serviceaccount:cnpg-system:cnpg-cloudnative-pg"] as const;
/** The namespace controller deletes every object of a namespace being deleted, the default-deny NetworkPolicy too. */
export const NAMESPACE_CONTROLLER = "system:serviceaccount:kube-system:namespace-controller";

/** The default-deny NetworkPolicy finc writes in every namespace (network-policy.ts). */
export const DEFAULT_DENY = "default-deny";

/** The secret-looking env var names (ending in one of the words), as an RE2/ECMAScript pattern on the upper-cased name. */
export const SECRET_NAME_PATTERN = "(^|[_.-])(PASSWORD|PASSWD|SECRET|TOKEN|APIKEY|API_KEY|PRIVATE_KEY|ACCESS_KEY|SECRET_KEY|CREDENTIAL|CREDENTIALS)$";
