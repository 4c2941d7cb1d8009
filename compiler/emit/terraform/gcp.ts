import { gcpBackupIdentities, gcpIdentities, gcpKmsKey, gcsBackupBucketName, gsaAccountId, workloadIdentityMember } from "../../model/cloud-gcp.js";
import { backedUpDatabases, primaryRegion } from "../../model/cloud-model.js";
import { clusterStoreSecrets } from "../../model/cloud-secrets.js";
import { pciScoped } from "../../model/cluster-security.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { VELERO_NAMESPACE } from "../backup/index.js";
import { AUDIT_RETENTION_DAYS } from "./control-plane.js";
import { gmpTerraformFiles } from "../cloud-monitoring/gcp-terraform.js";
import { gcpAuditLogsFile } from "./gcp-audit.js";
import { gcpAuditBucket } from "../../model/audit-storage-clouds.js";
import { ref, tf, tfName, type TfTemplate, type TfValue } from "./json.js";
import { exposedDnsZones, TfBlocks } from "./module-blocks.js";
import { gcpDrillReaders } from "./gcp-drills.js";
import { gcpNodePoolFiles } from "./gcp-node-pools.js";
import { gcpBudgetFiles } from "./gcp-budgets.js";

type Body = Record<string, TfValue>;
const DAY_MS = 86_400_000;

/** GCS dual-regions are configured inside one multi-region: its code per region prefix. */
const MULTI_REGION: Record<string, string> = { europe: "EU", us: "US", northamerica: "US", asia: "ASIA" };

/**
 * The GCP side of one environment (`cloud gcp`, project `account`): Google service accounts bound
 * to Kubernetes ServiceAccounts through GKE Workload Identity, with `secretAccessor` on exactly the
 * Secret Manager secrets each reads; the Cloud KMS key of disks, backups and (GKE) Secrets; the GCS
 * backup bucket (dual-region with `replicate to`); Cloud DNS zones for external-dns; the GKE
 * control plane's settings (Secrets encryption checked by a postcondition; audit logs kept a year
 * under pci-dss). Nothing without `account`: every name derives from the project.
 */
export function gcpFiles(model: PlatformModel): Map<string, Record<string, TfValue>> {
  const p = model.platform;
  const files = new Map<string, Record<string, TfValue>>();
  const project = p.account;
  const region = primaryRegion(model);
  if (p.cloud !== "gcp" || !project || !region) return files;
  const identities = gcpIdentities(model);
  const operatorSecrets = clusterStoreSecrets(model, "gcp");
  const backed = backedUpDatabases(model);
  const key = gcpKmsKey(model);
  const zones = exposedDnsZones(model);
  const budgets = gcpBudgetFiles(model); // Cloud Billing budgets (gcp-budgets.ts)
  if (!identities.length && !operatorSecrets.length && !backed.length && !key && !zones.length && !p.cluster && !gcpAuditBucket(model) && !budgets) return files;

  const vars = new TfBlocks();
  const identity = new TfBlocks();
  const kms = new TfBlocks();
  const backups = new TfBlocks();
  const dns = new TfBlocks();
  const controlPlane = new TfBlocks();
  const outputs = new TfBlocks();
  const main = new TfBlocks();
  main.addData("google_project", "this", { project_id: project });
  const projectNumber = ref("data.google_project.this.number");

  /** A Google service account for `<ns>/<sa>`, usable only by that Kubernetes ServiceAccount. */
  const gsa = (id: string, accountId: string, description: string, ksa: { namespace: Tf; name: Tf }): TfTemplate => {
    identity.addResource("google_service_account", id, { project, account_id: accountId, display_name: description.slice(0, 100), description });
    identity.addResource("google_service_account_iam_member", id, {
      service_account_id: ref(`google_service_account.${id}.name`),
      role: "roles/iam.workloadIdentityUser",
      // The member GKE maps the Kubernetes ServiceAccount to (workloadIdentityMember; the namespace and name may be variables).
      member: typeof ksa.namespace === "string" && typeof ksa.name === "string" ? workloadIdentityMember(project, ksa.namespace, ksa.name) : tf`serviceAccount:${project}.svc.id.goog[${ksa.namespace}/${ksa.name}]`,
    });
    return tf`serviceAccount:${ref(`google_service_account.${id}.email`)}`;
  };
  const accessor = (id: string, member: TfTemplate, secrets: readonly { server: string; name: string }[]) => {
    for (const s of secrets)
      identity.addResource("google_secret_manager_secret_iam_member", tfName(id, s.server, s.name), { project: s.server, secret_id: s.name, role: "roles/secretmanager.secretAccessor", member });
  };

  const emails: Record<string, TfValue> = {};
  for (const w of identities) {
    const id = tfName(w.namespace, w.serviceAccount);
    const member = gsa(id, gsaAccountId(model, w.namespace, w.serviceAccount), `finc: ${w.workload} in ${w.namespace} (${model.environment})`, { namespace: w.namespace, name: w.serviceAccount });
    accessor(id, member, w.secrets);
    emails[`${w.namespace}/${w.serviceAccount}`] = ref(`google_service_account.${id}.email`);
  }

  if (operatorSecrets.length) {
    vars.variable["external_secrets_namespace"] = { type: "string", default: "external-secrets", description: "The namespace the External Secrets Operator runs in." };
    vars.variable["external_secrets_service_account"] = { type: "string", default: "external-secrets", description: "The External Secrets Operator's service account (Helm value serviceAccount.name)." };
    const member = gsa("external_secrets", gsaAccountId(model, "eso", "operator"), `finc: the External Secrets Operator (${model.environment})`, { namespace: ref("var.external_secrets_namespace"), name: ref("var.external_secrets_service_account") });
    accessor("external_secrets", member, operatorSecrets);
    outputs.output["external_secrets_service_account"] = { description: "Annotate the External Secrets Operator's service account with it (Helm value serviceAccount.annotations.\"iam.gke.io/gcp-service-account\"): the ClusterSecretStores use the operator's identity.", value: ref("google_service_account.external_secrets.email") };
  }

  // Cloud KMS: one key per environment for disks (Compute Engine's service agent), backups (GCS's) and GKE's Secrets encryption.
  const keyId: Tf | undefined = key?.ring ? ref("google_kms_crypto_key.platform.id") : key?.id;
  if (key) {
    if (key.ring) {
      kms.addResource("google_kms_key_ring", "platform", { project, name: key.ring, location: key.location! });
      kms.addResource("google_kms_crypto_key", "platform", {
        name: key.key!,
        key_ring: ref("google_kms_key_ring.platform.id"),
        purpose: "ENCRYPT_DECRYPT",
        rotation_period: "7776000s", // 90 days
        lifecycle: [{ prevent_destroy: true }],
      });
    }
    const agents: [string, Tf][] = [["disks", tf`serviceAccount:service-${projectNumber}@compute-system.iam.gserviceaccount.com`]];
    if (backed.length) {
      kms.addData("google_storage_project_service_account", "this", { project });
      agents.push(["backups", ref("data.google_storage_project_service_account.this.member")]);
    }
    if (p.cluster) agents.push(["secrets", tf`serviceAccount:service-${projectNumber}@container-engine-robot.iam.gserviceaccount.com`]);
    for (const [what, member] of agents) kms.addResource("google_kms_crypto_key_iam_member", what, { crypto_key_id: keyId!, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member });
    outputs.output["kms_key_id"] = { description: "The Cloud KMS key of the environment's disks (StorageClass disk-encryption-kms-key), backups and GKE Secrets.", value: keyId! };
  }

  // The backup bucket: uniform access, no public access, versioned, CMEK; dual-region for `replicate to`.
  const bucketName = gcsBackupBucketName(model);
  if (backed.length && bucketName) {
    const keepDays = Math.max(...backed.map((d) => Math.ceil(d.backup.keepMs / DAY_MS)));
    const replicas = [...new Set(backed.flatMap((d) => (d.replicateTo && d.replicateTo !== region ? [d.replicateTo] : [])))].sort();
    const multi = MULTI_REGION[region.split("-")[0]!];
    const dual = replicas.find((r) => MULTI_REGION[r.split("-")[0]!] === multi);
    backups.addResource("google_storage_bucket", "backups", {
      project,
      name: bucketName,
      location: dual && multi ? multi : region.toUpperCase(),
      ...(dual && multi ? { custom_placement_config: [{ data_locations: [region.toUpperCase(), dual.toUpperCase()] }], rpo: "ASYNC_TURBO" } : {}),
      storage_class: "STANDARD",
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
      force_destroy: false,
      versioning: [{ enabled: true }],
      soft_delete_policy: [{ retention_duration_seconds: 7 * 86_400 }],
      ...(keyId ? { encryption: [{ default_kms_key_name: keyId }] } : {}),
      lifecycle_rule: [
        // Velero and barman-cloud delete what their retention ends; this catches what they miss (like the S3 rules).
        { condition: [{ age: keepDays + 1, matches_prefix: ["backups/"] }], action: [{ type: "Delete" }] },
        { condition: [{ days_since_noncurrent_time: keepDays, with_state: "ARCHIVED" }], action: [{ type: "Delete" }] },
      ],
      labels: { "managed-by": "finc", "finc-environment": model.environment.toLowerCase() },
      ...(keyId ? { depends_on: ["google_kms_crypto_key_iam_member.backups"] } : {}),
    });
    const bucket = ref("google_storage_bucket.backups.name");
    vars.variable["velero_namespace"] = { type: "string", default: VELERO_NAMESPACE, description: "The namespace Velero runs in." };
    vars.variable["velero_service_account"] = { type: "string", default: "velero-server", description: "Velero's service account (Helm value serviceAccount.server.name)." };
    const velero = gsa("velero", gsaAccountId(model, "velero", "server"), `finc: Velero backups (${model.environment})`, { namespace: ref("var.velero_namespace"), name: ref("var.velero_service_account") });
    backups.addResource("google_storage_bucket_iam_member", "velero", { bucket, role: "roles/storage.objectAdmin", member: velero });
    // barman-cloud: each Cluster's ServiceAccount may only touch objects below its namespace's prefix (and see the bucket itself).
    const pgEmails: Record<string, TfValue> = {};
    for (const c of gcpBackupIdentities(model)) {
      const id = tfName("postgres", c.namespace, c.database);
      const member = gsa(id, gsaAccountId(model, c.namespace, c.serviceAccount), `finc: WAL archive and base backups of ${c.database} in ${c.namespace} (${model.environment})`, { namespace: c.namespace, name: c.serviceAccount });
      backups.addResource("google_storage_bucket_iam_member", id, {
        bucket,
        role: "roles/storage.objectAdmin",
        member,
        condition: [{
          title: `finc-${c.namespace}-archive`.slice(0, 100),
          description: `Only ${c.prefix}/ of the backup bucket`,
          expression: tf`resource.name == "projects/_/buckets/${bucketName}" || resource.name.startsWith("projects/_/buckets/${bucketName}/objects/${c.prefix}/")`,
        }],
      });
      pgEmails[`${c.namespace}/${c.database}`] = ref(`google_service_account.${id}.email`);
    }
    gcpDrillReaders(model, gsa, backups, outputs, bucket, bucketName);
    if (Object.keys(pgEmails).length) outputs.output["postgres_backup_service_accounts"] = { description: "The Google service account of each CloudNativePG Cluster (namespace/name), as its serviceAccountTemplate annotates iam.gke.io/gcp-service-account.", value: pgEmails };
    outputs.output["backup_bucket"] = { description: "Velero's BackupStorageLocation bucket (provider gcp); CloudNativePG archives under postgres/<namespace>/.", value: bucket };
    outputs.output["velero_service_account"] = { description: "Annotate Velero's service account with it (Helm value serviceAccount.server.annotations.\"iam.gke.io/gcp-service-account\").", value: ref("google_service_account.velero.email") };
  }
  if (Object.keys(emails).length) outputs.output["workload_service_accounts"] = { description: "The Google service account of each Kubernetes ServiceAccount (namespace/name), as annotated iam.gke.io/gcp-service-account.", value: emails };

  // Cloud DNS: a public zone per parent domain of the exposed hosts, which external-dns (its own Google service account) may edit.
  if (zones.length) {
    vars.variable["external_dns_namespace"] = { type: "string", default: "external-dns", description: "The namespace external-dns runs in." };
    vars.variable["external_dns_service_account"] = { type: "string", default: "external-dns", description: "external-dns's service account." };
    const member = gsa("external_dns", gsaAccountId(model, "dns", "external-dns"), `finc: external-dns (${model.environment})`, { namespace: ref("var.external_dns_namespace"), name: ref("var.external_dns_service_account") });
    // external-dns lists the project's zones to find the one of a host.
    dns.addResource("google_project_iam_member", "external_dns_reader", { project, role: "roles/dns.reader", member });
    const servers: Record<string, TfValue> = {};
    for (const zone of zones) {
      const id = tfName(zone.replace(/\./g, "_"));
      dns.addResource("google_dns_managed_zone", id, { project, name: zone.replace(/\./g, "-").slice(0, 63), dns_name: `${zone}.`, description: `finc: the exposed hosts of ${p.name} under ${zone}`, visibility: "public", dnssec_config: [{ state: "on" }] });
      dns.addResource("google_dns_managed_zone_iam_member", id, { project, managed_zone: ref(`google_dns_managed_zone.${id}.name`), role: "roles/dns.admin", member });
      servers[zone] = ref(`google_dns_managed_zone.${id}.name_servers`);
    }
    outputs.output["dns_name_servers"] = { description: "Delegate each zone to these name servers at its parent.", value: servers };
    outputs.output["external_dns_service_account"] = { description: "Annotate external-dns's service account with it (iam.gke.io/gcp-service-account); run it with --provider=google --google-project=" + project + ".", value: ref("google_service_account.external_dns.email") };
  }

  // The GKE control plane (issue 12, items 3 and 5): finc reads the cluster, it does not own it.
  if (p.cluster) {
    const post: Body[] = keyId
      ? [{
          condition: ref(`self.database_encryption[0].state == "ENCRYPTED" && self.database_encryption[0].key_name == ${typeof keyId === "string" ? JSON.stringify(keyId) : "google_kms_crypto_key.platform.id"}`),
          error_message: "The GKE cluster must encrypt Secrets at the application layer with the platform's Cloud KMS key (PCI DSS 3.5.1): set database_encryption as the output gke_cluster_settings says.",
        }]
      : [];
    controlPlane.addData("google_container_cluster", "this", { project, name: p.cluster, location: region, ...(post.length ? { lifecycle: [{ postcondition: post }] } : {}) });
    const pci = pciScoped(model);
    if (pci) {
      // Admin Activity audit logs (every change) are always written; PCI DSS 10.5.1 wants a year of them, with reads of the cluster kept too.
      controlPlane.addResource("google_logging_project_bucket_config", "gke_audit", { project, location: "global", bucket_id: tfName("finc", p.cluster, "audit").replace(/_/g, "-").slice(0, 100), retention_days: AUDIT_RETENTION_DAYS, description: `finc: the audit logs of GKE cluster ${p.cluster}` });
      controlPlane.addResource("google_logging_project_sink", "gke_audit", {
        project,
        name: `finc-${p.cluster}-audit`.slice(0, 100),
        destination: tf`logging.googleapis.com/${ref("google_logging_project_bucket_config.gke_audit.id")}`,
        filter: `logName:"cloudaudit.googleapis.com" AND resource.type="k8s_cluster" AND resource.labels.cluster_name="${p.cluster}"`,
        unique_writer_identity: true,
      });
      controlPlane.addResource("google_project_iam_audit_config", "gke", { project, service: "container.googleapis.com", audit_log_config: [{ log_type: "ADMIN_READ" }, { log_type: "DATA_WRITE" }] });
    }
    outputs.output["gke_cluster_settings"] = {
      description: "What the GKE cluster's own configuration must set: Secrets envelope-encrypted with the platform's Cloud KMS key (PCI DSS 3.5.1), Workload Identity, and control-plane logging.",
      value: {
        database_encryption: { state: keyId ? "ENCRYPTED" : "<the platform has no kms key: declare `kms` on the platform>", key_name: keyId ?? "" },
        workload_identity_config: { workload_pool: `${project}.svc.id.goog` },
        logging_config: { enable_components: ["SYSTEM_COMPONENTS", "APISERVER", "WORKLOADS"] },
      },
    };
  }

  const header: Body = {
    terraform: { required_version: ">= 1.5.0", required_providers: { google: { source: "hashicorp/google", version: "~> 7.0" } } },
    provider: { google: [{ project, region, default_labels: { "app-kubernetes-io-managed-by": "finc", "app-kubernetes-io-part-of": p.name.toLowerCase(), "finc-environment": model.environment.toLowerCase() } }] },
  };
  const put = (name: string, f: Record<string, TfValue> | undefined) => f && files.set(name, f);
  put("main.tf.json", main.file(header));
  put("variables.tf.json", vars.file());
  put("identity.tf.json", identity.file());
  put("kms.tf.json", kms.file());
  put("backups.tf.json", backups.file());
  put("dns.tf.json", dns.file());
  put("control-plane.tf.json", controlPlane.file());
  put("audit-logs.tf.json", gcpAuditLogsFile(model, keyId)); // write-once audit storage (gcp-audit.ts)
  put("node-pools.tf.json", gcpNodePoolFiles(model)); // GKE node pools (gcp-node-pools.ts)
  put("budgets.tf.json", budgets);
  put("outputs.tf.json", outputs.file());
  for (const [name, f] of gmpTerraformFiles(model)) files.set(name, f); // monitoring managed-prometheus (emit/cloud-monitoring)
  return files;
}

type Tf = string | TfTemplate;
