import type { AdmissionRuleId } from "../../model/compliance/admission-rules.js";
import { CNPG_OPERATOR_USERS, DEFAULT_DENY, NAMESPACE_CONTROLLER, POD_CONTROLLERS, ruleTag, SECRET_NAME_PATTERN, type NamespacePlan } from "./plan.js";

/**
 * The admission rules as Kubernetes CEL (ValidatingAdmissionPolicy). Only the standard CEL
 * macros and functions plus `upperAscii` (Kubernetes' strings library) are used, so that the
 * tests evaluate the very same expressions with a CEL implementation from npm.
 *
 * A policy matches pods, the controllers that template them, Services and ConfigMaps; each
 * validation says which kind it is about, and `variables` (evaluated lazily by Kubernetes)
 * find the pod template wherever the kind keeps it.
 */

export interface CelValidation {
  readonly rule: AdmissionRuleId;
  readonly expression: string;
  readonly message: string;
}

export interface CelPolicy {
  readonly resources: readonly { readonly apiGroups: readonly string[]; readonly resources: readonly string[]; readonly operations: readonly string[] }[];
  readonly matchConditions: readonly { readonly name: string; readonly expression: string }[];
  readonly variables: readonly { readonly name: string; readonly expression: string }[];
  readonly validations: readonly CelValidation[];
}

const WORKLOAD_KINDS = ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "Rollout"];
const list = (xs: readonly string[]): string => `[${xs.map((x) => `'${x}'`).join(", ")}]`;
const CREATE_UPDATE = ["CREATE", "UPDATE"];

export const WORKLOAD_RESOURCES: CelPolicy["resources"] = [
  { apiGroups: [""], resources: ["pods", "services", "configmaps"], operations: CREATE_UPDATE },
  { apiGroups: ["apps"], resources: ["deployments", "replicasets", "statefulsets", "daemonsets"], operations: CREATE_UPDATE },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], operations: CREATE_UPDATE },
  { apiGroups: ["argoproj.io"], resources: ["rollouts"], operations: CREATE_UPDATE },
];

const VARIABLES: CelPolicy["variables"] = [
  { name: "isWorkload", expression: `object.kind in ${list(WORKLOAD_KINDS)}` },
  { name: "template", expression: "object.kind == 'Pod' ? object : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec.template" },
  { name: "spec", expression: "variables.template.spec" },
  { name: "containers", expression: "variables.spec.containers + (has(variables.spec.initContainers) ? variables.spec.initContainers : [])" },
];

const sc = (field: string) => `has(c.securityContext) && has(c.securityContext.${field})`;
const podSc = (field: string) => `has(variables.spec.securityContext) && has(variables.spec.securityContext.${field})`;
const workload = (e: string) => `!variables.isWorkload || ${e}`;
const eachContainer = (e: string) => workload(`variables.containers.all(c, ${e})`);

/** Each rule's checks: one validation per thing to fix, so a denial says exactly what. */
function ruleValidations(plan: NamespacePlan, rule: AdmissionRuleId): { expression: string; message: string }[] {
  switch (rule) {
    case "pod-security":
      return [
        { expression: eachContainer(`${sc("runAsNonRoot")} ? c.securityContext.runAsNonRoot : (${podSc("runAsNonRoot")} && variables.spec.securityContext.runAsNonRoot)`), message: "every container must run as non-root: set securityContext.runAsNonRoot: true" },
        { expression: eachContainer(`${sc("allowPrivilegeEscalation")} && !c.securityContext.allowPrivilegeEscalation`), message: "every container must set securityContext.allowPrivilegeEscalation: false" },
        { expression: eachContainer(`has(c.securityContext) && has(c.securityContext.capabilities) && has(c.securityContext.capabilities.drop) && 'ALL' in c.securityContext.capabilities.drop && (!has(c.securityContext.capabilities.add) || c.securityContext.capabilities.add.all(a, a == 'NET_BIND_SERVICE'))`), message: "every container must drop ALL capabilities (and add none but NET_BIND_SERVICE)" },
        { expression: eachContainer(`${sc("readOnlyRootFilesystem")} && c.securityContext.readOnlyRootFilesystem`), message: "every container must set securityContext.readOnlyRootFilesystem: true (mount an emptyDir where it writes)" },
        { expression: eachContainer(`${sc("seccompProfile")} ? c.securityContext.seccompProfile.type in ['RuntimeDefault', 'Localhost'] : (${podSc("seccompProfile")} && variables.spec.securityContext.seccompProfile.type in ['RuntimeDefault', 'Localhost'])`), message: "every container must run with the RuntimeDefault (or a Localhost) seccomp profile" },
      ];
    case "host-isolation":
      return [
        { expression: workload("!(has(variables.spec.hostNetwork) && variables.spec.hostNetwork) && !(has(variables.spec.hostPID) && variables.spec.hostPID) && !(has(variables.spec.hostIPC) && variables.spec.hostIPC)"), message: "pods must not share the node's network, PID or IPC namespace (hostNetwork, hostPID, hostIPC)" },
        { expression: workload("!has(variables.spec.volumes) || variables.spec.volumes.all(v, !has(v.hostPath))"), message: "pods must not mount hostPath volumes" },
        { expression: eachContainer(`!(${sc("privileged")} && c.securityContext.privileged) && (!has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0))`), message: "containers must not be privileged or bind host ports" },
      ];
    case "registry":
      return [{ expression: eachContainer(`c.image.startsWith('${plan.registry}/')`), message: `images must come from the platform's registry ${plan.registry}` }];
    case "image-tag":
      return [{ expression: eachContainer("c.image.matches('@sha256:[0-9a-f]{64}$') || (c.image.matches(':[^/:@]+$') && !c.image.endsWith(':latest'))"), message: "images must name a version tag (not latest) or a digest" }];
    case "image-digest":
      return [{ expression: eachContainer("c.image.matches('@sha256:[0-9a-f]{64}$')"), message: "images must be pinned by digest (<image>@sha256:<64 hex>)" }];
    case "plaintext-secret-env":
      return [
        { expression: eachContainer(`!has(c.env) || c.env.all(e, !has(e.value) || size(e.value) == 0 || !e.name.upperAscii().matches('${SECRET_NAME_PATTERN}'))`), message: "an env var with a secret-looking name must come from a Secret (valueFrom.secretKeyRef), not a plaintext value" },
        { expression: `object.kind != 'ConfigMap' || !has(object.data) || object.data.all(k, !k.upperAscii().matches('${SECRET_NAME_PATTERN}'))`, message: "a ConfigMap must not hold a secret-looking key: put it in a Secret" },
      ];
    case "ownership-labels":
      return [{ expression: workload("has(variables.template.metadata.labels) && 'app.kubernetes.io/part-of' in variables.template.metadata.labels && 'app.kubernetes.io/name' in variables.template.metadata.labels"), message: "pods must be labelled app.kubernetes.io/name and app.kubernetes.io/part-of (who owns them)" }];
    case "network-policy":
      return [{ expression: workload("has(variables.template.metadata.labels) && 'app.kubernetes.io/name' in variables.template.metadata.labels"), message: `pods must carry app.kubernetes.io/name, the label NetworkPolicies select them by; the namespace's '${DEFAULT_DENY}' NetworkPolicy denies everything else` }];
    case "residency": {
      const r = list(plan.regions);
      const affinity = "variables.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";
      return [{
        expression: workload(`(has(variables.spec.affinity) && has(variables.spec.affinity.nodeAffinity) && has(${affinity}) && ${affinity}.nodeSelectorTerms.all(t, has(t.matchExpressions) && t.matchExpressions.exists(e, e.key == 'topology.kubernetes.io/region' && e.operator == 'In' && e.values.all(v, v in ${r})))) || (has(variables.spec.nodeSelector) && 'topology.kubernetes.io/region' in variables.spec.nodeSelector && variables.spec.nodeSelector['topology.kubernetes.io/region'] in ${r})`),
        message: `pods of namespace '${plan.namespace.name}' (residency ${plan.namespace.residency}) must be required onto nodes in ${plan.regions.join(", ")}: a required node affinity on topology.kubernetes.io/region In those regions`,
      }];
    }
    case "service-exposure":
      return [{
        expression: `object.kind != 'Service' || !has(object.spec.type) || object.spec.type in ['ClusterIP', 'ExternalName'] || (object.spec.type == 'LoadBalancer' && object.metadata.name in ${list(plan.exposed.LoadBalancer)}) || (object.spec.type == 'NodePort' && object.metadata.name in ${list(plan.exposed.NodePort)})`,
        message: "a Service of type NodePort or LoadBalancer must be declared in the spec (`service-type`); reach services through the ingress",
      }];
  }
}

function matchConditions(plan: NamespacePlan): CelPolicy["matchConditions"] {
  return [
    { name: "not-pods-of-checked-templates", expression: `!(object.kind == 'Pod' && request.userInfo.username in ${list(POD_CONTROLLERS)})` },
    ...(plan.cnpg ? [{ name: "not-the-cloudnative-pg-operator", expression: `!(object.kind in ['Pod', 'Job'] && request.userInfo.username in ${list(CNPG_OPERATOR_USERS)})` }] : []),
    // A Rollout with a workloadRef has no template: its Deployment is checked instead.
    { name: "not-template-less-rollouts", expression: "!(object.kind == 'Rollout' && !has(object.spec.template))" },
  ];
}

/** The policy of `rules` for one namespace (the deny or the warn set). */
export function celPolicy(plan: NamespacePlan, rules: readonly AdmissionRuleId[]): CelPolicy {
  return {
    resources: WORKLOAD_RESOURCES,
    matchConditions: matchConditions(plan),
    variables: VARIABLES,
    validations: rules.flatMap((rule) => ruleValidations(plan, rule).map((v) => ({ rule, expression: v.expression, message: `${ruleTag(plan, rule)} ${v.message}` }))),
  };
}

/**
 * VAP cannot look up other objects, so "every workload has a NetworkPolicy" is held by a
 * contract: finc's default-deny NetworkPolicy selects every pod of the namespace, and this
 * policy keeps it from being deleted or weakened (only the namespace controller, deleting the
 * whole namespace, may remove it). With `policy kyverno` the existence is checked per request.
 */
export function defaultDenyPolicy(plan: NamespacePlan): CelPolicy {
  const tag = ruleTag(plan, "network-policy");
  return {
    resources: [{ apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], operations: ["UPDATE", "DELETE"] }],
    matchConditions: [
      { name: "the-default-deny-policy", expression: `oldObject.metadata.name == '${DEFAULT_DENY}'` },
      { name: "not-the-namespace-controller", expression: `request.userInfo.username != '${NAMESPACE_CONTROLLER}'` },
    ],
    variables: [],
    validations: [
      { rule: "network-policy", expression: "request.operation != 'DELETE'", message: `${tag} the '${DEFAULT_DENY}' NetworkPolicy must not be deleted: it is what keeps every pod of the namespace isolated` },
      {
        rule: "network-policy",
        expression: "request.operation != 'UPDATE' || ((!has(object.spec.podSelector.matchLabels) || size(object.spec.podSelector.matchLabels) == 0) && (!has(object.spec.podSelector.matchExpressions) || size(object.spec.podSelector.matchExpressions) == 0) && has(object.spec.policyTypes) && 'Ingress' in object.spec.policyTypes && 'Egress' in object.spec.policyTypes && (!has(object.spec.ingress) || size(object.spec.ingress) == 0) && (!has(object.spec.egress) || size(object.spec.egress) == 0))",
        message: `${tag} the '${DEFAULT_DENY}' NetworkPolicy must keep selecting every pod and denying all ingress and egress`,
      },
    ],
  };
}
