import { fnv8, primaryRegion, resourcePrefix } from "./cloud-model.js";
import type { PlatformModel } from "./platform-model.js";
import { secretStoreIdentities, serviceCloudIdentities, type CloudWorkloadIdentity } from "./cloud-secrets.js";
import { backedUpDatabases, postgresBackupPrefix } from "./cloud-model.js";

/**
 * GCP names (`cloud gcp`, the project is `account`) shared by the terraform target, which
 * creates the Google service accounts, KMS key and bucket, and the Kubernetes output, which
 * refers to them (iam.gke.io/gcp-service-account, disk-encryption-kms-key, gs:// paths).
 */

const clip = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max).replace(/[-_]+$/, ""));
const dnsSafe = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]/g, "-");

/** A Google service account ID: 6–30 characters `[a-z][a-z0-9-]*[a-z0-9]`; long ones keep a readable start and a hash of the whole. */
export function gsaAccountId(model: PlatformModel, namespace: string, serviceAccount: string): string {
  const full = dnsSafe(`${resourcePrefix(model)}-${namespace}-${serviceAccount}`).replace(/^[^a-z]+/, "");
  const id = full.length <= 30 ? full : `${clip(full, 21)}-${fnv8(full)}`;
  return id.length >= 6 ? id : `${id}-finc`.slice(0, 30);
}

/** `<id>@<project>.iam.gserviceaccount.com`. */
export function gsaEmail(project: string, accountId: string): string {
  return `${accountId}@${project}.iam.gserviceaccount.com`;
}

/** GKE Workload Identity's member for a Kubernetes ServiceAccount: `serviceAccount:<project>.svc.id.goog[<ns>/<sa>]`. */
export function workloadIdentityMember(project: string, namespace: string, serviceAccount: string): string {
  return `serviceAccount:${project}.svc.id.goog[${namespace}/${serviceAccount}]`;
}

/** The CloudNativePG Clusters archiving to the GCS bucket (their ServiceAccount is named after the Cluster). */
export function gcpBackupIdentities(model: PlatformModel): { database: string; namespace: string; serviceAccount: string; prefix: string }[] {
  // GKE Workload Identity binds the Cluster's ServiceAccount: it needs the project and the cluster (objectStorePath agrees).
  if (model.platform.cloud !== "gcp" || !model.platform.account || !model.platform.cluster) return [];
  return backedUpDatabases(model).filter((d) => d.mode === "operator").map((d) => ({ database: d.name, namespace: d.namespace, serviceAccount: d.name, prefix: postgresBackupPrefix(d.namespace) }));
}

/** Every Kubernetes ServiceAccount bound to a Google service account: services reading Secret Manager, SecretStores, backed-up databases. */
export function gcpIdentities(model: PlatformModel): CloudWorkloadIdentity[] {
  if (model.platform.cloud !== "gcp" || !model.platform.account) return [];
  return [...serviceCloudIdentities(model, "gcp"), ...secretStoreIdentities(model, "gcp")];
}

/** The Google service account a Kubernetes ServiceAccount is annotated with, when it has one. */
export function gcpServiceAccountEmail(model: PlatformModel, namespace: string, serviceAccount: string): string | undefined {
  const project = model.platform.account;
  if (model.platform.cloud !== "gcp" || !project) return undefined;
  const known = gcpIdentities(model).some((w) => w.namespace === namespace && w.serviceAccount === serviceAccount) ||
    gcpBackupIdentities(model).some((b) => b.namespace === namespace && b.serviceAccount === serviceAccount);
  return known ? gsaEmail(project, gsaAccountId(model, namespace, serviceAccount)) : undefined;
}

/**
 * `kms "<key ring>/<key>"`: the terraform target creates the ring and key in the primary region;
 * `kms "projects/…/cryptoKeys/…"`: an existing key. Its resource ID, as the PD CSI driver's
 * `disk-encryption-kms-key`, GCS's default key and GKE's database encryption take it.
 */
export function gcpKmsKey(model: PlatformModel): { id: string; ring?: string; key?: string; location?: string } | undefined {
  const p = model.platform;
  if (p.cloud !== "gcp" || !p.kms || p.kms.startsWith("alias/")) return undefined;
  if (p.kms.startsWith("projects/")) return { id: p.kms };
  const m = /^([A-Za-z0-9_-]{1,63})\/([A-Za-z0-9_-]{1,63})$/.exec(p.kms);
  const region = primaryRegion(model);
  if (!m || !p.account || !region) return undefined;
  return { id: `projects/${p.account}/locations/${region}/keyRings/${m[1]}/cryptoKeys/${m[2]}`, ring: m[1]!, key: m[2]!, location: region };
}

/** The GCS bucket of the environment's backups (`<prefix>-backups-<project>`, at most 63 characters), when `cloud gcp` with `account`. */
export function gcsBackupBucketName(model: PlatformModel): string | undefined {
  const p = model.platform;
  if (p.cloud !== "gcp" || !p.account) return undefined;
  const full = `${dnsSafe(resourcePrefix(model))}-backups-${p.account}`;
  return full.length <= 63 ? full : `${clip(full, 54)}-${fnv8(full)}`;
}
