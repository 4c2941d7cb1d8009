/** Returned by `shiftValue` when a value cannot be moved safely: the caller reads it afresh. */
export const NOT_SHIFTABLE: unique symbol = Symbol("not shiftable");

/**
 * A copy of a field's typed value with every source range `{ file, start, end }` in `file`
 * moved by `delta`. Values are plain data; anything else (an object with offsets but no file,
 * a class instance, a function, a range outside [lo, hi] — the member the value was read
 * from) makes the value not shiftable, so a wrong position can never come out of a cache.
 */
export function shiftValue(value: unknown, file: string, delta: number, lo: number, hi: number): unknown {
  if (value === null || typeof value !== "object") return typeof value === "function" ? NOT_SHIFTABLE : value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = shiftValue(value[i], file, delta, lo, hi);
      if (v === NOT_SHIFTABLE) return NOT_SHIFTABLE;
      out[i] = v;
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_SHIFTABLE;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    const v = shiftValue(src[k], file, delta, lo, hi);
    if (v === NOT_SHIFTABLE) return NOT_SHIFTABLE;
    out[k] = v;
  }
  if ("start" in src || "end" in src) {
    const { start, end } = src;
    if (src.file !== file || typeof start !== "number" || typeof end !== "number" || start < lo || end > hi) return NOT_SHIFTABLE;
    out.start = start + delta;
    out.end = end + delta;
  }
  return out;
}
