import { single } from "../readers.js";
import { field } from "./field-spec.js";

/**
 * Platform fields about the cloud account the platform runs in (mission areas 11, 12 and 16):
 * what the Terraform target and the cloud parts of the Kubernetes output (workload identity
 * annotations, KMS-encrypted storage classes) need to agree on. Spread into platformSpec.
 * Each may be overridden per environment (`environment prod { payments.account "…" }`).
 */
export const platformCloudFields = {
  account: field({
    doc: "The cloud account the environment runs in: the 12-digit AWS account ID (or the GCP project ID). With `cluster`, workloads that read from an `aws` secret store get an IAM role for service accounts (IRSA): the `terraform` target creates it and their ServiceAccount is annotated with `eks.amazonaws.com/role-arn`. Terraform refuses to apply with credentials of another account.",
    syntax: '"<account id>"',
    example: '"123456789012"',
    read: (ctx) => single(ctx, (r) => r.string("the cloud account ID in double quotes")?.value),
  }),
  cluster: field({
    doc: "The Kubernetes cluster (EKS cluster name) of the environment. The `terraform` target reads its OIDC issuer to trust the cluster's service accounts, and names IAM roles `<cluster>-<namespace>-<service account>`. Give each environment its own: `environment prod { payments.cluster \"payments-prod\" }`.",
    syntax: '"<cluster name>"',
    example: '"payments-eu"',
    read: (ctx) =>
      single(ctx, (r) => {
        const s = r.string("the cluster name in double quotes");
        if (!s) return undefined;
        if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(s.value)) return r.mismatch("a cluster name: letters, digits, '-' and '_', at most 100 characters", r.term.atoms[0]);
        return s.value;
      }),
  }),
  kms: field({
    doc: "The customer-managed KMS key that encrypts the environment's volumes and backups. `kms \"alias/payments-prod\"`: the `terraform` target creates the key (yearly rotation) under that alias, and the StorageClasses pass it to the EBS CSI driver as `kmsKeyId`; `kms \"arn:aws:kms:…\"`: an existing key, used the same way but not created. Needs `account`.",
    syntax: '"alias/<name>" | "arn:aws:kms:<region>:<account>:key/<id>"',
    example: '"alias/payments"',
    read: (ctx) =>
      single(ctx, (r) => {
        const s = r.string('a KMS alias such as "alias/payments" or a key ARN');
        if (!s) return undefined;
        if (!/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(s.value) || s.value.startsWith("alias/aws/")) {
          if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(s.value))
            return r.mismatch('a KMS alias ("alias/<name>", not under alias/aws/) or a key ARN', r.term.atoms[0]);
        }
        return s.value;
      }),
  }),
  "storage-provisioner": field({
    doc: "The CSI driver that provisions (and snapshots) the environment's volumes: the `provisioner` of finc's StorageClasses and the `driver` of its VolumeSnapshotClass. Required with `cloud onprem` when any database needs volumes (FIN4052), e.g. `storage-provisioner \"csi.vsphere.vmware.com\"`, `\"rbd.csi.ceph.com\"`, `\"driver.longhorn.io\"`; on aws, gcp and azure it replaces the cloud's own driver (ebs.csi.aws.com, pd.csi.storage.gke.io, disk.csi.azure.com), whose tier parameters are then not passed.",
    syntax: '"<CSI driver name>"',
    example: '"csi.vsphere.vmware.com"',
    read: (ctx) =>
      single(ctx, (r) => {
        const s = r.string("the CSI driver name in double quotes");
        if (!s) return undefined;
        // A CSIDriver's name: at most 63 characters, alphanumerics with '-' and '.' inside.
        if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$/.test(s.value)) return r.mismatch("a CSI driver name such as \"csi.vsphere.vmware.com\" (letters, digits, '-' and '.', at most 63 characters)", r.term.atoms[0]);
        return s.value;
      }),
  }),
};

/** Database fields about the cloud (spread into databaseSpec). */
export const databaseCloudFields = {
  replicate: field({
    doc: "Cross-region disaster recovery: `replicate to eu-central-1` copies the database's backups to a bucket in that region (S3 replication, by the `terraform` target) and runs a CloudNativePG replica cluster `<database>-<region>` there, recovering continuously from that copy and promotable if the primary region is lost. The region must be one of the platform's `regions`, not the primary; needs `backup` and, on aws, `account`.",
    syntax: "to <region>",
    example: "to eu-central-1",
    values: ["to"],
    read: (ctx) =>
      single(ctx, (r) => {
        if (!r.accept("to")) return r.mismatch("'to'", r.peek(), "Write `replicate to <region>`.");
        const region = r.word("a region");
        return region && { region: region.name, range: region.range };
      }),
  }),
};
