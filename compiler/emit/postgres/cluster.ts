import { primaryRegion, replicaCluster } from "../../model/cloud-model.js";
import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { postgresImage } from "../../model/database-image.js";
import { costCenterLabels, labels, metadata, priorityClassName, selector } from "../kubernetes/labels.js";
import { names } from "../kubernetes/names.js";
import { resources, residencyRegions } from "../kubernetes/pod.js";
import { storageClassName } from "../kubernetes/storage.js";
import { withPciPoolCnpg } from "../nodepools/pci-placement.js";
import { document, type EmittedDocument } from "../output.js";
import { backupIdentityMetadata, clusterBackup } from "./backup.js";
import { postInitApplicationSqlRefs } from "./init-sql.js";
import { pgNames } from "./names.js";
import { PG_HBA, postgresParameters } from "./parameters.js";
import { recoveryEstimate } from "../../model/recovery.js";

/** CloudNativePG's operand images: one per PostgreSQL major, minor updates roll out through the operator. */

/**
 * Labels the operator copies onto everything it creates for the cluster (pods, Jobs, Services,
 * PVCs). `app.kubernetes.io/name` lets the call-graph NetworkPolicies select the instances like any
 * workload. The instances stay out of the Istio mesh: the operator (outside the mesh) talks to
 * each instance's status port and PostgreSQL port by pod IP, which STRICT mTLS would refuse, and a
 * sidecar would keep the operator's bootstrap Jobs from completing. PostgreSQL's own TLS
 * (verify-full against the cluster's CA) protects the traffic instead.
 */
export function instanceLabels(model: PlatformModel, db: DatabaseModel): Record<string, string> {
  return {
    ...selector(db.name),
    "app.kubernetes.io/part-of": model.platform.name,
    "app.kubernetes.io/component": "database",
    "sidecar.istio.io/inject": "false",
    ...(model.platform.mesh === "istio" && model.platform.meshMode === "ambient" ? { "istio.io/dataplane-mode": "none" } : {}),
  };
}

/** Instances only on nodes of these regions (`topology.kubernetes.io/region`); nothing for none. */
export function regionAffinity(regions: readonly string[]): Record<string, unknown> {
  return regions.length ? { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/region", operator: "In", values: [...regions] }] }] } } } : {};
}

/**
 * A PostgreSQL cluster run by the CloudNativePG operator: `instances` pods, one primary and
 * streaming replicas with automated failover, the `-rw`/`-ro`/`-r` Services, TLS with
 * operator-issued certificates (CA in `<name>-ca`), the owner's password from the secret store
 * (the basic-auth Secret `<name>-credentials`), and the operator's own PodDisruptionBudgets.
 */
export function clusterDocument(model: PlatformModel, db: DatabaseModel): EmittedDocument {
  const f = db.fields;
  // With a replica cluster in another region, the primary stays in the primary region (else a failover could move both to one region).
  const primary = primaryRegion(model);
  const regions = replicaCluster(model, db) && primary ? [primary] : residencyRegions(model, db.namespace);
  const identity = backupIdentityMetadata(model, db);
  const spec: Record<string, unknown> = {
    ...(db.doc ? { description: db.doc.replace(/\s+/g, " ").trim() } : {}),
    instances: db.instances,
    imageName: postgresImage(db),
    ...(model.platform.registry ? { imagePullSecrets: [{ name: names.registrySecret }] } : {}),
    primaryUpdateStrategy: "unsupervised",
    primaryUpdateMethod: "switchover",
    enableSuperuserAccess: false,
    // A single instance's PDB would block every node drain; with replicas the operator's PDBs keep the primary and a quorum.
    enablePDB: db.instances > 1,
    bootstrap: {
      initdb: {
        database: db.database,
        owner: pgNames.owner(db),
        secret: { name: names.dbCredentials(db.name) },
        dataChecksums: true,
        encoding: "UTF8",
        ...postInitApplicationSqlRefs(db),
      },
    },
    postgresql: { parameters: postgresParameters(db, recoveryEstimate(model, db).archiveTimeoutMs), pg_hba: [...PG_HBA] },
    storage: { size: db.storage.size, storageClass: storageClassName(db.storage.tier), resizeInUseVolumes: true },
    resources: resources(db.resources),
    priorityClassName: priorityClassName("critical"),
    affinity: withPciPoolCnpg(model, db.namespace, {
      enablePodAntiAffinity: true,
      topologyKey: "topology.kubernetes.io/zone",
      podAntiAffinityType: "preferred",
      ...regionAffinity(regions),
    }),
    inheritedMetadata: { labels: { ...instanceLabels(model, db), ...costCenterLabels(model, db.namespace), ...identity.podLabels } },
    ...(Object.keys(identity.annotations).length ? { serviceAccountTemplate: { metadata: { annotations: identity.annotations } } } : {}),
    ...(db.backup ? { backup: clusterBackup(model, { ...db, backup: db.backup }) } : {}),
  };
  return document(`${db.namespace}/cluster-${db.name}.yaml`, {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: metadata(db.name, db.namespace, labels(model, db.name, "database", { "app.kubernetes.io/version": db.version })),
    spec,
  }, db.origin, {
    "/spec/instances": f["instances"],
    "/spec/imageName": f["image"] ?? f["engine"],
    "/spec/storage/size": f["storage"],
    "/spec/storage/storageClass": f["storage"],
    "/spec/bootstrap/initdb/secret": f["credentials"],
    "/spec/bootstrap/initdb/database": f["name"],
    "/spec/resources/requests/cpu": f["cpu"],
    "/spec/resources/limits/cpu": f["cpu"],
    "/spec/resources/requests/memory": f["memory"],
    "/spec/resources/limits/memory": f["memory"],
    "/spec/backup": f["backup"],
  });
}
