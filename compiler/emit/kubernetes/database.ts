import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { costCenterLabels, labels, metadata, priorityClassName, selector } from "./labels.js";
import { names } from "./names.js";
import { placement, residencyRegions, resources } from "./pod.js";
import { withPciPool } from "../nodepools/pci-placement.js";
import { rbacDocuments } from "./rbac.js";
import { databaseSecretDocuments } from "./secrets.js";
import { containerSecurityContext, podSecurityContext } from "./security.js";
import { storageClassName } from "./storage.js";
import { operatorDatabaseDocuments } from "../postgres/index.js";
import { pgNames } from "../postgres/names.js";
import { clientCaDocuments } from "../postgres/client-ca.js";
import { SERVER_HBA_DIR, SERVER_TLS_DIR, SSL_ARGS, standaloneTlsDocuments } from "../postgres/standalone-tls.js";

/** The uid of the postgres user in the official image. */
const POSTGRES_UID = 999;

/** A database: a CloudNativePG Cluster (emit/postgres), or `standalone` one StatefulSet pod. */
export function databaseDocuments(model: PlatformModel, db: DatabaseModel): EmittedDocument[] {
  return [...(db.mode === "operator" ? operatorDatabaseDocuments(model, db) : standaloneDocuments(model, db)), ...clientCaDocuments(model, db)];
}

/**
 * `engine postgres <n> standalone`: PostgreSQL as a StatefulSet with a volume claim template and
 * a headless Service, serving TLS (ssl=on) with the cert-manager certificate mounted from
 * `<name>-server-tls`. One instance only (FIN4040): plain pods do not replicate.
 */
function standaloneDocuments(model: PlatformModel, db: DatabaseModel): EmittedDocument[] {
  const dir = db.namespace;
  const l = labels(model, db.name, "database", { "app.kubernetes.io/version": db.version });
  const f = db.fields;
  const secret = names.dbCredentials(db.name);
  const pgIsReady = { exec: { command: ["pg_isready", "-h", "127.0.0.1", "-p", String(db.port)] } };
  const docs: EmittedDocument[] = [
    ...rbacDocuments(model, db, "database", { configMaps: [], secrets: [] }, model.platform.registry ? names.registrySecret : undefined),
    ...databaseSecretDocuments(model, db),
    ...standaloneTlsDocuments(model, db),
    document(`${dir}/service-${db.name}.yaml`, {
      apiVersion: "v1",
      kind: "Service",
      metadata: metadata(db.name, db.namespace, l),
      spec: { clusterIP: "None", selector: selector(db.name), ports: [{ name: "postgres", port: db.port, targetPort: "postgres", protocol: "TCP", appProtocol: "tcp" }] },
    }, db.origin, { "/spec/ports/0/port": f["port"] }),
    document(`${dir}/statefulset-${db.name}.yaml`, {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      // cert-manager renews the certificate; PostgreSQL reads it at start, so Reloader restarts the pod.
      metadata: metadata(db.name, db.namespace, l, { "secret.reloader.stakater.com/reload": pgNames.serverTlsSecret(db), "configmap.reloader.stakater.com/reload": pgNames.hbaConfigMap(db) }),
      spec: {
        serviceName: db.name,
        replicas: db.instances,
        podManagementPolicy: "OrderedReady",
        updateStrategy: { type: "RollingUpdate" },
        selector: { matchLabels: selector(db.name) },
        template: {
          metadata: { labels: { ...selector(db.name), "app.kubernetes.io/instance": db.name, "app.kubernetes.io/part-of": model.platform.name, ...costCenterLabels(model, db.namespace) } },
          spec: {
            serviceAccountName: db.name,
            automountServiceAccountToken: false,
            priorityClassName: priorityClassName("critical"),
            ...(model.platform.registry ? { imagePullSecrets: [{ name: names.registrySecret }] } : {}),
            securityContext: podSecurityContext(POSTGRES_UID),
            containers: [{
              name: "postgres",
              image: `docker.io/library/postgres:${db.version}`,
              imagePullPolicy: "Always",
              args: [...SSL_ARGS],
              ports: [{ name: "postgres", containerPort: db.port, protocol: "TCP" }],
              env: [
                { name: "POSTGRES_USER", valueFrom: { secretKeyRef: { name: secret, key: "username" } } },
                { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: secret, key: "password" } } },
                { name: "POSTGRES_DB", value: db.database },
                { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
                { name: "PGPORT", value: String(db.port) },
              ],
              resources: resources(db.resources),
              startupProbe: { ...pgIsReady, periodSeconds: 5, failureThreshold: 60, timeoutSeconds: 3 },
              readinessProbe: { ...pgIsReady, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 },
              livenessProbe: { ...pgIsReady, periodSeconds: 15, failureThreshold: 4, timeoutSeconds: 5 },
              securityContext: containerSecurityContext(POSTGRES_UID),
              volumeMounts: [
                { name: "data", mountPath: "/var/lib/postgresql/data" },
                { name: "run", mountPath: "/var/run/postgresql" },
                { name: "tmp", mountPath: "/tmp" },
                { name: "tls", mountPath: SERVER_TLS_DIR, readOnly: true },
                { name: "hba", mountPath: SERVER_HBA_DIR, readOnly: true },
              ],
            }],
            // The key is root-owned and group-readable (fsGroup postgres): 0640, as PostgreSQL requires of a root-owned key.
            volumes: [{ name: "run", emptyDir: {} }, { name: "tmp", emptyDir: { sizeLimit: "1Gi" } }, { name: "tls", secret: { secretName: pgNames.serverTlsSecret(db), defaultMode: 0o640 } }, { name: "hba", configMap: { name: pgNames.hbaConfigMap(db), defaultMode: 0o444 } }],
            terminationGracePeriodSeconds: 120,
            ...withPciPool(model, db.namespace, placement(db.name, residencyRegions(model, db.namespace))),
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: "data", labels: selector(db.name) },
          spec: { accessModes: ["ReadWriteOnce"], storageClassName: storageClassName(db.storage.tier), resources: { requests: { storage: db.storage.size } } },
        }],
      },
    }, db.origin, {
      "/spec/replicas": f["instances"],
      "/spec/volumeClaimTemplates/0/spec/resources/requests/storage": f["storage"],
      "/spec/volumeClaimTemplates/0/spec/storageClassName": f["storage"],
      "/spec/template/spec/containers/0/image": f["engine"],
      "/spec/template/spec/containers/0/resources/requests/cpu": f["cpu"],
      "/spec/template/spec/containers/0/resources/limits/cpu": f["cpu"],
      "/spec/template/spec/containers/0/resources/requests/memory": f["memory"],
      "/spec/template/spec/containers/0/resources/limits/memory": f["memory"],
    }),
  ];
  if (db.instances >= 2) {
    docs.push(document(`${dir}/poddisruptionbudget-${db.name}.yaml`, {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: metadata(db.name, db.namespace, l),
      spec: { maxUnavailable: 1, selector: { matchLabels: selector(db.name) } },
    }, f["instances"] ?? db.origin));
  }
  return docs;
}
