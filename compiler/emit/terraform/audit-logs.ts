import { auditedServices, auditPrefix, monthsToDays } from "../../model/audit-model.js";
import { auditBucket } from "../../model/audit-storage.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { ref, tf, type TfTemplate, type TfValue } from "./json.js";

type Blocks = { data: Record<string, Record<string, TfValue>>; resource: Record<string, Record<string, TfValue>>; output: Record<string, TfValue> };

/**
 * The audit streams' storage (`audit-log`, PCI DSS 10.3.3 and 10.5.1): one S3 bucket with Object
 * Lock in COMPLIANCE mode (nobody, root included, can delete or overwrite a record before its
 * retention ends), versioned, KMS-encrypted, private and TLS-only. The lock's default retention
 * is the longest `retain`; a lifecycle rule per service moves its records to Glacier after `hot`
 * months and expires them after `retain`. Fluent Bit writes with the policy this outputs.
 */
export function auditLogBlocks(model: PlatformModel, keyArn: string | TfTemplate | undefined): Blocks | undefined {
  const bucket = auditBucket(model);
  if (!bucket) return undefined;
  const services = auditedServices(model.services);
  const id = ref("aws_s3_bucket.audit_logs.id");
  const arn = ref("aws_s3_bucket.audit_logs.arn");
  const objects = tf`${arn}/*`;
  const lockDays = Math.max(...services.map((s) => monthsToDays(s.auditLog.retainMonths)));
  const rules = services.map((s) => {
    const hot = monthsToDays(s.auditLog.hotMonths);
    const retain = monthsToDays(s.auditLog.retainMonths);
    return {
      id: `${s.namespace}-${s.name}`.slice(0, 255),
      status: "Enabled",
      filter: [{ prefix: auditPrefix(s) }],
      ...(hot < retain ? { transition: [{ days: hot, storage_class: "GLACIER" }] } : {}),
      expiration: [{ days: retain }],
      noncurrent_version_expiration: [{ noncurrent_days: 1 }],
    };
  });
  const writerStatements: TfValue[] = [{ sid: "WriteAuditRecords", effect: "Allow", actions: ["s3:PutObject"], resources: [objects] }];
  if (keyArn) writerStatements.push({ sid: "EncryptAuditRecords", effect: "Allow", actions: ["kms:Encrypt", "kms:GenerateDataKey"], resources: [keyArn] });
  return {
    data: {
      aws_iam_policy_document: {
        audit_logs_tls_only: {
          statement: [{
            sid: "DenyPlainHttp", effect: "Deny", actions: ["s3:*"], resources: [arn, objects],
            principals: [{ type: "*", identifiers: ["*"] }],
            condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
          }],
        },
        audit_log_writer: { statement: writerStatements },
      },
    },
    resource: {
      aws_s3_bucket: { audit_logs: { bucket: bucket.name, object_lock_enabled: true } },
      aws_s3_bucket_versioning: { audit_logs: { bucket: id, versioning_configuration: [{ status: "Enabled" }] } },
      aws_s3_bucket_object_lock_configuration: { audit_logs: { bucket: id, rule: [{ default_retention: [{ mode: "COMPLIANCE", days: lockDays }] }], depends_on: ["aws_s3_bucket_versioning.audit_logs"] } },
      aws_s3_bucket_server_side_encryption_configuration: {
        audit_logs: { bucket: id, rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms", ...(keyArn ? { kms_master_key_id: keyArn } : {}) }], bucket_key_enabled: true }] },
      },
      aws_s3_bucket_public_access_block: { audit_logs: { bucket: id, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } },
      aws_s3_bucket_policy: { audit_logs: { bucket: id, policy: ref("data.aws_iam_policy_document.audit_logs_tls_only.json") } },
      aws_s3_bucket_lifecycle_configuration: { audit_logs: { bucket: id, rule: rules, depends_on: ["aws_s3_bucket_versioning.audit_logs"] } },
    },
    output: {
      audit_log_bucket: { description: "The write-once (Object Lock, COMPLIANCE) bucket of the services' audit streams; the Fluent Bit values write there.", value: ref("aws_s3_bucket.audit_logs.bucket") },
      audit_log_writer_policy_json: { description: "Attach to the Fluent Bit service account's IAM role: it may add audit records, never read or delete them.", value: ref("data.aws_iam_policy_document.audit_log_writer.json") },
    },
  };
}
