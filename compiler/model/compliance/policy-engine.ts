import type { FieldValues } from "../../semantic/read-fields.js";

/** `policy native | kyverno | gatekeeper` on the platform: which admission controller enforces finc's rules in the cluster. */
export const POLICY_ENGINES = ["native", "kyverno", "gatekeeper"] as const;
export type PolicyEngine = (typeof POLICY_ENGINES)[number];

export interface PlatformAdmission {
  /** Absent: `native` (ValidatingAdmissionPolicy, CEL; no controller to install). */
  readonly policy?: PolicyEngine;
}

/** Reads the platform's `policy` field value (see schema/platform.ts). */
export function lowerPlatformAdmission(v: FieldValues): PlatformAdmission {
  const policy = v.get<PolicyEngine>("policy");
  return policy ? { policy } : {};
}
