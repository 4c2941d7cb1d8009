import type { Cloud, PlatformModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { labels, metadata } from "./labels.js";
import { kmsKeyArn } from "../../model/cloud-model.js";

/** CSI provisioner and parameters per cloud and performance tier; every class is encrypted and expandable. */
const CLASSES: Record<Cloud, { provisioner: string; tiers: Record<string, Record<string, string>> }> = {
  aws: { provisioner: "ebs.csi.aws.com", tiers: { fast: { type: "io2", iopsPerGB: "50", encrypted: "true" }, standard: { type: "gp3", encrypted: "true" }, archive: { type: "sc1", encrypted: "true" } } },
  gcp: { provisioner: "pd.csi.storage.gke.io", tiers: { fast: { type: "pd-ssd" }, standard: { type: "pd-balanced" }, archive: { type: "pd-standard" } } },
  azure: { provisioner: "disk.csi.azure.com", tiers: { fast: { skuName: "Premium_LRS" }, standard: { skuName: "StandardSSD_LRS" }, archive: { skuName: "Standard_LRS" } } },
  onprem: { provisioner: "csi.example.internal", tiers: { fast: {}, standard: {}, archive: {} } },
};

/** The CSI driver that provisions (and snapshots) volumes on a cloud. */
export function csiDriver(cloud: Cloud): string {
  return CLASSES[cloud].provisioner;
}

export function storageClassName(tier: string): string {
  return `finc-${tier}`;
}

export function storageClassDocuments(model: PlatformModel): EmittedDocument[] {
  const tiers = [...new Set(model.databases.map((d) => d.storage.tier))].sort();
  const cloud = CLASSES[model.platform.cloud];
  return tiers.map((tier) => {
    const db = model.databases.find((d) => d.storage.tier === tier)!;
    return document(`_cluster/storageclass-${storageClassName(tier)}.yaml`, {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: metadata(storageClassName(tier), undefined, labels(model, storageClassName(tier), "storage")),
      provisioner: cloud.provisioner,
      parameters: { ...cloud.tiers[tier], ...(kmsKeyArn(model) ? { kmsKeyId: kmsKeyArn(model)! } : {}) },
      reclaimPolicy: "Retain",
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
    }, db.fields["storage"] ?? db.origin);
  });
}
