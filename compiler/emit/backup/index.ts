import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { labels, metadata, selector } from "../kubernetes/labels.js";
import { csiDriver } from "../kubernetes/storage.js";
import { document, type Emitter, type EmittedDocument } from "../output.js";
import { namespacedLabel } from "../../model/generated-names.js";
import { objectStorePath, scheduledBackupDocument, SNAPSHOT_CLASS } from "../postgres/backup.js";
import { replicaScheduledBackups } from "../postgres/replica.js";

/** Velero runs in its own namespace; Schedules live there. */
export const VELERO_NAMESPACE = "velero";

/** A cron expression for "every <interval>": whole days at 03:00, whole hours on the hour, else every N minutes. */
export function cronFor(everyMs: number): string {
  const minutes = Math.max(1, Math.round(everyMs / 60_000));
  if (minutes % 1440 === 0) return minutes === 1440 ? "0 3 * * *" : `0 3 */${minutes / 1440} * *`;
  if (minutes % 60 === 0) return minutes === 60 ? "0 * * * *" : `0 */${minutes / 60} * * *`;
  return `*/${minutes} * * * *`;
}

/** Velero's TTL is a Go duration. */
export function ttlFor(keepMs: number): string {
  const hours = Math.max(1, Math.ceil(keepMs / 3_600_000));
  return `${hours}h0m0s`;
}

function schedule(model: PlatformModel, db: DatabaseModel & { backup: NonNullable<DatabaseModel["backup"]> }): EmittedDocument {
  // Schedules of every namespace meet in Velero's: `<namespace>-<database>`, hash-suffixed where that is ambiguous.
  const name = namespacedLabel(db.namespace, db.name);
  return document(`${VELERO_NAMESPACE}/schedule-${name}.yaml`, {
    apiVersion: "velero.io/v1",
    kind: "Schedule",
    metadata: metadata(name, VELERO_NAMESPACE, labels(model, db.name, "backup")),
    spec: {
      schedule: cronFor(db.backup.everyMs),
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: [db.namespace],
        labelSelector: { matchLabels: selector(db.name) },
        snapshotVolumes: true,
        snapshotMoveData: true,
        ttl: ttlFor(db.backup.keepMs),
        // A checkpoint right before the snapshot keeps crash recovery of the restored volume short.
        hooks: {
          resources: [{
            name: "postgres-checkpoint",
            includedNamespaces: [db.namespace],
            labelSelector: { matchLabels: selector(db.name) },
            pre: [{ exec: { container: "postgres", command: ["/bin/sh", "-c", 'psql -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c CHECKPOINT'], onError: "Fail", timeout: "2m" } }],
          }],
        },
      },
    },
  }, db.fields["backup"] ?? db.origin, { "/spec/schedule": db.fields["backup"], "/spec/template/ttl": db.fields["backup"] });
}

/**
 * Backups of stateful data (mission areas 6 and 12) for each database with `backup every …
 * keep …`. Run by the operator: a CloudNativePG ScheduledBackup — base backups to the object
 * store the Cluster archives WAL to (point-in-time recovery), or volume snapshots where finc
 * knows no object store. Standalone: a Velero Schedule taking CSI snapshots. Both kinds of
 * snapshot go through a VolumeSnapshotClass of the cloud's driver. Emits nothing when no
 * database asks for backups.
 */
export const backupEmitter: Emitter = {
  id: "backup",
  emit(model: PlatformModel) {
    const backed = model.databases.filter((d): d is DatabaseModel & { backup: NonNullable<DatabaseModel["backup"]> } => d.backup !== undefined);
    if (!backed.length) return { documents: [], diagnostics: [] };
    const snapshots = backed.filter((db) => db.mode === "standalone" || !objectStorePath(model, db));
    const driver = csiDriver(model);
    const documents: EmittedDocument[] = [
      ...(snapshots.length
        ? [document(`_cluster/volumesnapshotclass-${SNAPSHOT_CLASS}.yaml`, {
            apiVersion: "snapshot.storage.k8s.io/v1",
            kind: "VolumeSnapshotClass",
            metadata: metadata(SNAPSHOT_CLASS, undefined, { ...labels(model, SNAPSHOT_CLASS, "backup"), "velero.io/csi-volumesnapshot-class": "true" }),
            driver,
            deletionPolicy: "Retain",
          }, snapshots[0]!.fields["backup"] ?? snapshots[0]!.origin)]
        : []),
      ...backed.flatMap((db) => (db.mode === "operator" ? [scheduledBackupDocument(model, db), ...replicaScheduledBackups(model, db)] : [schedule(model, db)])),
    ];
    return { documents, diagnostics: [] };
  },
};
