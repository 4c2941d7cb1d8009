import { replicaCluster } from "../../model/cloud-model.js";
import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { retentionPolicy, scheduledBackupDocument } from "./backup.js";
import { clusterDocument, regionAffinity } from "./cluster.js";
import { podMonitorDocuments } from "./monitoring.js";
import { withPciPoolCnpg } from "../nodepools/pci-placement.js";
import { clusterNetworkPolicy } from "./network.js";

/**
 * `replicate to <region>`: a CloudNativePG replica cluster (the operator's "distributed topology")
 * named `<db>-<region>`, in the database's namespace, whose instances run only on nodes labelled
 * `topology.kubernetes.io/region: <region>`.
 *
 * How finc models another region: an environment is one Kubernetes deployment target whose nodes
 * carry their region label (the assumption `residency` already makes); where each region is a
 * cluster of its own (EKS is one region per cluster), the replica's documents are applied to the
 * second region's cluster — its node affinity keeps it off the primary region's nodes either way.
 *
 * Replication goes through the object store, not streaming: CloudNativePG supports both, and for
 * a replica in another region its documentation's path is the Barman object store, which needs no
 * network path from one region's pods to the other's PostgreSQL port and no copy of the primary's
 * `streaming_replica` client certificate and CA — neither of which finc could deliver across
 * clusters. So `replicate` needs `backup` (FIN4030) and an object store finc knows (FIN4055).
 * The replica reads the primary's WAL and base backups from the backup bucket's replica in its own
 * region (the terraform target replicates the bucket there), so it keeps working — and can be
 * promoted — when the primary region is gone, and reads in-region only; the cost is S3
 * replication's delay on top of the WAL archive's. Its designated primary archives to the same
 * regional bucket under its own server name, so after a promotion it has backups of its own.
 * Promote with `replica.enabled: false` (irreversible: the two clusters then diverge).
 */
export function replicaDocuments(model: PlatformModel, db: DatabaseModel): EmittedDocument[] {
  const replica = replicaCluster(model, db);
  if (!replica || !db.backup) return [];
  const at = db.fields["replicate"] ?? db.origin;
  // The replica as a database of its own name: its Cluster, NetworkPolicy, PodMonitor and ScheduledBackup are the primary's shape.
  const view: DatabaseModel = { ...db, name: replica.name, origin: at, replicateTo: undefined, init: undefined };
  const path = `s3://${replica.bucket}/postgres/${db.namespace}`;
  const store = { destinationPath: path, s3Credentials: { inheritFromIAMRole: true } };
  const base = clusterDocument(model, view);
  const spec = base.object["spec"] as Record<string, unknown>;
  const cluster = document(base.path, {
    ...base.object,
    spec: {
      ...spec,
      bootstrap: { recovery: { source: db.name } },
      replica: { enabled: true, source: db.name },
      externalClusters: [{ name: db.name, barmanObjectStore: { ...store, serverName: db.name, wal: { maxParallel: 8 } } }],
      affinity: withPciPoolCnpg(model, db.namespace, { ...(spec["affinity"] as Record<string, unknown>), ...regionAffinity([replica.region]) }),
      backup: {
        barmanObjectStore: { ...store, wal: { compression: "gzip", maxParallel: 4 }, data: { compression: "gzip", jobs: 2 } },
        retentionPolicy: retentionPolicy(db.backup.keepMs),
      },
    },
  }, at, { ...base.fields, "/spec/replica": at, "/spec/affinity/nodeAffinity": at });
  return [cluster, clusterNetworkPolicy(model, view), ...podMonitorDocuments(model, view)];
}

/** The replica's ScheduledBackup (the backup target's, like the primary's): base backups from its designated primary. */
export function replicaScheduledBackups(model: PlatformModel, db: DatabaseModel): EmittedDocument[] {
  const replica = replicaCluster(model, db);
  if (!replica || !db.backup) return [];
  const doc = scheduledBackupDocument(model, { ...db, name: replica.name, origin: db.fields["replicate"] ?? db.origin, backup: db.backup });
  // The primary's method follows its own bucket; the replica always has its regional object store.
  const spec = { ...(doc.object["spec"] as Record<string, unknown>), method: "barmanObjectStore" };
  return [document(doc.path, { ...doc.object, spec }, doc.origin, doc.fields)];
}
