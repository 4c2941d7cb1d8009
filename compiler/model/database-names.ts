import type { DatabaseModel } from "./platform-model.js";

/**
 * Names and addresses of a database, in one place so the server side (Cluster or
 * StatefulSet, certificates) and the client side (URLs, CA mounts) agree.
 */
const svc = (name: string, db: DatabaseModel) => `${name}.${db.namespace}.svc.cluster.local`;

export const pgNames = {
  /** The primary: CloudNativePG's `-rw` Service, or the standalone pod's headless Service. */
  primaryHost: (db: DatabaseModel) => (db.mode === "operator" ? svc(`${db.name}-rw`, db) : svc(db.name, db)),
  /** Read-only replicas (`-ro`); without replicas, and standalone, the primary. */
  readHost: (db: DatabaseModel) => (db.mode === "operator" && db.instances > 1 ? svc(`${db.name}-ro`, db) : pgNames.primaryHost(db)),
  /** The CA that signs the server certificate: the operator's `<cluster>-ca`, or finc's cert-manager CA. Key `ca.crt`. */
  caSecret: (db: DatabaseModel) => `${db.name}-ca`,
  /** What clients mount: only the CA's certificate, copied out of caSecret (client-ca.ts). */
  clientCaSecret: (db: DatabaseModel) => `${db.name}-client-ca`,
  /** The ServiceAccount, Role and SecretStore that may read caSecret, and nothing else. */
  caReader: (db: DatabaseModel) => `${db.name}-ca-reader`,
  /** The standalone server's certificate (cert-manager): keys tls.crt, tls.key. */
  serverTlsSecret: (db: DatabaseModel) => `${db.name}-server-tls`,
  /** The standalone server's pg_hba.conf (TLS only), mounted as its hba_file. */
  hbaConfigMap: (db: DatabaseModel) => `${db.name}-pg-hba`,
  /** Where a client container finds the CA certificate (`sslrootcert`). */
  caDir: (db: DatabaseModel) => `/etc/finc/db/${db.name}`,
  caFile: (db: DatabaseModel) => `${pgNames.caDir(db)}/ca.crt`,
  caVolume: (db: DatabaseModel) => `db-ca-${db.name}`.slice(0, 63).replace(/-+$/, ""),
  /**
   * The role the application connects as. With the operator it is the database's owner, named
   * after the database (the operator requires the bootstrap Secret's username to be the owner).
   */
  owner: (db: DatabaseModel) => db.database,
};

/** libpq parameters every finc client uses: TLS, the server's name checked against the cluster's CA. */
export function sslQuery(db: DatabaseModel): string {
  return `sslmode=verify-full&sslrootcert=${pgNames.caFile(db)}`;
}
