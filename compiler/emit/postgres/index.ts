import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import type { EmittedDocument } from "../output.js";
import { databaseSecretDocuments } from "../kubernetes/secrets.js";
import { clusterDocument } from "./cluster.js";
import { initSqlDocuments } from "./init-sql.js";
import { podMonitorDocuments } from "./monitoring.js";
import { clusterNetworkPolicy } from "./network.js";
import { replicaDocuments, standbyClusterDocument } from "./replica.js";

/**
 * A database run by the CloudNativePG operator (mission areas 6 and 12): the Cluster, the
 * basic-auth Secret it bootstraps from, the NetworkPolicy the operator and
 * replication need, and a PodMonitor. The operator creates the pods, Services, PDBs, service
 * account and certificates itself; the ScheduledBackup is the backup target's (emit/backup).
 */
export function operatorDatabaseDocuments(model: PlatformModel, db: DatabaseModel): EmittedDocument[] {
  return [
    ...databaseSecretDocuments(model, db),
    ...initSqlDocuments(model, db),
    // On a standby cluster of a multi-cluster environment: the replica of the primary's Cluster (replica.ts).
    standbyClusterDocument(model, db) ?? clusterDocument(model, db),
    clusterNetworkPolicy(model, db),
    ...podMonitorDocuments(model, db),
    ...replicaDocuments(model, db),
  ];
}
