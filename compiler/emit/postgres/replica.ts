import { replicaCluster } from "../../model/cloud-model.js";
import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { retentionPolicy, scheduledBackupDocument } from "./backup.js";
import { clusterDocument, regionAffinity } from "./cluster.js";
import { podMonitorDocuments } from "./monitoring.js";
import { withPciPoolCnpg } from "../nodepools/pci-placement.js";
import { clusterNetworkPolicy } from "./network.js";
import { standbySource } from "../../model/cluster-topology.js";
import { standbyArchiveObjectStore } from "../../model/standby-archive.js";

/**
 * The replica cluster of `replicate to <region>` in THIS output. Once the spec declares
 * `cluster`s, each Kubernetes cluster is in one region, so a replica in another region is never
 * this cluster's: it is the standby cluster's there (standbyClusterDocument), and an environment
 * without a cluster in that region keeps only the bucket's replication (FIN4083 if its RTO counts
 * on the replica). Without clusters, other regions are nodes of this one (as before).
 */
function replicaHere(model: PlatformModel, db: DatabaseModel): ReturnType<typeof replicaCluster> {
  return model.clusters?.length ? undefined : replicaCluster(model, db);
}

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
  const replica = replicaHere(model, db);
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
  const replica = replicaHere(model, db);
  if (!replica || !db.backup) return [];
  const doc = scheduledBackupDocument(model, { ...db, name: replica.name, origin: db.fields["replicate"] ?? db.origin, backup: db.backup });
  // The primary's method follows its own bucket; the replica always has its regional object store.
  const spec = { ...(doc.object["spec"] as Record<string, unknown>), method: "barmanObjectStore" };
  return [document(doc.path, { ...doc.object, spec }, doc.origin, doc.fields)];
}

/**
 * A standby cluster's database (model/cluster-topology.ts): the same `Cluster` the primary runs —
 * same name, so the services' `<db>-rw`/`<db>-ro` URLs, Secrets and NetworkPolicies are the
 * primary's — but as a CloudNativePG replica cluster: bootstrapped by `recovery` and kept in sync
 * from the primary's WAL and base backups where its cloud keeps them in the standby's region — S3
 * replication's bucket, the dual-region GCS bucket, the Azure account's RA-GZRS secondary endpoint
 * (model/standby-archive.ts; `externalClusters` `<db>-<primary cluster>`, `serverName: <db>`). It archives its own backups to
 * its own cluster's bucket (the `backup` section clusterDocument gives it), so it has backups
 * once promoted (`replica.enabled: false`); until then it is read-only (hot standby).
 * Undefined where this output is no standby of the database (the primary Cluster is emitted).
 */
export function standbyClusterDocument(model: PlatformModel, db: DatabaseModel): EmittedDocument | undefined {
  const source = standbySource(model, db.name);
  if (!source) return undefined;
  const base = clusterDocument(model, db);
  const spec = base.object["spec"] as Record<string, unknown>;
  const at = db.fields["replicate"] ?? db.origin;
  return document(base.path, {
    ...base.object,
    spec: {
      ...spec,
      bootstrap: { recovery: { source: source.name } },
      replica: { enabled: true, source: source.name },
      externalClusters: [{
        name: source.name,
        barmanObjectStore: { ...standbyArchiveObjectStore(model, source.bucket, db.namespace), serverName: db.name, wal: { maxParallel: 8 } },
      }],
    },
  }, base.origin, { ...base.fields, "/spec/replica": at, "/spec/externalClusters": at });
}
