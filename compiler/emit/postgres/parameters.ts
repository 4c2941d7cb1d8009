import type { DatabaseModel } from "../../model/platform-model.js";

const MiB = 1024 ** 2;
const mb = (bytes: number) => `${Math.max(1, Math.floor(bytes / MiB))}MB`;

/**
 * `postgresql.parameters` sized from the memory limit (the usual starting points: a quarter for
 * shared buffers, three quarters as the planner's cache estimate), plus logging that makes slow
 * queries and lock waits visible. Only parameters CloudNativePG lets users set: TLS, WAL
 * shipping and replication settings are the operator's.
 */
export function postgresParameters(db: DatabaseModel, archiveTimeoutMs?: number): Record<string, string> {
  const memory = db.resources.memory.limit;
  return {
    // A declared RPO below the operator's 5min default (model/recovery.ts): switch WAL segments at least that often.
    ...(archiveTimeoutMs ? { archive_timeout: `${Math.round(archiveTimeoutMs / 60_000)}min` } : {}),
    max_connections: "200",
    shared_buffers: mb(memory / 4),
    effective_cache_size: mb((memory * 3) / 4),
    maintenance_work_mem: mb(Math.min(memory / 16, 2048 * MiB)),
    work_mem: mb(Math.max(4 * MiB, memory / 4 / 200)),
    wal_compression: "on",
    log_min_duration_statement: "1000",
    log_lock_waits: "on",
    log_temp_files: "0",
    idle_in_transaction_session_timeout: "600000",
  };
}

/**
 * Host-based authentication ahead of the operator's default `host all all all scram-sha-256`:
 * a connection without TLS is refused, whatever the client asks for.
 */
export const PG_HBA: readonly string[] = ["hostnossl all all all reject", "hostssl all all all scram-sha-256"];
