/** Returned when a value cannot be moved safely: the caller computes it afresh. */
export const NOT_MAPPABLE: unique symbol = Symbol("not mappable");

/** A source range a cache owns exclusively, so it may move it in place (see `ownedCopy`). */
export interface OwnedRange {
  readonly file: string;
  start: number;
  end: number;
}

/**
 * A deep copy of plain data in which every source range is a fresh object, pushed onto `ranges`
 * (each exactly once): a cache that holds the copy can move all its positions by mutating those
 * objects, without copying the rest. Member reads and pattern fields are shared between
 * declarations, so the uncopied value must never be moved in place. Anything that is not plain
 * data (class instances, functions), or an object with offsets but no file, is NOT_MAPPABLE:
 * the caller does not cache it.
 */
export function ownedCopy(value: unknown, ranges: OwnedRange[]): unknown {
  if (value === null || typeof value !== "object") return typeof value === "function" ? NOT_MAPPABLE : value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = ownedCopy(value[i], ranges);
      if (v === NOT_MAPPABLE) return NOT_MAPPABLE;
      out[i] = v;
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_MAPPABLE;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    const v = ownedCopy(src[k], ranges);
    if (v === NOT_MAPPABLE) return NOT_MAPPABLE;
    out[k] = v;
  }
  if ("start" in src || "end" in src) {
    if (typeof src.file !== "string" || typeof src.start !== "number" || typeof src.end !== "number") return NOT_MAPPABLE;
    ranges.push(out as unknown as OwnedRange);
  }
  return out;
}
