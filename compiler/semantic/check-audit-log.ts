import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { PCI_AUDIT_HOT_MONTHS, PCI_AUDIT_RETAIN_MONTHS } from "../model/audit-model.js";
import { auditBucket } from "../model/audit-storage.js";
import { gcpAuditBucket } from "../model/audit-storage-clouds.js";
import { primaryRegion } from "../model/cloud-model.js";
import { baseEnvironment } from "../model/cluster-topology.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * FIN4066: under `compliance pci-dss` an audit stream kept shorter than PCI DSS 4.0.1 10.5.1 asks
 * (12 months of history, the last 3 immediately available), at the number that is too small.
 */
export function checkAuditLog(model: PlatformModel, report: (d: Diagnostic) => void): void {
  checkAuditStorage(model, report);
  if (!model.platform.compliance.includes("pci-dss")) return;
  for (const s of model.services) {
    const a = s.auditLog;
    if (!a) continue;
    const line = s.fields["audit-log"] ?? s.origin;
    if (a.retainMonths < PCI_AUDIT_RETAIN_MONTHS)
      report(diag("FIN4066", a.retainRange ?? line, {
        message: `Under \`compliance pci-dss\` '${s.name}' keeps its audit records ${a.retainMonths} months: PCI DSS 10.5.1 requires at least ${PCI_AUDIT_RETAIN_MONTHS} months of audit log history.`,
        hint: `Write \`retain ${PCI_AUDIT_RETAIN_MONTHS} months\` (or longer).`,
      }));
    if (a.hotMonths < PCI_AUDIT_HOT_MONTHS)
      report(diag("FIN4066", a.hotRange ?? line, {
        message: `Under \`compliance pci-dss\` '${s.name}' keeps its audit records immediately readable ${a.hotMonths} months: PCI DSS 10.5.1 requires the last ${PCI_AUDIT_HOT_MONTHS} months immediately available for analysis.`,
        hint: `Write \`hot ${PCI_AUDIT_HOT_MONTHS} months\` (or longer).`,
      }));
  }
}

/**
 * FIN4095: an `audit-log` is a promise that the records reach write-once storage (S3 Object Lock,
 * emit/audit + the terraform target; on gcp a Cloud Logging sink into a locked GCS bucket,
 * model/audit-storage-clouds.ts). Where finc creates none — azure and onprem, or aws/gcp without
 * the account or region that name the bucket — the stream would go nowhere: refused, not silent.
 * Once per environment's first model (the platform is the same in each).
 */
function checkAuditStorage(model: PlatformModel, report: (d: Diagnostic) => void): void {
  if (baseEnvironment(model) !== model.platform.environments[0] || auditBucket(model) || gcpAuditBucket(model)) return;
  const p = model.platform;
  const why =
    p.cloud === "azure"
      ? "finc cannot ship a service's audit stream to write-once storage on azure yet: Fluent Bit's azure_blob output authenticates only with shared keys or SAS tokens (no workload identity, fluent/fluent-bit#12194), and finc's storage accounts accept Entra ID only (the AKS API audit log is kept write-once under `compliance pci-dss`)"
      : p.cloud === "onprem"
        ? "finc creates no write-once storage on `cloud onprem` (no object store it knows); nothing would receive them"
        : !p.account
          ? p.cloud === "gcp" ? "the write-once GCS bucket and the Cloud Logging sink belong to the GCP project, and the platform has no `account`" : "the write-once S3 bucket is named after the AWS account, and the platform has no `account`"
          : !primaryRegion(model)
            ? `the write-once ${p.cloud === "gcp" ? "GCS" : "S3"} bucket lives in the primary region, and the platform lists no \`regions\``
            : undefined;
  if (!why) return;
  for (const s of model.services) {
    if (!s.auditLog) continue;
    report(diag("FIN4095", s.fields["audit-log"] ?? s.origin, {
      message: `'${s.name}' declares an \`audit-log\`, but ${why}.`,
      hint: p.cloud === "gcp" ? "Add `account \"<GCP project ID>\"` and `regions …` to the platform."
        : p.cloud === "aws" ? "Add `account \"<12-digit AWS account>\"` and `regions …` to the platform."
        : "Ship the records with your platform's own write-once store for now and remove `audit-log`, or run the platform on `cloud aws` or `cloud gcp`.",
    }));
  }
}
