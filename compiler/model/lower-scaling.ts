import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { TriggerRead } from "../semantic/schema/scaling-fields.js";
import type { RolloutStrategy, ScaleTrigger, ScalingPolicy } from "./scaling-model.js";

/** Service scaling fields → `scaling`, present only when at least one is set (spread into lowerService). */
export function lowerServiceScaling(v: FieldValues): { scaling?: ScalingPolicy } {
  const p: { -readonly [K in keyof ScalingPolicy]: ScalingPolicy[K] } = {};
  const triggers = v.all<TriggerRead[]>("scale").flat();
  if (triggers.length) p.scale = triggers.map(({ range, storeRange: _s, ...t }) => ({ ...(t as ScaleTrigger), origin: range }));
  const rightSize = v.get<ScalingPolicy["rightSize"]>("right-size");
  if (rightSize) p.rightSize = rightSize;
  const rollout = v.get<RolloutStrategy & { weightRanges?: SourceRange[] }>("rollout");
  if (rollout) {
    const { weightRanges: _w, ...r } = rollout;
    p.rollout = r as RolloutStrategy;
  }
  const spot = v.get<string>("spot");
  if (spot === "yes") p.spot = true;
  return Object.keys(p).length ? { scaling: p } : {};
}
