import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { DeliveryRead, DeliveryTool } from "../semantic/schema/delivery-field.js";

/**
 * GitOps delivery (mission area 10): which controller pulls finc's output from which
 * repository. The output layout is finc's own (`<path>/<environment>/…`), so the model
 * only needs where that tree is committed.
 */
export interface DeliveryModel {
  readonly tool: DeliveryTool;
  readonly repo: string;
  /** Branch, tag or commit the environments track (default `main`). */
  readonly revision: string;
  /** The directory `finc build --out` writes, relative to the repository root (default: the root). */
  readonly path: string;
  /** When production may be synced (by hand); absent: any time. */
  readonly window?: { readonly schedule: string; readonly durationMs: number; readonly timeZone?: string };
  readonly origin: SourceRange;
}

export interface PlatformDelivery {
  readonly delivery?: DeliveryModel;
}

export const DEFAULT_REVISION = "main";

export function lowerPlatformDelivery(v: FieldValues): PlatformDelivery {
  const d = v.get<DeliveryRead>("delivery");
  if (!d) return {};
  return {
    delivery: {
      tool: d.tool,
      repo: d.repo,
      revision: d.revision ?? DEFAULT_REVISION,
      path: d.path ?? "",
      ...(d.window ? { window: { schedule: d.window.schedule, durationMs: d.window.durationMs, ...(d.window.timeZone ? { timeZone: d.window.timeZone } : {}) } } : {}),
      origin: d.range,
    },
  };
}

/** Where an environment's manifests are in the repository. */
export function environmentPath(delivery: DeliveryModel, environment: string): string {
  return delivery.path ? `${delivery.path}/${environment}` : environment;
}
