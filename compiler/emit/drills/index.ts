import { NON_PUBLIC_V4 } from "../../model/egress-model.js";
import { drillPlans, type DrillPlan } from "../../model/drill-model.js";
import { GKE_METADATA_SERVER } from "../../model/drill-store.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { labels, metadata, selector } from "../kubernetes/labels.js";
import { resources } from "../kubernetes/pod.js";
import { containerSecurityContext, podSecurityContext } from "../kubernetes/security.js";
import { storageClassName } from "../kubernetes/storage.js";
import { document, type EmittedDocument, type Emitter } from "../output.js";
import { postgresImage } from "../../model/database-image.js";
import { pullSecrets } from "../smoke-tests/job-pod.js";
import { drillRuleDocument } from "./rules.js";
import { DRILL_SCRIPT } from "./script.js";
import { drillIntoDocuments } from "./into-namespace.js";
import { drillCronJob, STARTING_DEADLINE_SECONDS } from "./cron-job.js";

/** The `postgres` user of the CloudNativePG operand images. */
const POSTGRES_UID = 26;
const DATA_DIR = "/var/lib/drill";

function drillDocuments(model: PlatformModel, d: DrillPlan): EmittedDocument[] {
  const db = d.database;
  const ns = d.namespace;
  const image = postgresImage(db);
  const mesh = model.platform.mesh === "istio";
  // Out of the mesh, like the instances: the drill talks to S3 only, and a sidecar would keep the Job from completing.
  const podLabels = {
    ...selector(d.name),
    "app.kubernetes.io/part-of": model.platform.name,
    "app.kubernetes.io/component": "drill",
    ...(mesh ? { "sidecar.istio.io/inject": "false" } : {}),
    ...(mesh && model.platform.meshMode === "ambient" ? { "istio.io/dataplane-mode": "none" } : {}),
    ...d.podLabels,
  };
  const store = d.store;
  const env = [
    // Bucket and prefix apart: the script joins them (a URL in env reads as an address to tools that check those).
    { name: "DRILL_PROVIDER", value: store.provider },
    ...(store.credential ? [{ name: "DRILL_AZURE_LOGIN", value: store.credential }] : []),
    // Azure: the account's endpoint as a URL (a bare generated account name reads as a token to secret scanners).
    ...(store.accountUrl ? [{ name: "DRILL_ACCOUNT_URL", value: store.accountUrl }] : []),
    { name: "DRILL_BUCKET", value: store.bucket },
    { name: "DRILL_PREFIX", value: store.prefix },
    { name: "DRILL_SERVER", value: d.serverName },
    { name: "DRILL_DATABASE", value: db.database },
    ...(d.queries.length > 1 ? [{ name: "DRILL_QUERY", value: d.queries[1]! }] : []),
    { name: "PGDATA", value: `${DATA_DIR}/pgdata` },
    { name: "PGUSER", value: "postgres" },
    { name: "HOME", value: "/tmp" },
  ];
  const docs: EmittedDocument[] = [
    document(`${ns}/serviceaccount-${d.name}.yaml`, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: metadata(d.name, ns, labels(model, d.name, "drill"), Object.keys(d.serviceAccountAnnotations).length ? { ...d.serviceAccountAnnotations } : undefined),
      automountServiceAccountToken: false,
    }, d.origin),
    document(`${ns}/cronjob-${d.name}.yaml`, drillCronJob(model, d, ns, podLabels, {
      automountServiceAccountToken: false,
      ...pullSecrets(model, image),
      securityContext: podSecurityContext(POSTGRES_UID),
      containers: [{
        name: "restore",
        image,
        imagePullPolicy: "Always",
        command: ["sh", "-c", DRILL_SCRIPT],
        env,
        resources: resources(db.resources),
        securityContext: containerSecurityContext(POSTGRES_UID),
        volumeMounts: [{ name: "data", mountPath: DATA_DIR }, { name: "tmp", mountPath: "/tmp" }],
      }],
      volumes: [
        // A volume of the database's size and class, created for the pod and deleted with it.
        { name: "data", ephemeral: { volumeClaimTemplate: { metadata: { labels: selector(d.name) }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: storageClassName(db.storage.tier), resources: { requests: { storage: db.storage.size } } } } } },
        { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
      ],
    }, ns), d.origin, {
      "/spec/schedule": d.origin,
      "/spec/jobTemplate/spec/activeDeadlineSeconds": d.origin,
      ...(db.drill?.query ? { [`/spec/jobTemplate/spec/template/spec/containers/0/env/${env.findIndex((e) => e.name === "DRILL_QUERY")}/value`]: db.drill.query.origin } : {}),
    }),
    // The object store and the identity's token endpoint (STS, Entra ID) are public endpoints on 443;
    // on GKE the tokens come from the node's metadata server. Nothing else, and nothing in.
    document(`${ns}/networkpolicy-${d.name}.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata(d.name, ns, labels(model, d.name, "network-policy")),
      spec: {
        podSelector: { matchLabels: selector(d.name) },
        policyTypes: ["Ingress", "Egress"],
        ingress: [],
        egress: [
          { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...NON_PUBLIC_V4] } }], ports: [{ protocol: "TCP", port: 443 }] },
          ...(store.provider === "google-cloud-storage" ? GKE_METADATA_SERVER.map((m) => ({ to: [{ ipBlock: { cidr: m.cidr } }], ports: [{ protocol: "TCP", port: m.port }] })) : []),
        ],
      },
    }, d.origin),
  ];
  const m = model.platform.monitoring;
  if (m) docs.push(drillRuleDocument(model, m, d, STARTING_DEADLINE_SECONDS));
  return docs;
}

/**
 * Scheduled DR drills (issue 13 item 6): per database with `drill`, a CronJob that restores the
 * latest base backup and the WAL archive from the Cluster's object store (S3, GCS or Azure Blob)
 * into a scratch volume, checks it answers, and records how long it took, with alerts when a
 * drill fails, does not run, or is slower than the RTO. Reads the archive with a read-only cloud
 * identity of its own (IRSA, GKE or Azure Workload Identity; the terraform target creates it).
 */
export const drillsEmitter: Emitter = {
  id: "drills",
  emit(model) {
    const scratches = new Set<string>();
    const documents = drillPlans(model).flatMap((d) => {
      if (!d.scratch) return drillDocuments(model, d);
      const first = !scratches.has(d.scratch);
      scratches.add(d.scratch);
      // The CronJob (and so the alerts' series) lives in the scratch namespace.
      const m = model.platform.monitoring;
      return [...drillIntoDocuments(model, d, d.scratch, first), ...(m ? [drillRuleDocument(model, m, { ...d, namespace: d.scratch }, STARTING_DEADLINE_SECONDS)] : [])];
    });
    return { documents, diagnostics: [] };
  },
};
