import { ampTerraformFiles } from "../cloud-monitoring/aws-terraform.js";
import {
  backedUpDatabases, backupIdentities, externalSecretsAwsSecrets, iamRoleName, kmsKeyArn, kmsManaged, primaryRegion, resourcePrefix, workloadIdentities,
  type AwsSecretRef,
} from "../../model/cloud-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { drillPlans } from "../../model/drill-model.js";
import { VELERO_NAMESPACE } from "../backup/index.js";
import { ref, tf, tfName, TfTemplate, type TfValue } from "./json.js";
import { assertExactIamResources } from "./iam-resources.js";
import { awsBudgets } from "./budgets.js";
import { TfBlocks as Blocks } from "./module-blocks.js";
import { controlPlaneBlocks } from "./control-plane.js";
import { auditLogBlocks } from "./audit-logs.js";
import { auditBucket } from "../../model/audit-storage.js";
import { drillTrustSubject } from "./aws-drill-trust.js";

/** One `*.tf.json` file: top-level block types (terraform, provider, variable, locals, data, resource, output). */
export type TfFile = Record<string, TfValue>;
type Body = Record<string, TfValue>;
/** Text Terraform writes: literal (from the spec or finc) or a template with finc's expressions. */
type Tf = string | TfTemplate;

const DAY_MS = 86_400_000;

/** `{ sid, effect, actions, resources, principals?, condition? }` of aws_iam_policy_document. */
function statement(sid: string, actions: string[], resources: readonly Tf[], more: Body = {}): Body {
  return { sid, effect: "Allow", actions, resources, ...more };
}

const doc = (name: string) => ref(`data.aws_iam_policy_document.${name}.json`);

/**
 * The AWS side of one environment (mission areas 11, 12, 16): IAM roles for service
 * accounts (IRSA) for the services reading AWS Secrets Manager and for the External
 * Secrets Operator; the KMS key of volumes and backups; Velero's backup bucket and role.
 * Returns the files of `terraform/<env>/`, or nothing when the environment needs no
 * cloud resources.
 */
export function awsFiles(model: PlatformModel): Map<string, TfFile> {
  const p = model.platform;
  const files = new Map<string, TfFile>();
  const identities = workloadIdentities(model);
  const esoSecrets = externalSecretsAwsSecrets(model);
  const backed = backedUpDatabases(model);
  const managedKey = kmsManaged(model);
  const pciCluster = p.cloud === "aws" && p.compliance.includes("pci-dss") && !!p.cluster;
  const budgets = awsBudgets(model);
  const monitoring = ampTerraformFiles(model); // monitoring amazon-managed-prometheus (emit/cloud-monitoring)
  if (!identities.length && !esoSecrets.length && !backed.length && !managedKey && !pciCluster && !auditBucket(model) && !budgets && !monitoring.size) return files;

  const main = new Blocks();
  const vars = new Blocks();
  const identity = new Blocks();
  const kms = new Blocks();
  const backups = new Blocks();
  const outputs = new Blocks();
  const prefix = resourcePrefix(model);
  const region = primaryRegion(model);
  const regionExpr = region ?? ref("var.region");
  if (!region) vars.variable["region"] = { type: "string", description: "The AWS region of the environment (the platform declares no `regions`)." };
  let callerIdentity = false;
  const account = (): Tf => {
    if (p.account) return p.account;
    callerIdentity = true;
    return ref("data.aws_caller_identity.current.account_id");
  };
  const secretArn = (s: AwsSecretRef) => tf`arn:aws:secretsmanager:${s.region}:${account()}:secret:${s.name}-??????`;

  // Workload identity: trust the cluster's OIDC provider for exactly one service account per role.
  let oidc = false;
  const oidcSetup = (): void => {
    if (oidc) return;
    oidc = true;
    if (p.cluster) {
      identity.addData("aws_eks_cluster", "this", { name: p.cluster });
      identity.addData("aws_iam_openid_connect_provider", "cluster", { url: ref("data.aws_eks_cluster.this.identity[0].oidc[0].issuer") });
      identity.locals["oidc_provider_arn"] = ref("data.aws_iam_openid_connect_provider.cluster.arn");
      identity.locals["oidc_issuer"] = ref('trimprefix(data.aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://")');
    } else {
      vars.variable["oidc_provider_arn"] = {
        type: "string",
        description: "The ARN of the cluster's IAM OIDC identity provider (the platform declares no `cluster` to look it up by).",
        validation: [{ condition: ref('can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$", var.oidc_provider_arn))'), error_message: "Expected arn:aws:iam::<account>:oidc-provider/<issuer host and path>." }],
      };
      identity.locals["oidc_provider_arn"] = ref("var.oidc_provider_arn");
      identity.locals["oidc_issuer"] = ref('element(split(":oidc-provider/", var.oidc_provider_arn), 1)');
    }
  };
  const irsaRole = (id: string, roleName: string, description: string, subject: Tf, permissions: Body[], trustAlso: Body[] = []): void => {
    oidcSetup();
    identity.addData("aws_iam_policy_document", `${id}_trust`, {
      statement: [statement("ServiceAccount", ["sts:AssumeRoleWithWebIdentity"], [], {
        principals: [{ type: "Federated", identifiers: [ref("local.oidc_provider_arn")] }],
        condition: [
          { test: "StringEquals", variable: tf`${ref("local.oidc_issuer")}:sub`, values: [subject] },
          { test: "StringEquals", variable: tf`${ref("local.oidc_issuer")}:aud`, values: ["sts.amazonaws.com"] },
        ],
      }), ...trustAlso].map(({ resources: _r, ...s }) => s),
    });
    identity.addData("aws_iam_policy_document", `${id}_permissions`, { statement: permissions });
    identity.addResource("aws_iam_role", id, { name: roleName, description, assume_role_policy: doc(`${id}_trust`) });
    identity.addResource("aws_iam_role_policy", id, { name: "finc", role: ref(`aws_iam_role.${id}.id`), policy: doc(`${id}_permissions`) });
  };

  const replicaProviders: Body[] = [];
  const roleArns: Record<string, TfValue> = {};
  // `scale on queue sqs`: the TriggerAuthentication says identityOwner workload, so the KEDA operator
  // assumes the workload's role (the one its ServiceAccount is annotated with): the role trusts the
  // operator's role, and may read the attributes (depth) of exactly the queues the spec names.
  if (identities.some((w) => w.queues.length))
    vars.variable["keda_operator_role_arn"] = {
      type: "string",
      description: "The IAM role of the KEDA operator's service account (Helm value podIdentity.aws.irsa.roleArn); it assumes the workloads' roles to read their SQS queues' depth.",
      validation: [{ condition: ref('can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.keda_operator_role_arn))'), error_message: "Expected arn:aws:iam::<account>:role/<name>." }],
    };
  for (const w of identities) {
    const id = tfName(w.namespace, w.serviceAccount);
    const keda = w.queues.length ? [statement("KedaOperator", ["sts:AssumeRole"], [], { principals: [{ type: "AWS", identifiers: [ref("var.keda_operator_role_arn")] }] })] : [];
    irsaRole(id, iamRoleName(model, w.namespace, w.serviceAccount), `finc: ${w.workload} in ${w.namespace} (${model.environment})`, `system:serviceaccount:${w.namespace}:${w.serviceAccount}`, [
      ...(w.secrets.length ? [statement("ReadOwnSecrets", ["secretsmanager:GetSecretValue"], w.secrets.map(secretArn))] : []),
      ...(w.queues.length ? [statement("ReadOwnQueueDepth", ["sqs:GetQueueAttributes"], w.queues.map((q) => q.arn))] : []),
    ], keda);
    roleArns[`${w.namespace}/${w.serviceAccount}`] = ref(`aws_iam_role.${id}.arn`);
  }
  if (identities.length) outputs.output["workload_role_arns"] = { description: "The IAM role of each workload's service account (namespace/name), as annotated eks.amazonaws.com/role-arn.", value: roleArns };

  if (esoSecrets.length) {
    vars.variable["external_secrets_namespace"] = { type: "string", default: "external-secrets", description: "The namespace the External Secrets Operator runs in." };
    vars.variable["external_secrets_service_account"] = { type: "string", default: "external-secrets", description: "The External Secrets Operator's service account (Helm value serviceAccount.name)." };
    irsaRole("external_secrets", clip(`${prefix}-external-secrets`, 64), `finc: the External Secrets Operator (${model.environment})`, tf`system:serviceaccount:${ref("var.external_secrets_namespace")}:${ref("var.external_secrets_service_account")}`, [
      statement("SyncSecrets", ["secretsmanager:GetSecretValue"], esoSecrets.map(secretArn)),
    ]);
    outputs.output["external_secrets_role_arn"] = { description: "Annotate the External Secrets Operator's service account with it (Helm value serviceAccount.annotations.\"eks.amazonaws.com/role-arn\").", value: ref("aws_iam_role.external_secrets.arn") };
  }

  // KMS: one key per environment for volumes (EBS CSI, through EC2) and backups (S3).
  const keyArn = managedKey ? ref("aws_kms_key.platform.arn") : kmsKeyArn(model);
  if (managedKey) {
    const acct = account();
    const via = (service: string) => [
      { test: "StringEquals", variable: "kms:CallerAccount", values: [acct] },
      { test: "StringEquals", variable: "kms:ViaService", values: [tf`${service}.${regionExpr}.amazonaws.com`] },
    ];
    const use = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"];
    kms.addData("aws_iam_policy_document", "kms", {
      statement: [
        statement("AccountAdministration", ["kms:*"], ["*"], { principals: [{ type: "AWS", identifiers: [tf`arn:aws:iam::${acct}:root`] }] }),
        statement("EncryptedVolumes", [...use, "kms:CreateGrant"].sort(), ["*"], { principals: [{ type: "AWS", identifiers: ["*"] }], condition: via("ec2") }),
        ...(backed.length ? [statement("EncryptedBackups", use, ["*"], { principals: [{ type: "AWS", identifiers: ["*"] }], condition: via("s3") })] : []),
      ],
    });
    kms.addResource("aws_kms_key", "platform", {
      description: `finc: volumes and backups of ${p.name} (${model.environment})`,
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      policy: doc("kms"),
    });
    kms.addResource("aws_kms_alias", "platform", { name: p.kms!, target_key_id: ref("aws_kms_key.platform.key_id") });
    outputs.output["kms_key_arn"] = { description: "The KMS key of the environment's volumes and backups.", value: ref("aws_kms_key.platform.arn") };
    outputs.output["kms_alias_arn"] = { description: "Its alias, as the StorageClasses' kmsKeyId names it.", value: ref("aws_kms_alias.platform.arn") };
  }

  // Velero's bucket: versioned, KMS-encrypted, private, TLS only; backups expire a day after the longest `keep`.
  if (backed.length) {
    const keepDays = Math.max(...backed.map((d) => Math.ceil(d.backup.keepMs / DAY_MS)));
    const bucketPrefix = clip(prefix.toLowerCase().replace(/[^a-z0-9-]/g, "-"), 42);
    const bucket = bucketName(bucketPrefix, "backups", account());
    const b = ref("aws_s3_bucket.backups.id");
    backups.addResource("aws_s3_bucket", "backups", { bucket, force_destroy: false });
    backups.addResource("aws_s3_bucket_versioning", "backups", { bucket: b, versioning_configuration: { status: "Enabled" } });
    backups.addResource("aws_s3_bucket_ownership_controls", "backups", { bucket: b, rule: { object_ownership: "BucketOwnerEnforced" } });
    backups.addResource("aws_s3_bucket_public_access_block", "backups", { bucket: b, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    backups.addResource("aws_s3_bucket_server_side_encryption_configuration", "backups", {
      bucket: b,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", ...(keyArn ? { kms_master_key_id: keyArn } : {}) }, bucket_key_enabled: true }],
    });
    backups.addResource("aws_s3_bucket_lifecycle_configuration", "backups", {
      bucket: b,
      // Velero deletes a backup when its TTL ends; this catches what it misses. Only `backups/`:
      // the Kopia repository (`kopia/`) shares data between backups and collects its own garbage.
      rule: [
        { id: "expire-backups", status: "Enabled", filter: { prefix: "backups/" }, expiration: { days: keepDays + 1 } },
        { id: "noncurrent-versions", status: "Enabled", filter: {}, noncurrent_version_expiration: { noncurrent_days: keepDays }, abort_incomplete_multipart_upload: { days_after_initiation: 7 } },
      ],
    });
    backups.addData("aws_iam_policy_document", "backups_bucket", {
      statement: [{
        sid: "TlsOnly",
        effect: "Deny",
        actions: ["s3:*"],
        resources: [ref("aws_s3_bucket.backups.arn"), tf`${ref("aws_s3_bucket.backups.arn")}/*`],
        principals: [{ type: "*", identifiers: ["*"] }],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      }],
    });
    backups.addResource("aws_s3_bucket_policy", "backups", { bucket: b, policy: doc("backups_bucket") });
    vars.variable["velero_namespace"] = { type: "string", default: VELERO_NAMESPACE, description: "The namespace Velero runs in." };
    vars.variable["velero_service_account"] = { type: "string", default: "velero-server", description: "Velero's service account (Helm value serviceAccount.server.name), used by the server and the node agents' data mover." };
    irsaRole("velero", clip(`${prefix}-velero`, 64), `finc: Velero backups (${model.environment})`, tf`system:serviceaccount:${ref("var.velero_namespace")}:${ref("var.velero_service_account")}`, [
      statement("Objects", ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"], [tf`${ref("aws_s3_bucket.backups.arn")}/*`]),
      statement("Bucket", ["s3:GetBucketLocation", "s3:ListBucket"], [ref("aws_s3_bucket.backups.arn")]),
      ...(keyArn ? [statement("BackupKey", ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"], [keyArn])] : []),
    ]);
    // CloudNativePG's barman-cloud: each Cluster's ServiceAccount (named after it) archives WAL and base
    // backups below its namespace's prefix only (destinationPath s3://<bucket>/postgres/<namespace>).
    const backupRoles: Record<string, TfValue> = {};
    for (const c of backupIdentities(model)) {
      const id = tfName("postgres", c.namespace, c.database);
      // A replica cluster (`replicate to`) reads the primary's archive and writes its own in the bucket's replica of its region, under that bucket's key (see replicate below).
      const bucketArn = ref(`aws_s3_bucket.${c.region ? replicaBucketId(c.region) : "backups"}.arn`);
      const key = c.region ? (managedKey ? ref(`aws_kms_key.${replicaBucketId(c.region)}.arn`) : undefined) : keyArn;
      irsaRole(id, iamRoleName(model, c.namespace, c.serviceAccount), `finc: WAL archive and base backups of ${c.database} in ${c.namespace} (${model.environment})`, `system:serviceaccount:${c.namespace}:${c.serviceAccount}`, [
        statement("ArchiveObjects", ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], [tf`${bucketArn}/${c.prefix}/*`]),
        statement("ArchiveListing", ["s3:GetBucketLocation", "s3:ListBucket"], [bucketArn], {
          // IfExists: barman-cloud first calls HeadBucket (authorized as s3:ListBucket, with no s3:prefix) and fails on a 403.
          condition: [{ test: "StringLikeIfExists", variable: "s3:prefix", values: [c.prefix, `${c.prefix}/*`] }],
        }),
        ...(key ? [statement("BackupKey", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], [key])] : []),
      ]);
      backupRoles[`${c.namespace}/${c.database}`] = ref(`aws_iam_role.${id}.arn`);
    }
    // Restore drills (emit/drills): read-only on their database's archive prefix, decrypt only.
    for (const d of drillPlans(model)) {
      if (!d.roleArn) continue;
      const id = tfName("drill", d.namespace, d.database.name);
      irsaRole(id, iamRoleName(model, d.namespace, d.name), `finc: restore drills of ${d.database.name} in ${d.namespace} (${model.environment})`, drillTrustSubject(d), [
        statement("ReadArchive", ["s3:GetObject"], [tf`${ref("aws_s3_bucket.backups.arn")}/${d.prefix}/*`]),
        statement("ListArchive", ["s3:GetBucketLocation", "s3:ListBucket"], [ref("aws_s3_bucket.backups.arn")], {
          condition: [{ test: "StringLikeIfExists", variable: "s3:prefix", values: [d.prefix, `${d.prefix}/*`] }],
        }),
        ...(keyArn ? [statement("BackupKey", ["kms:Decrypt"], [keyArn])] : []),
      ]);
    }
    if (Object.keys(backupRoles).length) outputs.output["postgres_backup_role_arns"] = { description: "The IAM role of each CloudNativePG Cluster's service account (namespace/name), as its serviceAccountTemplate annotates eks.amazonaws.com/role-arn.", value: backupRoles };
    const targets = [...new Set(backed.flatMap((d) => (d.replicateTo && d.replicateTo !== region ? [d.replicateTo] : [])))].sort();
    for (const target of targets) replicaProviders.push(replicate(backups, outputs, target, { account, region: regionExpr, prefix: bucketPrefix, bucket, keepDays, sourceKey: keyArn, managedKey, kmsAlias: p.kms, timeControl: backed.some((d) => d.replicateTo === target && d.recovery !== undefined) }));
    outputs.output["backup_bucket"] = { description: "Velero's BackupStorageLocation bucket (provider aws, config.region " + (region ?? "var.region") + ").", value: ref("aws_s3_bucket.backups.id") };
    outputs.output["velero_role_arn"] = { description: "Annotate Velero's service account with it (Helm value serviceAccount.server.annotations.\"eks.amazonaws.com/role-arn\").", value: ref("aws_iam_role.velero.arn") };
  }

  // Control-plane audit logs and secrets encryption (control-plane.ts), application audit logs (audit-logs.ts).
  const blocksOf = (part: ReturnType<typeof controlPlaneBlocks> | ReturnType<typeof auditLogBlocks>): Blocks => {
    const blocks = new Blocks();
    if (!part) return blocks;
    for (const [t, byName] of Object.entries(part.data)) for (const [n, b] of Object.entries(byName)) blocks.addData(t, n, b as Body);
    for (const [t, byName] of Object.entries(part.resource)) for (const [n, b] of Object.entries(byName)) blocks.addResource(t, n, b as Body);
    Object.assign(outputs.output, part.output);
    return blocks;
  };
  const controlPlane = blocksOf(controlPlaneBlocks(model, keyArn));
  const audit = blocksOf(auditLogBlocks(model, keyArn));

  if (callerIdentity) main.addData("aws_caller_identity", "current", {});
  const providerCommon: Body = {
    ...(p.account ? { allowed_account_ids: [p.account] } : {}),
    default_tags: { tags: { "app.kubernetes.io/managed-by": "finc", "app.kubernetes.io/part-of": p.name, "finc.dev/environment": model.environment } },
  };
  const header: Body = {
    terraform: { required_version: ">= 1.5.0", required_providers: { aws: { source: "hashicorp/aws", version: "~> 5.0" } } },
    provider: { aws: [{ region: regionExpr, ...providerCommon }, ...replicaProviders.map((r) => ({ ...r, ...providerCommon }))] },
  };
  const put = (name: string, f: TfFile | undefined) => f && files.set(name, f);
  put("main.tf.json", main.file(header));
  put("variables.tf.json", vars.file());
  put("identity.tf.json", identity.file());
  put("kms.tf.json", kms.file());
  put("backups.tf.json", backups.file());
  put("control-plane.tf.json", controlPlane.file());
  put("audit-logs.tf.json", audit.file());
  put("outputs.tf.json", outputs.file());
  put("budgets.tf.json", budgets);
  for (const [name, f] of monitoring) files.set(name, f);
  assertExactIamResources(files, model);
  return files;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max).replace(/[-_]+$/, "");
}

interface ReplicaInput {
  readonly account: () => Tf;
  readonly region: Tf;
  readonly prefix: string;
  readonly bucket: Tf;
  readonly keepDays: number;
  readonly sourceKey: Tf | undefined;
  readonly managedKey: boolean;
  readonly kmsAlias: string | undefined;
  /** A database replicated there declares `recovery`: its RPO counts on S3 Replication Time Control's 15-minute bound (model/recovery.ts). */
  readonly timeControl: boolean;
}

/**
 * `replicate to <region>`: a copy of the whole backup bucket (Velero's backups and the Kopia
 * repository they share) in a bucket of that region, by S3 replication with its own role;
 * encrypted there with a key of that region (a replica of the environment's key setup).
 * Returns the provider configuration (alias) the replica's resources use.
 */
/** The Terraform name of the backup bucket's replica in `region` (and of its key, role and provider alias). */
export function replicaBucketId(region: string): string {
  return tfName("replica", region.replace(/-/g, "_"));
}

function replicate(backups: Blocks, outputs: Blocks, target: string, r: ReplicaInput): Body {
  const alias = replicaBucketId(target);
  const provider = `aws.${alias}`;
  const id = alias;
  const acct = r.account();
  const bucket = bucketName(r.prefix, `backups-${target}`, acct);
  const b = ref(`aws_s3_bucket.${id}.id`);
  let destKey: Tf = tf`arn:aws:kms:${target}:${acct}:alias/aws/s3`;
  if (r.managedKey) {
    backups.addData("aws_iam_policy_document", `${id}_kms`, {
      statement: [
        statement("AccountAdministration", ["kms:*"], ["*"], { principals: [{ type: "AWS", identifiers: [tf`arn:aws:iam::${acct}:root`] }] }),
      ],
    });
    backups.addResource("aws_kms_key", id, { provider, description: `finc: replicated backups (${target})`, enable_key_rotation: true, deletion_window_in_days: 30, policy: doc(`${id}_kms`) });
    backups.addResource("aws_kms_alias", id, { provider, name: r.kmsAlias!, target_key_id: ref(`aws_kms_key.${id}.key_id`) });
    destKey = ref(`aws_kms_key.${id}.arn`);
  }
  backups.addResource("aws_s3_bucket", id, { provider, bucket, force_destroy: false });
  backups.addResource("aws_s3_bucket_versioning", id, { provider, bucket: b, versioning_configuration: { status: "Enabled" } });
  backups.addResource("aws_s3_bucket_ownership_controls", id, { provider, bucket: b, rule: { object_ownership: "BucketOwnerEnforced" } });
  backups.addResource("aws_s3_bucket_public_access_block", id, { provider, bucket: b, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  backups.addResource("aws_s3_bucket_server_side_encryption_configuration", id, {
    provider, bucket: b, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: destKey }, bucket_key_enabled: true }],
  });
  backups.addResource("aws_s3_bucket_lifecycle_configuration", id, {
    provider, bucket: b,
    rule: [{ id: "noncurrent-versions", status: "Enabled", filter: {}, noncurrent_version_expiration: { noncurrent_days: r.keepDays }, abort_incomplete_multipart_upload: { days_after_initiation: 7 } }],
  });
  backups.addData("aws_iam_policy_document", `${id}_trust`, {
    statement: [{ sid: "S3Replication", effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["s3.amazonaws.com"] }] }],
  });
  const src = ref("aws_s3_bucket.backups.arn");
  const dst = ref(`aws_s3_bucket.${id}.arn`);
  backups.addData("aws_iam_policy_document", `${id}_permissions`, {
    statement: [
      statement("SourceBucket", ["s3:GetReplicationConfiguration", "s3:ListBucket"], [src]),
      statement("SourceObjects", ["s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"], [tf`${src}/*`]),
      statement("ReplicaObjects", ["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"], [tf`${dst}/*`]),
      // KMS authorizes by key ARN, never by alias: S3's own key (aws/s3) is named through the service and the bucket.
      statement("DecryptSource", ["kms:Decrypt"], [r.sourceKey ?? "*"], { condition: s3Use(r.region, src) }),
      statement("EncryptReplica", ["kms:Encrypt", "kms:GenerateDataKey"], [r.managedKey ? destKey : "*"], { condition: s3Use(target, dst) }),
    ],
  });
  backups.addResource("aws_iam_role", id, { name: `${r.prefix}-backups-replication-${target}`.slice(0, 64).replace(/-+$/, ""), description: `finc: backup replication to ${target}`, assume_role_policy: doc(`${id}_trust`) });
  backups.addResource("aws_iam_role_policy", id, { name: "finc", role: ref(`aws_iam_role.${id}.id`), policy: doc(`${id}_permissions`) });
  backups.addResource("aws_s3_bucket_replication_configuration", id, {
    bucket: ref("aws_s3_bucket.backups.id"),
    role: ref(`aws_iam_role.${id}.arn`),
    depends_on: ["aws_s3_bucket_versioning.backups", `aws_s3_bucket_versioning.${id}`],
    rule: [{
      id: `to-${target}`,
      status: "Enabled",
      priority: 1,
      filter: {},
      delete_marker_replication: { status: "Enabled" },
      source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
      destination: {
        bucket: dst,
        storage_class: "STANDARD",
        encryption_configuration: { replica_kms_key_id: destKey },
        // Replication Time Control: 99.99 % of objects within 15 minutes, with metrics to alarm on; the only bound S3 gives.
        ...(r.timeControl ? { replication_time: { status: "Enabled", time: { minutes: 15 } }, metrics: { status: "Enabled", event_threshold: { minutes: 15 } } } : {}),
      },
    }],
  });
  outputs.output[`${id}_bucket`] = { description: `The replica of the backup bucket in ${target}.`, value: ref(`aws_s3_bucket.${id}.id`) };
  return { alias, region: target };
}

/** KMS use through S3 for the objects of one bucket. */
function s3Use(region: Tf, bucketArn: Tf): Body[] {
  return [
    { test: "StringEquals", variable: "kms:ViaService", values: [tf`s3.${region}.amazonaws.com`] },
    { test: "StringLike", variable: "kms:EncryptionContext:aws:s3:arn", values: [tf`${bucketArn}/*`] },
  ];
}

/** S3 bucket names are global, lower-case and at most 63 characters: `<prefix>-<what>-<account>`, the prefix shortened to fit. */
function bucketName(prefix: string, what: string, account: Tf): TfTemplate {
  const room = 63 - what.length - 12 - 2; // an account ID is 12 digits, also when it is a Terraform expression
  return tf`${clip(prefix, room)}-${what}-${account}`;
}
