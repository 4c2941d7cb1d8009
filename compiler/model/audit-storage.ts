import { auditedServices } from "./audit-model.js";
import { primaryRegion, resourcePrefix } from "./cloud-model.js";
import type { PlatformModel } from "./platform-model.js";

/**
 * The write-once bucket of the audit streams (`<prefix>-audit-<account>`), when finc creates it:
 * `cloud aws` with `account` and at least one `audit-log`. The terraform target creates it, the
 * Fluent Bit values write to it; both take the name from here.
 */
export function auditBucket(model: PlatformModel): { name: string; region: string } | undefined {
  const p = model.platform;
  const region = primaryRegion(model);
  if (p.cloud !== "aws" || !p.account || !region || !auditedServices(model.services).length) return undefined;
  const clip = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max).replace(/[-_]+$/, ""));
  const prefix = resourcePrefix(model).toLowerCase().replace(/[^a-z0-9-]/g, "-");
  return { name: `${clip(clip(prefix, 42), 63 - "audit".length - 12 - 2)}-audit-${p.account}`, region };
}
