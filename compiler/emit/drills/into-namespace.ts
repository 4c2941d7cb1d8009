import type { DrillPlan } from "../../model/drill-model.js";
import type { DatabaseModel, NamespaceModel, PlatformModel } from "../../model/platform-model.js";
import { labels, metadata, selector } from "../kubernetes/labels.js";
import { namespaceDocuments } from "../kubernetes/namespace.js";
import { containerSecurityContext, podSecurityContext } from "../kubernetes/security.js";
import { document, type EmittedDocument } from "../output.js";
import { clusterDocument } from "../postgres/cluster.js";
import { clusterNetworkPolicy } from "../postgres/network.js";
import { pgNames } from "../postgres/names.js";
import { drillCronJob } from "./cron-job.js";
import { DRILL_INTO_SCRIPT } from "./into-script.js";
import { toYaml, type JsonValue } from "../shared/yaml.js";

/** kubectl, pinned by version: the image finc's GitLab pipeline deploys with (kubectl of Kubernetes 1.31, a POSIX sh). */
export const DRILL_KUBECTL_IMAGE = "alpine/k8s:1.31.4";
/** `nobody`: kubectl needs no user of its own. */
const KUBECTL_UID = 65534;

/** The restored Cluster's name in the scratch namespace (its ServiceAccount, which CloudNativePG names after it, is the IAM role's subject). */
export const restoreClusterName = (db: DatabaseModel): string => `${db.name}-restore`;

/** How the restored Cluster's barman-cloud signs in, as the real Cluster's (emit/postgres/backup.ts): IRSA, or GKE Workload Identity. */
function objectStoreCredentials(d: DrillPlan): Record<string, unknown> {
  return d.store.provider === "google-cloud-storage" ? { googleCredentials: { gkeEnvironment: true } } : { s3Credentials: { inheritFromIAMRole: true } };
}

/** The scratch namespace: restricted Pod Security, default-deny and DNS only, like every finc namespace. */
export function scratchNamespaceDocuments(model: PlatformModel, name: string, d: DrillPlan): EmittedDocument[] {
  const ns: NamespaceModel = { name, origin: d.database.drill?.into?.origin ?? d.origin, fields: {}, security: "restricted" };
  return namespaceDocuments(model, ns).filter((doc) => doc.object["kind"] !== "LimitRange");
}

/**
 * The Cluster the drill creates: the database's own Cluster (image, parameters, storage, resources,
 * placement) as one instance, bootstrapped by `recovery` from an externalCluster that is the
 * database's barman object store (destinationPath, serverName and IRSA credentials as the real
 * Cluster archives with; replica.ts's shape), with no `backup` of its own — it never writes to the
 * archive — at the default priority (a drill preempts nothing), its pods' ServiceAccount bound to
 * the drill's read-only IAM role.
 */
export function restoreCluster(model: PlatformModel, d: DrillPlan, scratch: string): Record<string, unknown> {
  const db = d.database;
  const name = restoreClusterName(db);
  const real = clusterDocument(model, db).object["spec"] as Record<string, unknown>;
  const view: DatabaseModel = { ...db, name, namespace: scratch, instances: 1, backup: undefined, replicateTo: undefined, init: undefined };
  const base = clusterDocument(model, view);
  const { priorityClassName: _p, backup: _b, serviceAccountTemplate: _s, ...spec } = base.object["spec"] as Record<string, unknown>;
  const inherited = spec["inheritedMetadata"] as { labels: Record<string, string> };
  return {
    ...base.object,
    metadata: metadata(name, scratch, labels(model, name, "drill", { "app.kubernetes.io/version": db.version })),
    spec: {
      ...spec,
      instances: 1,
      enablePDB: false,
      affinity: real["affinity"],
      bootstrap: { recovery: { source: db.name, database: db.database, owner: pgNames.owner(db) } },
      externalClusters: [{ name: db.name, barmanObjectStore: { destinationPath: d.storePath, ...objectStoreCredentials(d), serverName: d.serverName, wal: { maxParallel: 8 } } }],
      inheritedMetadata: { labels: { ...inherited.labels, ...d.podLabels } },
      ...(Object.keys(d.serviceAccountAnnotations).length ? { serviceAccountTemplate: { metadata: { annotations: { ...d.serviceAccountAnnotations } } } } : {}),
    },
  };
}

// The ConfigMap's cluster.yaml is written as finc writes every document (compiler/emit/shared/yaml.ts):
// kubectl reads YAML 1.1, where a plain `on` (wal_compression) is a boolean the Cluster's schema refuses.

/**
 * What the drill's ServiceAccount may do, in the scratch namespace only, named objects wherever RBAC
 * can name them: create a Cluster (a create has no name to check), then only `<db>-restore`; psql
 * in its one instance `<db>-restore-1` by exec (policy-check's Polaris flags any pods/exec as
 * dangerous: here it reaches only that throwaway instance, and spares the drill a Secret and a network path).
 */
export function drillRoleRules(db: DatabaseModel): Record<string, unknown>[] {
  const cluster = restoreClusterName(db);
  return [
    { apiGroups: ["postgresql.cnpg.io"], resources: ["clusters"], verbs: ["create"] },
    // list and watch: `kubectl wait` and `delete --wait` watch the named Cluster (a field selector on its name).
    { apiGroups: ["postgresql.cnpg.io"], resources: ["clusters"], resourceNames: [cluster], verbs: ["delete", "get", "list", "watch"] },
    { apiGroups: [""], resources: ["pods"], resourceNames: [`${cluster}-1`], verbs: ["get"] },
    // kubectl 1.31 execs over WebSocket (a GET), which the API server authorizes as get and create.
    { apiGroups: [""], resources: ["pods/exec"], resourceNames: [`${cluster}-1`], verbs: ["create", "get"] },
  ];
}

/** `drill … into namespace <scratch>` (cloud aws): everything in the scratch namespace; `withNamespace` is false for a second drill into the same one. */
export function drillIntoDocuments(model: PlatformModel, d: DrillPlan, scratch: string, withNamespace: boolean): EmittedDocument[] {
  const db = d.database;
  const ns = scratch;
  const mesh = model.platform.mesh === "istio";
  const cluster = restoreCluster(model, d, scratch);
  const clusterName = restoreClusterName(db);
  const podLabels = {
    ...selector(d.name),
    "app.kubernetes.io/part-of": model.platform.name,
    "app.kubernetes.io/component": "drill",
    ...(mesh ? { "sidecar.istio.io/inject": "false" } : {}),
    ...(mesh && model.platform.meshMode === "ambient" ? { "istio.io/dataplane-mode": "none" } : {}),
  };
  const env = [
    { name: "DRILL_NAMESPACE", value: ns },
    { name: "DRILL_CLUSTER", value: clusterName },
    { name: "DRILL_SERVER", value: d.serverName },
    { name: "DRILL_DATABASE", value: db.database },
    { name: "DRILL_TIMEOUT_SECONDS", value: String(d.timeoutSeconds) },
    ...(d.queries.length > 1 ? [{ name: "DRILL_QUERY", value: d.queries[1]! }] : []),
    { name: "HOME", value: "/tmp" },
  ];
  const l = labels(model, d.name, "drill");
  const docs: EmittedDocument[] = [
    ...(withNamespace ? scratchNamespaceDocuments(model, ns, d) : []),
    document(`${ns}/configmap-${d.name}.yaml`, { apiVersion: "v1", kind: "ConfigMap", metadata: metadata(d.name, ns, l), data: { "cluster.yaml": toYaml(cluster as JsonValue) } }, d.origin),
    document(`${ns}/serviceaccount-${d.name}.yaml`, { apiVersion: "v1", kind: "ServiceAccount", metadata: metadata(d.name, ns, l), automountServiceAccountToken: false }, d.origin),
    document(`${ns}/role-${d.name}.yaml`, { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: metadata(d.name, ns, l), rules: drillRoleRules(db) }, d.origin),
    document(`${ns}/rolebinding-${d.name}.yaml`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: metadata(d.name, ns, l),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: d.name },
      subjects: [{ kind: "ServiceAccount", name: d.name, namespace: ns }],
    }, d.origin),
    document(`${ns}/cronjob-${d.name}.yaml`, drillCronJob(model, d, ns, podLabels, {
      // kubectl talks to the API server as this ServiceAccount (its Role above); nothing else in the pod.
      automountServiceAccountToken: true,
      securityContext: podSecurityContext(KUBECTL_UID),
      containers: [{
        name: "drill",
        image: DRILL_KUBECTL_IMAGE,
        imagePullPolicy: "Always",
        command: ["sh", "-c", DRILL_INTO_SCRIPT],
        env,
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
        securityContext: containerSecurityContext(KUBECTL_UID),
        volumeMounts: [{ name: "cluster", mountPath: "/etc/drill", readOnly: true }, { name: "tmp", mountPath: "/tmp" }],
      }],
      volumes: [
        { name: "cluster", configMap: { name: d.name } },
        { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
      ],
    }, db.namespace), d.origin, { "/spec/schedule": d.origin, "/spec/jobTemplate/spec/activeDeadlineSeconds": d.origin }),
    // The drill's pod reaches the API server only (kubectl, exec); it has no pod selector or fixed address, so TCP 443/6443.
    document(`${ns}/networkpolicy-${d.name}.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata(d.name, ns, labels(model, d.name, "network-policy")),
      spec: {
        podSelector: { matchLabels: selector(d.name) },
        policyTypes: ["Ingress", "Egress"],
        ingress: [],
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] }],
      },
    }, d.origin),
    // The restored Cluster's instances: the operator in, S3/STS and the API server out, as the real Cluster's.
    clusterNetworkPolicy(model, { ...db, name: clusterName, namespace: ns }),
  ];
  return docs;
}
