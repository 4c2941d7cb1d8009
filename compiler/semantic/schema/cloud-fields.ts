import { eachTerm, single } from "../readers.js";
import { field } from "./field-spec.js";
import { billingAccountField } from "./billing-account-field.js";

/**
 * Platform fields about the cloud account the platform runs in (mission areas 11, 12 and 16):
 * what the Terraform target and the cloud parts of the Kubernetes output (workload identity
 * annotations, KMS-encrypted storage classes) need to agree on. Spread into platformSpec.
 * Each may be overridden per environment (`environment prod { payments.account "…" }`).
 */
export const platformCloudFields = {
  account: field({
    doc: "The cloud account the environment runs in: the 12-digit AWS account ID, the GCP project ID, or the Azure subscription ID. With `cluster`, workloads that read from an `aws` secret store get an IAM role for service accounts (IRSA): the `terraform` target creates it and their ServiceAccount is annotated with `eks.amazonaws.com/role-arn`. Terraform refuses to apply with credentials of another account. On gcp, services and SecretStores reading Secret Manager get a Google service account bound through GKE Workload Identity (`iam.gke.io/gcp-service-account`); on azure, a user-assigned managed identity with a federated credential (Azure Workload Identity).",
    syntax: '"<account id>"',
    example: '"123456789012"',
    read: (ctx) => single(ctx, (r) => r.string("the cloud account ID in double quotes")?.value),
  }),
  cluster: field({
    doc: "The Kubernetes cluster (EKS, GKE or AKS cluster name) of the environment. The `terraform` target reads its OIDC issuer to trust the cluster's service accounts, and names IAM roles `<cluster>-<namespace>-<service account>`. Give each environment its own: `environment prod { payments.cluster \"payments-prod\" }`.",
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
    doc: "The customer-managed KMS key that encrypts the environment's volumes and backups. `kms \"alias/payments-prod\"`: the `terraform` target creates the key (yearly rotation) under that alias, and the StorageClasses pass it to the EBS CSI driver as `kmsKeyId`; `kms \"arn:aws:kms:…\"`: an existing key, used the same way but not created. Needs `account`. On gcp `kms \"<key ring>/<key>\"` creates a Cloud KMS key ring and key (90-day rotation) in the primary region (`\"projects/…/cryptoKeys/<key>\"`: an existing key), passed as `disk-encryption-kms-key`, the backup bucket's default key and GKE's Secrets encryption key; on azure `kms \"<vault>/<key>\"` creates a Key Vault key with a rotation policy in that existing vault (`\"https://<vault>.vault.azure.net/keys/<key>\"`: an existing key), used through a disk encryption set (`diskEncryptionSetID`), for the backup storage account and AKS's KMS etcd encryption.",
    syntax: '"alias/<name>" | "arn:aws:kms:<region>:<account>:key/<id>" | "<key ring>/<key>" (gcp) | "<vault>/<key>" (azure)',
    example: '"alias/payments"',
    read: (ctx) =>
      single(ctx, (r) => {
        const s = r.string('a KMS alias such as "alias/payments" or a key ARN');
        if (!s) return undefined;
        if (!/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(s.value) || s.value.startsWith("alias/aws/")) {
          // The GCP and Azure forms (checked against the cloud by checkCloud, FIN4084).
          const other = /^[A-Za-z0-9_-]{1,63}\/[A-Za-z0-9_-]{1,127}$/.test(s.value) ||
            /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/locations\/[a-z0-9-]+\/keyRings\/[A-Za-z0-9_-]{1,63}\/cryptoKeys\/[A-Za-z0-9_-]{1,63}$/.test(s.value) ||
            /^https:\/\/[A-Za-z0-9-]{3,24}\.vault\.azure\.net\/keys\/[A-Za-z0-9-]{1,127}(\/[0-9a-f]{32})?$/.test(s.value);
          if (!other && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(s.value))
            return r.mismatch('a KMS alias ("alias/<name>", not under alias/aws/) or a key ARN; on gcp "<key ring>/<key>" or "projects/…/cryptoKeys/<key>"; on azure "<vault>/<key>" or "https://<vault>.vault.azure.net/keys/<key>"', r.term.atoms[0]);
        }
        return s.value;
      }),
  }),
  tenant: field({
    doc: "`cloud azure`: the Microsoft Entra tenant ID of the subscription (`account`). The SecretStores of `azure` stores name it (`tenantId`) for Azure Workload Identity.",
    syntax: '"<tenant id>"',
    example: '"72f988bf-86f1-41af-91ab-2d7cd011db47"',
    read: (ctx) =>
      single(ctx, (r) => {
        const s = r.string("the tenant ID in double quotes");
        if (!s) return undefined;
        if (!UUID.test(s.value)) return r.mismatch("a tenant ID (a UUID)", r.term.atoms[0]);
        return s.value;
      }),
  }),
  "resource-group": field({
    doc: "`cloud azure`: the resource group of the environment's cluster and Key Vaults; the `terraform` target creates the managed identities, disk encryption set, storage account and DNS zones in it.",
    syntax: '"<resource group>"',
    example: '"payments-prod"',
    read: (ctx) =>
      single(ctx, (r) => {
        const s = r.string("the resource group name in double quotes");
        if (!s) return undefined;
        if (!/^[-\w.()]{0,89}[-\w()]$/.test(s.value)) return r.mismatch("a resource group name: letters, digits, '-', '_', '.', '(' and ')', at most 90 characters, not ending in '.'", r.term.atoms[0]);
        return s.value;
      }),
  }),
  "client-ids": field({
    doc: "`cloud azure`: the client IDs of the managed identities the `terraform` target created, one per Kubernetes ServiceAccount (`\"<namespace>/<service account>\" \"<client id>\"`). Azure picks a managed identity's client ID when it creates it, so the Kubernetes output can only annotate a ServiceAccount (`azure.workload.identity/client-id`) once it is known: apply the terraform target, then paste its output `client_ids_field` here (per environment). A ServiceAccount without one is FIN4086.",
    syntax: '"<namespace>/<service account>" "<client id>", …',
    example: '"payments/api" "3b6e1c1a-2f1e-4f6a-9d8e-1c2b3a4d5e6f"',
    read: (ctx) => {
      const pairs = eachTerm(ctx, (r) => {
        const sa = r.string("the ServiceAccount as \"<namespace>/<name>\"");
        if (!sa) return undefined;
        if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(sa.value)) return r.mismatch('"<namespace>/<service account>"', r.term.atoms[0]);
        const id = r.string("the client ID in double quotes");
        if (!id) return undefined;
        if (!UUID.test(id.value)) return r.mismatch("a client ID (a UUID)", r.term.atoms[1]);
        return [sa.value, id.value] as const;
      });
      return pairs.length ? Object.fromEntries(pairs) : undefined;
    },
  }),
  "billing-account": billingAccountField,
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

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

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
