import type { SourceRange } from "../../diagnostics/diagnostic.js";
import type { PositionMap } from "./position-map.js";

/** Per file, the lowest start and highest end of every source range in some plain data. */
export type Footprint = ReadonlyMap<string, { readonly lo: number; readonly hi: number }>;

/** How a cached result moves as a whole: unchanged, shifted in one file, or range by range (or not at all). */
export type Move = { readonly kind: "same" } | { readonly kind: "shift"; readonly file: string; readonly delta: number } | { readonly kind: "each" } | undefined;

/** Per file, the lowest start and highest end of `ranges`. */
export function footprintOf(ranges: readonly SourceRange[]): Footprint {
  const out = new Map<string, { lo: number; hi: number }>();
  for (const r of ranges) {
    const f = out.get(r.file);
    if (!f) out.set(r.file, { lo: r.start, hi: r.end });
    else {
      if (r.start < f.lo) f.lo = r.start;
      if (r.end > f.hi) f.hi = r.end;
    }
  }
  return out;
}

/** The whole footprint before the edit: "same"; after it in one file: one shift; otherwise range by range. */
export function moveOf(footprint: Footprint, map: PositionMap): Move {
  let shift: { kind: "shift"; file: string; delta: number } | undefined;
  for (const [file, { lo, hi }] of footprint) {
    const m = map.file(file);
    if (m === undefined) return undefined;
    if (m === "same" || hi <= m.start || (lo >= m.oldEnd && m.delta === 0)) continue;
    if (lo < m.oldEnd || shift) return { kind: "each" };
    shift = { kind: "shift", file, delta: m.delta };
  }
  return shift ?? { kind: "same" };
}

export function shiftFootprint(footprint: Footprint, move: Move): Footprint {
  if (!move || move.kind !== "shift") return footprint;
  const out = new Map(footprint);
  const f = footprint.get(move.file)!;
  out.set(move.file, { lo: f.lo + move.delta, hi: f.hi + move.delta });
  return out;
}
