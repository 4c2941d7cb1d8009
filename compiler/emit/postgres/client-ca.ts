import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { pgNames } from "./names.js";

const ESO = "external-secrets.io/v1";
const RBAC = "rbac.authorization.k8s.io/v1";

/**
 * The CA certificate clients verify the server with (`sslrootcert`), as a Secret of its own
 * that holds nothing but `ca.crt`. The Secret that signs the server certificate (the operator's
 * `<db>-ca`, or finc's cert-manager CA for a standalone server) also holds the CA's private key:
 * application pods never reference it. The External Secrets Operator copies the public
 * certificate through a `kubernetes` SecretStore whose ServiceAccount may read exactly that one
 * Secret, and re-reads it hourly, so a rotated CA reaches the clients.
 */
export function clientCaDocuments(model: PlatformModel, db: DatabaseModel): EmittedDocument[] {
  const ns = db.namespace;
  const reader = pgNames.caReader(db);
  const l = labels(model, reader, "database-ca");
  return [
    document(`${ns}/serviceaccount-${reader}.yaml`, { apiVersion: "v1", kind: "ServiceAccount", metadata: metadata(reader, ns, l), automountServiceAccountToken: false }, db.origin),
    document(`${ns}/role-${reader}.yaml`, {
      apiVersion: RBAC,
      kind: "Role",
      metadata: metadata(reader, ns, l),
      rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [pgNames.caSecret(db)], verbs: ["get"] }],
    }, db.origin),
    document(`${ns}/rolebinding-${reader}.yaml`, {
      apiVersion: RBAC,
      kind: "RoleBinding",
      metadata: metadata(reader, ns, l),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: reader },
      subjects: [{ kind: "ServiceAccount", name: reader, namespace: ns }],
    }, db.origin),
    document(`${ns}/secretstore-${reader}.yaml`, {
      apiVersion: ESO,
      kind: "SecretStore",
      metadata: metadata(reader, ns, l),
      spec: {
        provider: {
          kubernetes: {
            remoteNamespace: ns,
            server: { caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt" } },
            auth: { serviceAccount: { name: reader } },
          },
        },
      },
    }, db.origin),
    document(`${ns}/externalsecret-${pgNames.clientCaSecret(db)}.yaml`, {
      apiVersion: ESO,
      kind: "ExternalSecret",
      metadata: metadata(pgNames.clientCaSecret(db), ns, l),
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "SecretStore", name: reader },
        target: { name: pgNames.clientCaSecret(db), creationPolicy: "Owner" },
        data: [{ secretKey: "ca.crt", remoteRef: { key: pgNames.caSecret(db), property: "ca.crt" } }],
      },
    }, db.origin),
  ];
}
