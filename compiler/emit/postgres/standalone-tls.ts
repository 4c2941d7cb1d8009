import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { pgNames } from "./names.js";

/** Where the standalone server's certificate is mounted, and the PostgreSQL settings that use it. */
export const SERVER_TLS_DIR = "/etc/postgresql/tls";
export const SSL_ARGS: readonly string[] = [
  "-c", "ssl=on",
  "-c", `ssl_cert_file=${SERVER_TLS_DIR}/tls.crt`,
  "-c", `ssl_key_file=${SERVER_TLS_DIR}/tls.key`,
  "-c", "ssl_min_protocol_version=TLSv1.2",
];

const CERT_MANAGER = "cert-manager.io/v1";

/**
 * TLS for a standalone PostgreSQL, from cert-manager: a CA of the database's own (a self-signed
 * root that only signs this server; clients trust exactly it through `sslrootcert`) and the
 * server certificate for the headless Service's names. No ACME issuer can certify `.svc` names,
 * so the platform's issuers are not used. cert-manager renews the certificate before it expires;
 * PostgreSQL reads it at start, so Reloader restarts the pod when the Secret changes.
 */
export function standaloneTlsDocuments(model: PlatformModel, db: DatabaseModel): EmittedDocument[] {
  const l = labels(model, db.name, "database-tls");
  const dir = db.namespace;
  const selfSigned = `${db.name}-selfsigned`;
  const ca = pgNames.caSecret(db);
  const hosts = [db.name, `${db.name}.${db.namespace}`, `${db.name}.${db.namespace}.svc`, `${db.name}.${db.namespace}.svc.cluster.local`];
  return [
    document(`${dir}/issuer-${selfSigned}.yaml`, { apiVersion: CERT_MANAGER, kind: "Issuer", metadata: metadata(selfSigned, db.namespace, l), spec: { selfSigned: {} } }, db.origin),
    document(`${dir}/certificate-${ca}.yaml`, {
      apiVersion: CERT_MANAGER,
      kind: "Certificate",
      metadata: metadata(ca, db.namespace, l),
      spec: {
        isCA: true,
        commonName: `${db.name} PostgreSQL CA`,
        secretName: ca,
        duration: "87600h",
        renewBefore: "720h",
        privateKey: { algorithm: "ECDSA", size: 256 },
        issuerRef: { kind: "Issuer", name: selfSigned, group: "cert-manager.io" },
      },
    }, db.origin),
    document(`${dir}/issuer-${ca}.yaml`, { apiVersion: CERT_MANAGER, kind: "Issuer", metadata: metadata(ca, db.namespace, l), spec: { ca: { secretName: ca } } }, db.origin),
    document(`${dir}/certificate-${pgNames.serverTlsSecret(db)}.yaml`, {
      apiVersion: CERT_MANAGER,
      kind: "Certificate",
      metadata: metadata(pgNames.serverTlsSecret(db), db.namespace, l),
      spec: {
        secretName: pgNames.serverTlsSecret(db),
        commonName: hosts[3],
        dnsNames: hosts,
        duration: "2160h",
        renewBefore: "720h",
        usages: ["server auth", "digital signature", "key encipherment"],
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        issuerRef: { kind: "Issuer", name: ca, group: "cert-manager.io" },
      },
    }, db.origin),
  ];
}
