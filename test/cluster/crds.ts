// The CustomResourceDefinitions installed into the test API server: one per custom kind finc emits.
//
// Their schemas are the operators' own `openAPIV3Schema` (with every `x-kubernetes-validations` CEL
// rule, list/map type and default), taken from ../shared/schemas/crds (see its README for each
// operator's upstream version). Those files are kubeconform conversions of the upstream CRDs, which
// add `additionalProperties: false` to every object node that has `properties`; a structural schema
// cannot carry both, and the API server prunes unknown fields anyway, so it is removed here.
// What a JSON schema does not record (plural, scope, the status subresource) is this table's job,
// as the upstream CRD YAML declares it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SCHEMAS, VENDORED_SCHEMAS } from "../helpers/schemas.js";

export interface CustomKind {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: "Namespaced" | "Cluster";
  /** The versions finc writes; the first is the storage version. */
  readonly versions: readonly string[];
}

const ns = (group: string, kind: string, plural: string, ...versions: string[]): CustomKind => ({ group, kind, plural, scope: "Namespaced", versions });
const cluster = (group: string, kind: string, plural: string, ...versions: string[]): CustomKind => ({ group, kind, plural, scope: "Cluster", versions });

export const CUSTOM_KINDS: readonly CustomKind[] = [
  ns("networking.istio.io", "DestinationRule", "destinationrules", "v1"),
  ns("networking.istio.io", "VirtualService", "virtualservices", "v1"),
  ns("networking.istio.io", "ServiceEntry", "serviceentries", "v1"),
  ns("networking.istio.io", "Gateway", "gateways", "v1"),
  ns("networking.istio.io", "Sidecar", "sidecars", "v1"),
  ns("networking.istio.io", "EnvoyFilter", "envoyfilters", "v1alpha3"),
  ns("security.istio.io", "AuthorizationPolicy", "authorizationpolicies", "v1"),
  ns("security.istio.io", "PeerAuthentication", "peerauthentications", "v1"),
  ns("telemetry.istio.io", "Telemetry", "telemetries", "v1"),
  ns("external-secrets.io", "ExternalSecret", "externalsecrets", "v1"),
  ns("external-secrets.io", "SecretStore", "secretstores", "v1"),
  cluster("external-secrets.io", "ClusterSecretStore", "clustersecretstores", "v1"),
  ns("monitoring.coreos.com", "PodMonitor", "podmonitors", "v1"),
  ns("monitoring.coreos.com", "ServiceMonitor", "servicemonitors", "v1"),
  ns("monitoring.coreos.com", "PrometheusRule", "prometheusrules", "v1"),
  ns("monitoring.coreos.com", "AlertmanagerConfig", "alertmanagerconfigs", "v1alpha1"),
  ns("postgresql.cnpg.io", "Cluster", "clusters", "v1"),
  ns("postgresql.cnpg.io", "ScheduledBackup", "scheduledbackups", "v1"),
  ns("keda.sh", "ScaledObject", "scaledobjects", "v1alpha1"),
  ns("keda.sh", "TriggerAuthentication", "triggerauthentications", "v1alpha1"),
  ns("autoscaling.k8s.io", "VerticalPodAutoscaler", "verticalpodautoscalers", "v1"),
  ns("cert-manager.io", "Certificate", "certificates", "v1"),
  ns("cert-manager.io", "Issuer", "issuers", "v1"),
  cluster("cert-manager.io", "ClusterIssuer", "clusterissuers", "v1"),
  ns("argoproj.io", "Rollout", "rollouts", "v1alpha1"),
  ns("argoproj.io", "AnalysisTemplate", "analysistemplates", "v1alpha1"),
  ns("gateway.networking.k8s.io", "Gateway", "gateways", "v1"),
  ns("bitnami.com", "SealedSecret", "sealedsecrets", "v1alpha1"),
  cluster("snapshot.storage.k8s.io", "VolumeSnapshotClass", "volumesnapshotclasses", "v1"),
  ns("velero.io", "Schedule", "schedules", "v1"),
  ns("chaos-mesh.org", "Schedule", "schedules", "v1alpha1"),
  cluster("karpenter.sh", "NodePool", "nodepools", "v1"),
  cluster("karpenter.k8s.aws", "EC2NodeClass", "ec2nodeclasses", "v1"),
  cluster("kyverno.io", "ClusterPolicy", "clusterpolicies", "v1"),
  // Cloud ingress controllers' kinds (schemas vendored in test/schemas/crds).
  ns("networking.gke.io", "ManagedCertificate", "managedcertificates", "v1"),
  ns("networking.gke.io", "FrontendConfig", "frontendconfigs", "v1beta1"),
  ns("cloud.google.com", "BackendConfig", "backendconfigs", "v1"),
  cluster("elbv2.k8s.aws", "IngressClassParams", "ingressclassparams", "v1beta1"),
  // Managed Prometheus collectors' kinds (schemas vendored in test/schemas/crds): GMP, Azure Monitor's ama-metrics.
  ns("monitoring.googleapis.com", "PodMonitoring", "podmonitorings", "v1"),
  ns("monitoring.googleapis.com", "Rules", "rules", "v1"),
  cluster("monitoring.googleapis.com", "ClusterRules", "clusterrules", "v1"),
  ns("azmonitoring.coreos.com", "PodMonitor", "podmonitors", "v1"),
  ns("azmonitoring.coreos.com", "ServiceMonitor", "servicemonitors", "v1"),
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The catalog's schema back to a structural CRD schema (see the header). */
function structural(node: Json): Json {
  if (Array.isArray(node)) return node.map(structural);
  if (node === null || typeof node !== "object") return node;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$schema") continue;
    if (k === "additionalProperties" && v === false) continue;
    out[k] = structural(v);
  }
  return out;
}

/** The kind's schema in ../shared/schemas, else the copy vendored in test/schemas. */
export function schemaFile(group: string, kind: string, version: string): string {
  const name = join("crds", group, `${kind.toLowerCase()}_${version}.json`);
  const shared = join(SCHEMAS, name);
  return existsSync(shared) ? shared : join(VENDORED_SCHEMAS, name);
}

/** The CustomResourceDefinition of one kind, as a JSON object (kubectl reads JSON as YAML). */
export function customResourceDefinition(k: CustomKind): object {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${k.plural}.${k.group}`,
      // *.k8s.io groups are protected; their upstream CRDs carry the approval's URL, this copy says what it is.
      ...(/(^|\.)k8s\.io$/.test(k.group) ? { annotations: { "api-approved.kubernetes.io": "unapproved, test copy of the upstream CRD's schema" } } : {}),
    },
    spec: {
      group: k.group,
      scope: k.scope,
      names: { kind: k.kind, listKind: `${k.kind}List`, plural: k.plural, singular: k.kind.toLowerCase() },
      versions: k.versions.map((v, i) => {
        const schema = structural(JSON.parse(readFileSync(schemaFile(k.group, k.kind, v), "utf8")) as Json) as { [k: string]: Json };
        const hasStatus = typeof schema.properties === "object" && schema.properties !== null && "status" in schema.properties;
        return { name: v, served: true, storage: i === 0, schema: { openAPIV3Schema: schema }, ...(hasStatus ? { subresources: { status: {} } } : {}) };
      }),
    },
  };
}

/** Every kind of the table whose schema file is present (../shared/schemas or test/schemas). */
export function availableCustomKinds(): CustomKind[] {
  return CUSTOM_KINDS.filter((k) => k.versions.every((v) => existsSync(schemaFile(k.group, k.kind, v))));
}
