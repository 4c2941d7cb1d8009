import { diag } from "../../diagnostics/messages.js";
import { eachTerm, rangeOf, type FieldContext } from "../readers.js";
import { RANGES } from "./value-ranges.js";

/** What `update` reads: Deployment maxSurge / maxUnavailable, an int32 or a whole percentage ("25%"). */
export interface RollingUpdateRead {
  maxSurge?: string | number;
  maxUnavailable?: string | number;
}

/** The defaults lowering applies (model/lower.ts) when `update` leaves one out. */
const DEFAULT_SURGE = "25%";
const DEFAULT_UNAVAILABLE = 0;

const isZero = (v: string | number): boolean => v === 0 || v === "0%";

/**
 * `update surge <n|p%>, unavailable <n|p%>`. Kubernetes refuses a Deployment whose maxSurge and
 * maxUnavailable are both zero (the rollout could never make progress): FIN3004 on the line.
 */
export function readRollingUpdate(ctx: FieldContext): RollingUpdateRead {
  const out: RollingUpdateRead = {};
  eachTerm(ctx, (r) => {
    const which = r.oneOf(["surge", "unavailable"] as const, "update setting");
    if (!which) return undefined;
    const a = r.peek();
    if (a?.kind !== "Number" || (a.unit !== "" && a.unit !== "%")) {
      r.next();
      return r.mismatch("a count or a percentage", a);
    }
    const surge = which === "surge";
    const v = a.unit === "%" ? r.percent(surge ? RANGES.surgePercent : RANGES.unavailablePercent) : r.count(surge ? RANGES.surge : RANGES.unavailable);
    if (v === undefined) return undefined;
    out[surge ? "maxSurge" : "maxUnavailable"] = a.unit === "%" ? `${v}%` : v;
    return v;
  });
  const surge = out.maxSurge ?? DEFAULT_SURGE;
  const unavailable = out.maxUnavailable ?? DEFAULT_UNAVAILABLE;
  if (isZero(surge) && isZero(unavailable)) {
    ctx.report(diag("FIN3004", rangeOf(ctx, ctx.member), {
      what: "The rolling update budget",
      bound: "more than zero in surge or unavailable",
      value: "surge 0 and unavailable 0",
      hint: "Kubernetes refuses a Deployment whose maxSurge and maxUnavailable are both 0: allow one extra pod (`surge 1`) or one missing pod (`unavailable 1`).",
    }));
  }
  return out;
}
