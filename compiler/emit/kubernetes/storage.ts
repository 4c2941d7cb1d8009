import type { Cloud, PlatformModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { labels, metadata } from "./labels.js";
import { kmsKeyArn } from "../../model/cloud-model.js";
import { gcpKmsKey } from "../../model/cloud-gcp.js";
import { diskEncryptionSetId } from "../../model/cloud-azure.js";
import { volumeTiers } from "../../model/volumes.js";

/**
 * CSI provisioner and parameters per cloud and performance tier; every class is encrypted and
 * expandable. `onprem` has no driver of its own: the platform names it (`storage-provisioner`,
 * FIN4052 without it), and its tiers pass no parameters (they are the driver's business).
 */
const CLASSES: Record<Cloud, { provisioner?: string; tiers: Record<string, Record<string, string>> }> = {
  aws: { provisioner: "ebs.csi.aws.com", tiers: { fast: { type: "io2", iopsPerGB: "50", encrypted: "true" }, standard: { type: "gp3", encrypted: "true" }, archive: { type: "sc1", encrypted: "true" } } },
  gcp: { provisioner: "pd.csi.storage.gke.io", tiers: { fast: { type: "pd-ssd" }, standard: { type: "pd-balanced" }, archive: { type: "pd-standard" } } },
  azure: { provisioner: "disk.csi.azure.com", tiers: { fast: { skuName: "Premium_LRS" }, standard: { skuName: "StandardSSD_LRS" }, archive: { skuName: "Standard_LRS" } } },
  onprem: { tiers: { fast: {}, standard: {}, archive: {} } },
};

/** The CSI driver that provisions (and snapshots) volumes: the platform's `storage-provisioner`, else the cloud's own. */
export function csiDriver(model: PlatformModel): string {
  // onprem without a provisioner is FIN4052, so no build reaches the empty name.
  return model.platform.storageProvisioner ?? CLASSES[model.platform.cloud].provisioner ?? "";
}

/** The tier parameters belong to the cloud's own driver; another driver gets none. */
function tierParameters(model: PlatformModel, tier: string): Record<string, string> {
  const cloud = CLASSES[model.platform.cloud];
  if (model.platform.storageProvisioner !== undefined && model.platform.storageProvisioner !== cloud.provisioner) return {};
  return { ...cloud.tiers[tier], ...encryptionKeyParameter(model) };
}

/** The platform's key, as each cloud's CSI driver takes it: EBS `kmsKeyId`, PD `disk-encryption-kms-key`, Azure Disk `diskEncryptionSetID`. */
function encryptionKeyParameter(model: PlatformModel): Record<string, string> {
  const aws = kmsKeyArn(model);
  if (aws) return { kmsKeyId: aws };
  const gcp = gcpKmsKey(model);
  if (gcp) return { "disk-encryption-kms-key": gcp.id };
  const azure = diskEncryptionSetId(model);
  return azure ? { diskEncryptionSetID: azure } : {};
}

export function storageClassName(tier: string): string {
  return `finc-${tier}`;
}

export function storageClassDocuments(model: PlatformModel): EmittedDocument[] {
  // The tiers of databases and of workloads' `volume` lines.
  const tiers = [...new Set([...model.databases.map((d) => d.storage.tier), ...volumeTiers(model).map((v) => v.tier)])].sort();
  return tiers.map((tier) => {
    const db = model.databases.find((d) => d.storage.tier === tier);
    return document(`_cluster/storageclass-${storageClassName(tier)}.yaml`, {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: metadata(storageClassName(tier), undefined, labels(model, storageClassName(tier), "storage")),
      provisioner: csiDriver(model),
      parameters: tierParameters(model, tier),
      reclaimPolicy: "Retain",
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
    }, db ? db.fields["storage"] ?? db.origin : volumeTiers(model).find((v) => v.tier === tier)!.origin);
  });
}
