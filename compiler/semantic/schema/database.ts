import { diag } from "../../diagnostics/messages.js";
import { DATABASE_OUTPUTS } from "../../model/platform-model.js";
import { single } from "../readers.js";
import { UNIT_SUFFIXES } from "../../model/units.js";
import { cpuField, memoryField, namespaceField, readStoreRef } from "./common-fields.js";
import { field, type KindSpec } from "./field-spec.js";
import { RANGES } from "./value-ranges.js";
import { readBackupInterval } from "./backup-interval.js";
import { recoveryField } from "./recovery-field.js";
import { drillField } from "./drill-field.js";
import { databaseCloudFields } from "./cloud-fields.js";
import { databaseBootstrapFields } from "./database-bootstrap-fields.js";

export const STORAGE_TIERS = ["fast", "standard", "archive"] as const;

export const databaseSpec: KindSpec = {
  doc: "A PostgreSQL database: a CloudNativePG `Cluster` (streaming replication, automated failover, `-rw`/`-ro` Services, TLS with the operator's CA, backups to object storage), or with `engine postgres 16 standalone` one plain StatefulSet pod serving TLS from a cert-manager certificate; credentials come from a secret store.",
  required: ["storage", "credentials"],
  outputs: DATABASE_OUTPUTS,
  fields: {
    ...databaseCloudFields,
    ...databaseBootstrapFields,
    namespace: namespaceField,
    engine: field({
      doc: "The database engine and major version. By default the CloudNativePG operator runs it (a `Cluster`: replication and failover with `instances`, TLS, object-store backups). `standalone` asks for one plain PostgreSQL StatefulSet pod instead (no operator, no replication, so `instances 1` only; TLS from a cert-manager certificate finc issues from a CA of its own in the namespace; backups by Velero).",
      syntax: "postgres <major> [standalone]",
      example: "postgres 16",
      values: ["postgres"],
      keywords: { "#": ["standalone"] },
      numbers: [RANGES.postgres],
      read: (ctx) =>
        single(ctx, (r) => {
          const engine = r.oneOf(["postgres"] as const, "database engine");
          if (!engine) return undefined;
          const v = r.count(RANGES.postgres);
          if (v === undefined) return undefined;
          if (r.done) return { engine, version: String(v) };
          return r.oneOf(["standalone"] as const, "database mode") ? { engine, version: String(v), standalone: true } : undefined;
        }),
    }),
    instances: field({
      doc: "Number of PostgreSQL instances: one primary, the rest streaming replicas the operator fails over to (read through `read-url`). A `standalone` database has exactly one (FIN4040).",
      syntax: "<n>",
      example: "3",
      numbers: [RANGES.instances],
      read: (ctx) => single(ctx, (r) => r.count(RANGES.instances)),
    }),
    storage: field({
      doc: "Volume size per instance and the storage performance tier: `storage 200Gi fast`.",
      syntax: "<size> [fast | standard | archive]",
      example: "100Gi fast",
      keywords: { "#": STORAGE_TIERS },
      units: UNIT_SUFFIXES.memory,
      numbers: [RANGES.storage],
      read: (ctx) =>
        single(ctx, (r) => {
          const size = r.memory(RANGES.storage);
          if (!size) return undefined;
          const tier = r.done ? "standard" : r.oneOf(STORAGE_TIERS, "storage tier");
          return tier && { size: size.raw, bytes: size.bytes, tier };
        }),
    }),
    cpu: cpuField,
    memory: memoryField,
    credentials: field({
      doc: 'Where the database\'s username and password live: `credentials from vault "payments/ledger-db"` (keys `username` and `password`). `rotate 24h`: the credentials are rotated in the store on that period; the operator re-reads them every quarter period and the workloads using them are restarted when they change.',
      syntax: 'from <store> "<path>" [rotate <duration>]',
      example: 'from vault "team/db"',
      values: ["from"],
      keywords: { '"': ["key", "rotate"] },
      units: UNIT_SUFFIXES.duration,
      numbers: [RANGES.rotate],
      read: (ctx) =>
        single(ctx, (r) => {
          if (!r.accept("from")) return r.mismatch("'from'", r.peek(), 'Write `credentials from <store> "path"`.');
          const ref = readStoreRef(r);
          if (!ref || !r.accept("rotate")) return ref;
          const rotateMs = r.duration(RANGES.rotate);
          return rotateMs === undefined ? undefined : { ...ref, rotateMs };
        }),
    }),
    name: field({
      doc: "The name of the database inside PostgreSQL (defaults to the declaration's name).",
      syntax: "<name>",
      example: "ledger",
      read: (ctx) => single(ctx, (r) => r.word("a database name")?.name),
    }),
    backup: field({
      doc: "Backup schedule and retention: `backup every 6h keep 30d`. With the operator: a base backup on that schedule (`ScheduledBackup`) plus continuous WAL archiving to the environment's backup bucket (point-in-time recovery within `keep`); without an object store finc knows (AWS with `account`), volume snapshots. Standalone: a Velero Schedule.",
      syntax: "every <duration> keep <duration>",
      example: "every 6h keep 30d",
      values: ["every"],
      keywords: { "#": ["keep"] },
      units: UNIT_SUFFIXES.duration,
      numbers: [RANGES.backupEvery, RANGES.backupKeep],
      read: (ctx) =>
        single(ctx, (r) => {
          if (!r.accept("every")) return r.mismatch("'every'", r.peek());
          const everyMs = readBackupInterval(r);
          if (everyMs === undefined) return undefined;
          if (!r.accept("keep")) return r.mismatch("'keep'", r.peek());
          const keepMs = r.duration(RANGES.backupKeep);
          if (keepMs === undefined) return undefined;
          if (keepMs < everyMs) ctx.report(diag("FIN3004", { file: ctx.file, start: ctx.member.start, end: ctx.member.end }, { what: "Backup retention", bound: "at least the backup interval", value: "shorter", hint: "Keep backups longer than the interval between them." }));
          return { everyMs, keepMs };
        }),
    }),
    recovery: recoveryField,
    drill: drillField,
    port: field({
      doc: "The PostgreSQL port.",
      syntax: "<port>",
      example: "5432",
      numbers: [RANGES.port],
      read: (ctx) => single(ctx, (r) => r.count(RANGES.port)),
    }),
  },
};
