import type { PlatformModel } from "../platform-model.js";

/**
 * What a compliance rule is about, when the spec may not have it at all: a requirement whose
 * subject the spec does not declare is "not applicable" in the report (with the reason below),
 * not "checked" — e.g. PCI DSS 10.5.1 (keep audit log history) for a platform without any
 * `audit-log`. Rules without a subject apply to every platform that names their profile.
 */
export type SubjectId = "audit-streams" | "databases" | "workloads" | "immutable-namespaces";

interface Subject {
  readonly present: (model: PlatformModel) => boolean;
  /** One line for the report: what the spec lacks. */
  readonly absent: string;
}

export const SUBJECTS: Readonly<Record<SubjectId, Subject>> = {
  "audit-streams": { present: (m) => m.services.some((s) => s.auditLog !== undefined), absent: "no service declares `audit-log`: the spec has no application audit trail to retain" },
  databases: { present: (m) => m.databases.length > 0, absent: "the spec declares no database" },
  workloads: { present: (m) => m.services.length > 0, absent: "the spec declares no workload" },
  "immutable-namespaces": { present: (m) => m.namespaces.some((n) => n.deploy === "immutable"), absent: "no namespace declares `deploy immutable`" },
};

/** Why a rule does not apply to this model, or undefined when it does. */
export function notApplicableReason(subject: SubjectId | undefined, model: PlatformModel): string | undefined {
  if (!subject) return undefined;
  const s = SUBJECTS[subject];
  return s.present(model) ? undefined : s.absent;
}
