/**
 * What the CloudNativePG operator configures on an instance, for a local server standing in for
 * it. Read from cloudnative-pg/cloudnative-pg (main, 2026-08; same in v1.25, the lowest finc
 * supports):
 * - server certificate: internal/controller/cluster_pki.go `ensureServerLeafCertificate` issues it
 *   with common name `<cluster>-rw` and the alt names of api/v1/cluster_funcs.go
 *   `GetClusterAltDNSNames`: for each of the -rw, -r and -ro Services, `svc`, `svc.ns`,
 *   `svc.ns.svc`, `svc.ns.svc.<cluster domain, default cluster.local>`; signed by `<cluster>-ca`
 *   (api/v1/cluster_types.go DefaultServerCaSecretSuffix), key `ca.crt` (pkg/certs/certs.go).
 * - postgresql.conf: pkg/postgres/configuration.go MandatorySettings (ssl on, ssl_cert_file,
 *   ssl_key_file, ssl_ca_file = the client CA) and GlobalDefaultSettings (TLS 1.3 only).
 * - pg_hba.conf: pkg/postgres/configuration.go hbaTemplateString: fixed rules, then the Cluster's
 *   `spec.postgresql.pg_hba`, then the default `host all all all scram-sha-256`, which would
 *   accept connections without TLS were it not for a user rule ahead of it.
 */

export function cnpgServerAltDNSNames(cluster: string, namespace: string, clusterDomain = "cluster.local"): string[] {
  return ["rw", "r", "ro"].flatMap((suffix) => {
    const svc = `${cluster}-${suffix}`;
    return [svc, `${svc}.${namespace}`, `${svc}.${namespace}.svc`, `${svc}.${namespace}.svc.${clusterDomain}`];
  });
}

export function cnpgServerCommonName(cluster: string): string {
  return `${cluster}-rw`;
}

/** The operator's settings for TLS, with its file locations mapped to the local copies. */
export function cnpgTlsSettings(files: { cert: string; key: string; clientCa: string }): Record<string, string> {
  return {
    ssl: "on",
    ssl_cert_file: files.cert,
    ssl_key_file: files.key,
    ssl_ca_file: files.clientCa,
    ssl_min_protocol_version: "TLSv1.3",
    ssl_max_protocol_version: "TLSv1.3",
  };
}

/** hbaTemplateString with the user rules in place (no LDAP); DefaultAuthenticationMethod is scram-sha-256 on PostgreSQL ≥ 14. */
export function cnpgPgHba(userRules: readonly string[]): string {
  return [
    "local all cnpg_metrics_exporter peer map=cnpg_metrics_exporter",
    "local all all peer map=local",
    "hostssl postgres streaming_replica all cert map=cnpg_streaming_replica",
    "hostssl replication streaming_replica all cert map=cnpg_streaming_replica",
    "hostssl all cnpg_pooler_pgbouncer all cert map=cnpg_pooler_pgbouncer",
    ...userRules,
    "host all all all scram-sha-256",
    "",
  ].join("\n");
}
