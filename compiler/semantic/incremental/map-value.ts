import type { CodeFix, Diagnostic, SourceRange } from "../../diagnostics/diagnostic.js";

/** Old range → new range, or undefined when the range lies in changed text. */
export type RangeMap = (range: SourceRange) => SourceRange | undefined;

/** Returned when a value cannot be moved safely: the caller computes it afresh. */
export const NOT_MAPPABLE: unique symbol = Symbol("not mappable");

/**
 * A copy of plain data with every source range `{ file, start, end }` moved through `map`.
 * Anything that is not plain data (class instances, functions), an object with offsets but no
 * file, or a range in changed text makes the whole value not mappable: a cache can never
 * hand out a wrong position. Unchanged sub-objects are returned as they are (no copy).
 */
export function mapValue(value: unknown, map: RangeMap): unknown {
  if (value === null || typeof value !== "object") return typeof value === "function" ? NOT_MAPPABLE : value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = mapValue(value[i], map);
      if (v === NOT_MAPPABLE) return NOT_MAPPABLE;
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_MAPPABLE;
  const src = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(src)) {
    const v = mapValue(src[k], map);
    if (v === NOT_MAPPABLE) return NOT_MAPPABLE;
    if (v !== src[k]) (out ??= { ...src })[k] = v;
  }
  if ("start" in src || "end" in src) {
    const { file, start, end } = src;
    if (typeof file !== "string" || typeof start !== "number" || typeof end !== "number") return NOT_MAPPABLE;
    const r = map({ file, start, end });
    if (!r) return NOT_MAPPABLE;
    if (r.start !== start || r.end !== end) {
      out ??= { ...src };
      out.start = r.start;
      out.end = r.end;
    }
  }
  return out ?? src;
}

/** A diagnostic with its range, related ranges and fix edits moved, or undefined if one cannot be. */
export function mapDiagnostic(d: Diagnostic, map: RangeMap): Diagnostic | undefined {
  const range = map(d.range);
  if (!range) return undefined;
  let ok = true;
  const at = (r: SourceRange): SourceRange => {
    const m = map(r);
    if (!m) ok = false;
    return m ?? r;
  };
  const related = d.related?.map((r) => ({ ...r, range: at(r.range) }));
  const fixes = d.fixes?.map((f): CodeFix => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: at(e.range) })) }));
  if (!ok) return undefined;
  return { ...d, range, ...(related ? { related } : {}), ...(fixes ? { fixes } : {}) };
}

/**
 * `mapValue` for the common case, every range of `file` moved by `delta` (a declaration after
 * the edit): the same checks, without a call per range.
 */
export function shiftPlain(value: unknown, file: string, delta: number): unknown {
  if (value === null || typeof value !== "object") return typeof value === "function" ? NOT_MAPPABLE : value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = shiftPlain(value[i], file, delta);
      if (v === NOT_MAPPABLE) return NOT_MAPPABLE;
      out[i] = v;
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_MAPPABLE;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    const v = shiftPlain(src[k], file, delta);
    if (v === NOT_MAPPABLE) return NOT_MAPPABLE;
    out[k] = v;
  }
  if ("start" in src || "end" in src) {
    if (typeof src.file !== "string" || typeof src.start !== "number" || typeof src.end !== "number") return NOT_MAPPABLE;
    if (src.file === file) {
      out.start = src.start + delta;
      out.end = src.end + delta;
    }
  }
  return out;
}
