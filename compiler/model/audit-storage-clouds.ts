import { auditedServices, monthsToDays } from "./audit-model.js";
import { fnv8, primaryRegion, resourcePrefix } from "./cloud-model.js";
import type { PlatformModel } from "./platform-model.js";

/**
 * The write-once homes of audit records off AWS (model/audit-storage.ts is S3 Object Lock):
 * - gcp (`account`, a region, an `audit-log`): GKE's logging agent already ships every container's
 *   stdout to Cloud Logging (JSON lines become `jsonPayload`), so no Fluent Bit: a Cloud Logging
 *   sink routes the audited containers' `"audit": true` entries — and, with `cluster`, the GKE
 *   cluster's own API audit log — into a GCS bucket whose retention policy is LOCKED
 *   (emit/terraform/gcp-audit.ts);
 * - azure (under pci-dss, with `cluster`): the AKS API server's kube-audit and guard logs through a
 *   diagnostic setting into a storage account whose containers carry a LOCKED time-based
 *   immutability policy (emit/terraform/azure-audit.ts). A service's `audit-log` stays FIN4095
 *   there: Fluent Bit's azure_blob output authenticates with shared keys or SAS only.
 */

const clip = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max).replace(/[-_]+$/, ""));
const dnsSafe = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]/g, "-");
const DAY_S = 86_400;

/** The GCS bucket of the audit records (`<prefix>-audit-<project>`, at most 63 characters) and how long it locks them. */
export function gcpAuditBucket(model: PlatformModel): { name: string; region: string; lockDays: number; hotDays: number } | undefined {
  const p = model.platform;
  const region = primaryRegion(model);
  const services = auditedServices(model.services);
  if (p.cloud !== "gcp" || !p.account || !region || !services.length) return undefined;
  const full = `${dnsSafe(resourcePrefix(model))}-audit-${p.account}`;
  return {
    name: full.length <= 63 ? full : `${clip(full, 54)}-${fnv8(full)}`,
    region,
    // One sink writes every stream into one bucket (objects are named by log, not by service): the longest `retain` holds for all.
    lockDays: Math.max(...services.map((s) => monthsToDays(s.auditLog.retainMonths))),
    hotDays: Math.max(...services.map((s) => monthsToDays(s.auditLog.hotMonths))),
  };
}

/** Seconds, as GCS's `retention_period` takes them. */
export const daysToSeconds = (days: number): number => days * DAY_S;

/** The Cloud Logging filter of the audit sink: the audited containers' audit entries, and the GKE cluster's API audit log. */
export function gcpAuditFilter(model: PlatformModel): string {
  const cluster = model.platform.cluster;
  const inCluster = cluster ? ` AND resource.labels.cluster_name="${cluster}"` : "";
  const containers = auditedServices(model.services).map((s) => `(resource.labels.namespace_name="${s.namespace}" AND resource.labels.container_name="${s.name}")`);
  const streams = `(resource.type="k8s_container"${inCluster} AND jsonPayload.audit=true AND (${containers.join(" OR ")}))`;
  return cluster ? `${streams} OR (resource.type="k8s_cluster"${inCluster} AND logName:"cloudaudit.googleapis.com")` : streams;
}

/** The Azure storage account of the AKS audit logs: 3–24 lower-case letters and digits, globally unique (like the backups'). */
export function azureAuditAccountName(model: PlatformModel): string {
  const start = dnsSafe(resourcePrefix(model)).replace(/-/g, "").slice(0, 12);
  return `${start}au${fnv8(`${resourcePrefix(model)}/${model.platform.account}/audit`)}`;
}

/** The AKS diagnostic categories kept write-once: every API request (kube-audit, reads included, PCI DSS 10.2.1.1) and Entra ID authentications (guard). */
export const AKS_AUDIT_CATEGORIES = ["kube-audit", "guard"] as const;
