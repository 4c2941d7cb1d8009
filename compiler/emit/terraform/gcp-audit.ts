import { daysToSeconds, gcpAuditBucket, gcpAuditFilter } from "../../model/audit-storage-clouds.js";
import { backedUpDatabases } from "../../model/cloud-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { ref, tf, type TfTemplate, type TfValue } from "./json.js";
import { TfBlocks } from "./module-blocks.js";

/**
 * `audit-logs.tf.json` on gcp (model/audit-storage-clouds.ts): the write-once home of the audit
 * records, for PCI DSS 10.3.2/10.3.3 (protected from modification, promptly backed up) and 10.5.1
 * (12 months kept, 3 immediately available).
 *
 * Why a GCS bucket with a LOCKED retention policy (Bucket Lock) and not a Cloud Logging bucket with
 * `locked = true`: a locked log bucket only fixes its retention setting — Cloud Logging's own
 * guarantees, with a ceiling of 3650 days and no storage an auditor can take away. Bucket Lock is
 * WORM storage assessed for SEC 17a-4(f), FINRA 4511 and CFTC 1.31 (Cohasset): no object can be
 * deleted or overwritten, by anyone, the project owner included, until its retention ends; the
 * retention can be raised, never lowered, and the bucket cannot be deleted while it holds records.
 * Every storage class reads in milliseconds, so records moved to ARCHIVE after `hot` stay
 * immediately available. A project sink (its own writer identity, objectCreator only: it can add
 * objects, never read or delete them) routes the entries there; CMEK with the platform's key.
 */
export function gcpAuditLogsFile(model: PlatformModel, keyId: string | TfTemplate | undefined): Record<string, TfValue> | undefined {
  const bucket = gcpAuditBucket(model);
  const project = model.platform.account;
  if (!bucket || !project) return undefined;
  const blocks = new TfBlocks();
  const dependsOn: string[] = [];
  if (keyId) {
    // Cloud Storage's service agent encrypts with the key: gcp.ts grants it for the backups; otherwise here.
    if (backedUpDatabases(model).length) dependsOn.push("google_kms_crypto_key_iam_member.backups");
    else {
      blocks.addData("google_storage_project_service_account", "audit_logs", { project });
      blocks.addResource("google_kms_crypto_key_iam_member", "audit_logs", { crypto_key_id: keyId, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: ref("data.google_storage_project_service_account.audit_logs.member") });
      dependsOn.push("google_kms_crypto_key_iam_member.audit_logs");
    }
  }
  blocks.addResource("google_storage_bucket", "audit_logs", {
    project,
    name: bucket.name,
    location: bucket.region.toUpperCase(),
    storage_class: "STANDARD",
    uniform_bucket_level_access: true,
    public_access_prevention: "enforced",
    force_destroy: false,
    retention_policy: [{ is_locked: true, retention_period: daysToSeconds(bucket.lockDays) }],
    ...(keyId ? { encryption: [{ default_kms_key_name: keyId }] } : {}),
    lifecycle_rule: [
      { condition: [{ age: bucket.hotDays }], action: [{ type: "SetStorageClass", storage_class: "ARCHIVE" }] },
      // Deleted the day the lock lets go of them (a retained object cannot be deleted earlier).
      { condition: [{ age: bucket.lockDays }], action: [{ type: "Delete" }] },
    ],
    labels: { "managed-by": "finc", "finc-environment": model.environment.toLowerCase(), purpose: "audit" },
    lifecycle: [{ prevent_destroy: true }],
    ...(dependsOn.length ? { depends_on: dependsOn } : {}),
  });
  blocks.addResource("google_logging_project_sink", "audit_logs", {
    project,
    name: `finc-${bucket.name}`.slice(0, 100),
    description: "finc: the services' audit records and the GKE API audit log, to the write-once bucket",
    destination: tf`storage.googleapis.com/${ref("google_storage_bucket.audit_logs.name")}`,
    filter: gcpAuditFilter(model),
    unique_writer_identity: true,
  });
  blocks.addResource("google_storage_bucket_iam_member", "audit_logs_writer", { bucket: ref("google_storage_bucket.audit_logs.name"), role: "roles/storage.objectCreator", member: ref("google_logging_project_sink.audit_logs.writer_identity") });
  blocks.output["audit_log_bucket"] = { description: "The write-once (locked retention policy) bucket of the audit records; a Cloud Logging sink writes there.", value: ref("google_storage_bucket.audit_logs.name") };
  return blocks.file();
}
