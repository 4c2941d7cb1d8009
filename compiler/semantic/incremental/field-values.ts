import type { FieldLayer, FieldValues } from "../read-fields.js";
import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { NOT_MAPPABLE } from "./map-value.js";

/** A field's sources with their ranges. */
type Sources = readonly (FieldLayer & { readonly range: SourceRange })[];

/** Plain data holding every range of a declaration's typed fields (for its footprint). */
export function fieldRanges(v: FieldValues): unknown[] {
  return Object.keys(v.origins).map((f) => [v.all(f), v.origins[f], v.sources(f)]);
}

/**
 * A cached declaration's typed fields moved to this compile's offsets, as plain data (the
 * original keeps the syntax nodes it was read from; this copy does not, so caches never
 * chain one program's syntax tree to the next). Undefined when a value cannot be moved.
 */
export function mapFieldValues(v: FieldValues, value: (x: unknown) => unknown, range: (r: SourceRange) => SourceRange | undefined): FieldValues | undefined {
  const values = new Map<string, unknown[]>();
  const sources = new Map<string, Sources>();
  const origins: Record<string, SourceRange> = {};
  for (const field of Object.keys(v.origins)) {
    const list = value(v.all(field));
    const origin = range(v.origins[field]!);
    if (list === NOT_MAPPABLE || !origin) return undefined;
    const from: (FieldLayer & { readonly range: SourceRange })[] = [];
    for (const s of v.sources(field)) {
      const r = range(s.range);
      if (!r) return undefined;
      from.push({ ...s, range: r });
    }
    values.set(field, list as unknown[]);
    origins[field] = origin;
    sources.set(field, from);
  }
  return {
    get: <T>(field: string) => {
      const list = values.get(field);
      return (list && list.length ? list[list.length - 1] : undefined) as T | undefined;
    },
    all: <T>(field: string) => (values.get(field) ?? []) as T[],
    has: (field) => values.has(field),
    origins,
    layers: v.layers,
    sources: (field) => [...(sources.get(field) ?? [])],
  };
}
