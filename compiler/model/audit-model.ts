import type { SourceRange } from "../diagnostics/diagnostic.js";

/**
 * A service's application audit stream (issue 12 item 3, mission area 14): `audit-log stdout
 * retain 12 months hot 3 months`. The service writes its audit records to stdout as JSON lines
 * with `"audit": true`; Fluent Bit picks them out of the container log and ships them to
 * write-once storage (S3 Object Lock in compliance mode on AWS) kept `retain` months, the first
 * `hot` months in an immediately readable storage class.
 */
export interface AuditLogModel {
  readonly sink: "stdout";
  readonly retainMonths: number;
  readonly hotMonths: number;
  /** The numbers as written (absent: the default), for the retention diagnostics. */
  readonly retainRange?: SourceRange;
  readonly hotRange?: SourceRange;
}

/** What ServiceModel adds. */
export interface ServiceAudit {
  readonly auditLog?: AuditLogModel;
}

/** PCI DSS 4.0.1 10.5.1: audit log history kept at least 12 months, the last 3 immediately available. */
export const PCI_AUDIT_RETAIN_MONTHS = 12;
export const PCI_AUDIT_HOT_MONTHS = 3;

/** Months as days for storage lifecycles: 31 per month, so a retention is never shorter than asked. */
export const monthsToDays = (months: number): number => months * 31;

/** The `audit-log` line of a service → the model. */
export const lowerServiceAudit = (a: AuditLogModel | undefined): ServiceAudit => (a ? { auditLog: a } : {});

/** The services with an audit stream, in a stable order. */
export const auditedServices = <S extends { readonly name: string; readonly namespace: string; readonly auditLog?: AuditLogModel }>(services: readonly S[]): (S & { auditLog: AuditLogModel })[] =>
  services.filter((s): s is S & { auditLog: AuditLogModel } => s.auditLog !== undefined).sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));

/** The object key prefix of a service's audit records in the audit bucket. */
export const auditPrefix = (s: { readonly name: string; readonly namespace: string }): string => `audit/${s.namespace}/${s.name}/`;
