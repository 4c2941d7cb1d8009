import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { pgNames } from "./names.js";
import { PG_HBA } from "./parameters.js";

/** Where the standalone server's certificate and pg_hba.conf are mounted, and the PostgreSQL settings that use them. */
export const SERVER_TLS_DIR = "/etc/postgresql/tls";
export const SERVER_HBA_DIR = "/etc/postgresql/hba";
export const SSL_ARGS: readonly string[] = [
  "-c", "ssl=on",
  "-c", `ssl_cert_file=${SERVER_TLS_DIR}/tls.crt`,
  "-c", `ssl_key_file=${SERVER_TLS_DIR}/tls.key`,
  "-c", "ssl_min_protocol_version=TLSv1.2",
  "-c", `hba_file=${SERVER_HBA_DIR}/pg_hba.conf`,
];

/**
 * The standalone server's pg_hba.conf. The official image's entrypoint appends
 * `host all all all scram-sha-256` to initdb's file, which lets clients in without TLS; finc's
 * file replaces it: TCP only with TLS, and the socket (the entrypoint's own setup, which exports
 * the password, and nothing outside the pod) with the password too.
 */
export const STANDALONE_HBA: readonly string[] = ["local all all scram-sha-256", ...PG_HBA];

export function standaloneHbaDocument(model: PlatformModel, db: DatabaseModel): EmittedDocument {
  const name = pgNames.hbaConfigMap(db);
  return document(`${db.namespace}/configmap-${name}.yaml`, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: metadata(name, db.namespace, labels(model, db.name, "database-tls")),
    data: { "pg_hba.conf": `# finc: connections without TLS are refused.\n${STANDALONE_HBA.join("\n")}\n` },
  }, db.origin);
}

const CERT_MANAGER = "cert-manager.io/v1";

/**
 * TLS for a standalone PostgreSQL, from cert-manager: a CA of the database's own (a self-signed
 * root that only signs this server; clients trust exactly it through `sslrootcert`) and the
 * server certificate for the headless Service's names. No ACME issuer can certify `.svc` names,
 * so the platform's issuers are not used. cert-manager renews the certificate before it expires;
 * PostgreSQL reads it at start, so Reloader restarts the pod when the Secret changes. The
 * pg_hba.conf that refuses connections without TLS comes with it (standaloneHbaDocument).
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
    standaloneHbaDocument(model, db),
  ];
}
