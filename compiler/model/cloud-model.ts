import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { DatabaseModel, PlatformModel } from "./platform-model.js";
import type { ScaleTrigger } from "./scaling-model.js";

/**
 * Cloud facts (mission areas 11, 12 and 16) shared by the `terraform` target, which
 * creates the cloud resources, and the Kubernetes output, which refers to them (IRSA
 * annotations, the StorageClasses' KMS key). Both derive names from the functions
 * here, so the two outputs always agree.
 */
export interface PlatformCloud {
  /** `account "123456789012"`: the AWS account ID (GCP project ID). */
  readonly account?: string;
  /** `cluster "payments-eu"`: the EKS cluster of the environment. */
  readonly cluster?: string;
  /** `kms "alias/payments"` (created by terraform) or `kms "arn:aws:kms:…"` (an existing key). */
  readonly kms?: string;
  /** `storage-provisioner "csi.vsphere.vmware.com"`: the CSI driver of the StorageClasses (required on onprem). */
  readonly storageProvisioner?: string;
  /** `tenant "<uuid>"` (azure): the Entra tenant of the subscription. */
  readonly tenant?: string;
  /** `resource-group "<name>"` (azure): where the cluster, vaults and finc's resources live. */
  readonly resourceGroup?: string;
  /** `client-ids "<ns>/<sa>" "<uuid>", …` (azure): the managed identities' client IDs, after terraform apply. */
  readonly clientIds?: Readonly<Record<string, string>>;
  /** `billing-account "<id>"` (gcp): the Cloud Billing account of the budgets. */
  readonly billingAccount?: string;
}

export interface DatabaseCloud {
  /** `replicate to eu-central-1`: backups are replicated to a bucket in that region. */
  readonly replicateTo?: string;
}

export function lowerPlatformCloud(v: FieldValues): PlatformCloud {
  const account = v.get<string>("account");
  const cluster = v.get<string>("cluster");
  const kms = v.get<string>("kms");
  const storageProvisioner = v.get<string>("storage-provisioner");
  const tenant = v.get<string>("tenant");
  const resourceGroup = v.get<string>("resource-group");
  const clientIds = v.get<Record<string, string>>("client-ids");
  const billingAccount = v.get<string>("billing-account");
  return {
    ...(account ? { account } : {}), ...(cluster ? { cluster } : {}), ...(kms ? { kms } : {}), ...(storageProvisioner ? { storageProvisioner } : {}),
    ...(tenant ? { tenant } : {}), ...(resourceGroup ? { resourceGroup } : {}), ...(clientIds ? { clientIds } : {}),
    ...(billingAccount ? { billingAccount } : {}),
  };
}

export function lowerDatabaseCloud(v: FieldValues): DatabaseCloud {
  const r = v.get<{ region: string }>("replicate");
  return r ? { replicateTo: r.region } : {};
}

/** The primary region (`regions eu-west-1 primary, …`), else the first one. */
export function primaryRegion(model: PlatformModel): string | undefined {
  const rs = model.platform.regions;
  return (rs.find((r) => r.primary) ?? rs[0])?.name;
}

/** What names the environment's cloud resources: the cluster, else `<platform>-<environment>`. */
export function resourcePrefix(model: PlatformModel): string {
  return model.platform.cluster ?? `${model.platform.name}-${model.environment}`;
}

/** IAM role names are at most 64 characters: long ones keep a readable start and a hash of the whole. */
export function iamRoleName(model: PlatformModel, namespace: string, serviceAccount: string): string {
  const full = `${resourcePrefix(model)}-${namespace}-${serviceAccount}`;
  return full.length <= 64 ? full : `${full.slice(0, 55).replace(/[-_]+$/, "")}-${fnv8(full)}`;
}

/** An 8-hex-digit FNV-1a hash: keeps clipped cloud names unique. */
export function fnv8(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** A secret in AWS Secrets Manager: its store's region and its name (the path written in the spec). */
export interface AwsSecretRef {
  readonly store: string;
  readonly region: string;
  readonly name: string;
}

/** A Kubernetes service account that gets a cloud role, and what the role may read. */
export interface WorkloadIdentity {
  readonly workload: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly secrets: readonly AwsSecretRef[];
  /** The SQS queues KEDA reads the depth of with this role (`scale on queue sqs`, TriggerAuthentication identityOwner workload). */
  readonly queues: readonly SqsQueueRef[];
  readonly origin: SourceRange;
}

/** An SQS queue a `scale on queue sqs "<url>"` line names, and its exact ARN. */
export interface SqsQueueRef {
  readonly url: string;
  readonly arn: string;
}

/** `https://sqs.<region>.amazonaws.com[.cn]/<account>/<name>` → `arn:<partition>:sqs:<region>:<account>:<name>` (the reader checked the form). */
export function sqsQueueArn(url: string): string | undefined {
  const m = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/(\d{12})\/([A-Za-z0-9_.-]+)$/.exec(url);
  if (!m) return undefined;
  const [, region, cn, account, name] = m;
  const partition = cn || region!.startsWith("cn-") ? "aws-cn" : region!.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:sqs:${region}:${account}:${name}`;
}

/** The SQS queues of a service's `scale on queue sqs` lines, one per ARN, sorted. */
export function serviceSqsQueues(s: { readonly scaling?: { readonly scale?: readonly ScaleTrigger[] } }): SqsQueueRef[] {
  const m = new Map<string, SqsQueueRef>();
  for (const t of s.scaling?.scale ?? []) {
    if (t.kind !== "sqs") continue;
    const arn = sqsQueueArn(t.url);
    if (arn) m.set(arn, { url: t.url, arn });
  }
  return [...m.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

function awsStore(model: PlatformModel, name: string): { region: string } | undefined {
  const s = model.secretStores.find((x) => x.name === name);
  return s?.provider === "aws" ? { region: s.server } : undefined;
}

function uniqueSorted(refs: AwsSecretRef[]): AwsSecretRef[] {
  const m = new Map(refs.map((r) => [`${r.region}\u0000${r.name}`, r]));
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/**
 * The secrets in AWS Secrets Manager a service's pod uses: its `secret … from <aws store>`
 * lines, and the credentials of the databases it reads from an aws store.
 */
export function serviceAwsSecrets(model: PlatformModel, serviceName: string): AwsSecretRef[] {
  const s = model.services.find((x) => x.name === serviceName);
  if (!s) return [];
  const refs: AwsSecretRef[] = [];
  for (const sec of s.secrets) {
    const src = sec.source;
    if (src.kind === "store") {
      const st = awsStore(model, src.store);
      if (st) refs.push({ store: src.store, region: st.region, name: src.path });
    } else if (src.kind === "output") {
      const db = model.databases.find((d) => d.name === src.database);
      const st = db && awsStore(model, db.credentials.store);
      if (db && st) refs.push({ store: db.credentials.store, region: st.region, name: db.credentials.path });
    }
  }
  return uniqueSorted(refs);
}

/**
 * Services that read from an aws secret store, or scale on an SQS queue (KEDA reads its depth
 * with the workload's role), get an IRSA role granting exactly those secrets and queues.
 */
export function workloadIdentities(model: PlatformModel): WorkloadIdentity[] {
  if (model.platform.cloud !== "aws") return [];
  return model.services.flatMap((s) => {
    const secrets = serviceAwsSecrets(model, s.name);
    const queues = serviceSqsQueues(s);
    if (!secrets.length && !queues.length) return [];
    return [{ workload: s.name, namespace: s.namespace, serviceAccount: s.name, secrets, queues, origin: (secrets.length ? s.fields["secret"] : s.fields["scale"]) ?? s.origin }];
  });
}

/** Everything the External Secrets Operator syncs from AWS Secrets Manager: services', databases' and the registry's. */
export function externalSecretsAwsSecrets(model: PlatformModel): AwsSecretRef[] {
  if (model.platform.cloud !== "aws") return [];
  const refs: AwsSecretRef[] = [];
  for (const s of model.services) refs.push(...serviceAwsSecrets(model, s.name));
  for (const db of model.databases) {
    const st = awsStore(model, db.credentials.store);
    if (st) refs.push({ store: db.credentials.store, region: st.region, name: db.credentials.path });
  }
  const reg = model.platform.registry?.credentials;
  if (reg?.kind === "store") {
    const st = awsStore(model, reg.store);
    if (st) refs.push({ store: reg.store, region: st.region, name: reg.path });
  }
  return uniqueSorted(refs);
}

/**
 * The role ARN of a workload's service account, when the platform says enough to know it
 * (`cloud aws`, `account` and `cluster`) and the workload needs one; else undefined.
 */
export function workloadRoleArn(model: PlatformModel, namespace: string, serviceAccount: string): string | undefined {
  const p = model.platform;
  if (p.cloud !== "aws" || !p.account || !p.cluster) return undefined;
  if (!workloadIdentities(model).some((w) => w.namespace === namespace && w.serviceAccount === serviceAccount)) return undefined;
  return `arn:aws:iam::${p.account}:role/${iamRoleName(model, namespace, serviceAccount)}`;
}


/** Is `kms` a key the terraform target creates (an alias), rather than an existing key ARN? */
export function kmsManaged(model: PlatformModel): boolean {
  return model.platform.kms?.startsWith("alias/") === true;
}

/**
 * The KMS key for volumes and backups as the EBS CSI driver's `kmsKeyId` takes it: a key or
 * alias ARN. Undefined unless `cloud aws` with `kms`, and (for an alias) `account` and a region.
 */
export function kmsKeyArn(model: PlatformModel): string | undefined {
  const p = model.platform;
  if (p.cloud !== "aws" || !p.kms) return undefined;
  if (p.kms.startsWith("arn:")) return p.kms;
  const region = primaryRegion(model);
  return p.account && region ? `arn:aws:kms:${region}:${p.account}:${p.kms}` : undefined;
}

/** Databases with `backup every … keep …`, whose backups go to the environment's bucket. */
export function backedUpDatabases(model: PlatformModel): (DatabaseModel & { backup: NonNullable<DatabaseModel["backup"]> })[] {
  return model.databases.filter((d): d is DatabaseModel & { backup: NonNullable<DatabaseModel["backup"]> } => d.backup !== undefined);
}

/** The key prefix CloudNativePG archives a namespace's databases under (destinationPath `s3://<bucket>/postgres/<namespace>`). */
export function postgresBackupPrefix(namespace: string): string {
  return `postgres/${namespace}`;
}

/**
 * A CloudNativePG Cluster archiving WAL and base backups to the backup bucket with IRSA: its
 * instances run as the ServiceAccount the operator names after the Cluster (the database), in its namespace.
 */
export interface BackupIdentity {
  /** The Cluster: the database, or its replica cluster `<db>-<region>`. */
  readonly database: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The object key prefix it writes below (without the trailing `/`). */
  readonly prefix: string;
  /** A replica cluster's region: it uses the backup bucket's replica there (terraform's `replicate`), not the primary bucket. */
  readonly region?: string;
  readonly origin: SourceRange;
}

/**
 * Operator-run databases with `backup` on `cloud aws`, when the platform names the `account`
 * (the bucket) and the `cluster` (the OIDC provider): the terraform target creates their roles,
 * the Cluster annotates its ServiceAccount with `backupRoleArn`.
 */
export function backupIdentities(model: PlatformModel): BackupIdentity[] {
  const p = model.platform;
  if (p.cloud !== "aws" || !p.account || !p.cluster) return [];
  return backedUpDatabases(model)
    .filter((d) => d.mode === "operator")
    .flatMap((d) => {
      const own = { database: d.name, namespace: d.namespace, serviceAccount: d.name, prefix: postgresBackupPrefix(d.namespace), origin: d.fields["backup"] ?? d.origin };
      const replica = replicaCluster(model, d);
      return replica ? [own, { ...own, database: replica.name, serviceAccount: replica.name, region: replica.region, origin: d.fields["replicate"] ?? own.origin }] : [own];
    });
}

/** The role ARN a database's Cluster annotates its ServiceAccount with (the terraform target names the role the same way). */
export function backupRoleArn(model: PlatformModel, namespace: string, database: string): string | undefined {
  const id = backupIdentities(model).find((b) => b.namespace === namespace && b.database === database);
  return id && `arn:aws:iam::${model.platform.account}:role/${iamRoleName(model, id.namespace, id.serviceAccount)}`;
}

/** CloudNativePG refuses Cluster names longer than this (its Services and Jobs add suffixes). */
export const CNPG_CLUSTER_NAME_MAX = 50;

/** `replicate to <region>` on an operator-run database: the replica Cluster's name, `<db>-<region>`. */
export function replicaClusterName(db: DatabaseModel): string | undefined {
  return db.replicateTo ? `${db.name}-${db.replicateTo}` : undefined;
}

/**
 * The replica cluster of `replicate to <region>` (emit/postgres/replica.ts), when it can be built:
 * an operator-run database with backups to the bucket finc knows (`cloud aws` with `account`), a
 * region of the platform other than the primary, and a name CloudNativePG accepts. It recovers
 * from, and archives its own backups to, the bucket's replica in its region (`bucket`).
 * The checker reports every case where `replicate` is written but this is undefined (FIN4030, FIN4055).
 */
export function replicaCluster(model: PlatformModel, db: DatabaseModel): { name: string; region: string; bucket: string } | undefined {
  const name = replicaClusterName(db);
  const region = db.replicateTo;
  if (!name || !region || db.mode !== "operator" || !db.backup || name.length > CNPG_CLUSTER_NAME_MAX) return undefined;
  if (region === primaryRegion(model) || !model.platform.regions.some((r) => r.name === region)) return undefined;
  const bucket = replicaBackupBucketName(model, region);
  return bucket ? { name, region, bucket } : undefined;
}

/** The backup bucket's replica in `region` (terraform's `replicate`: `<prefix>-backups-<region>-<account>`), when `cloud aws` with `account`. */
export function replicaBackupBucketName(model: PlatformModel, region: string): string | undefined {
  const p = model.platform;
  if (p.cloud !== "aws" || !p.account) return undefined;
  const clip = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max).replace(/[-_]+$/, ""));
  const what = `backups-${region}`;
  return `${clip(clip(resourcePrefix(model).toLowerCase().replace(/[^a-z0-9-]/g, "-"), 42), 63 - what.length - 12 - 2)}-${what}-${p.account}`;
}

/**
 * The backup bucket the terraform target creates (`<prefix>-backups-<account>`, see
 * emit/terraform/aws.ts), when it is known without running Terraform: `cloud aws` with
 * `account`. CloudNativePG archives WAL and base backups there; Velero uses it too.
 */
export function backupBucketName(model: PlatformModel): string | undefined {
  const p = model.platform;
  if (p.cloud !== "aws" || !p.account) return undefined;
  const prefix = resourcePrefix(model).toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const clip = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max).replace(/[-_]+$/, ""));
  return `${clip(clip(prefix, 42), 63 - "backups".length - 12 - 2)}-backups-${p.account}`;
}
