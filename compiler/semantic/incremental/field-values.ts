import type { FieldLayer, FieldValues } from "../read-fields.js";
import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { mapValue, NOT_MAPPABLE } from "./map-value.js";
import type { RangeMap } from "./position-map.js";

/**
 * A cached declaration's typed fields moved to this compile's offsets, as plain data (the
 * original keeps the syntax nodes it was read from; this copy does not, so caches never
 * chain one program's syntax tree to the next). Undefined when a value cannot be moved.
 */
export function mapFieldValues(v: FieldValues, map: RangeMap): FieldValues | undefined {
  const values = new Map<string, unknown[]>();
  const sources = new Map<string, readonly (FieldLayer & { readonly range: SourceRange })[]>();
  const origins: Record<string, SourceRange> = {};
  for (const field of Object.keys(v.origins)) {
    const list = mapValue(v.all(field), map);
    const origin = map(v.origins[field]!);
    if (list === NOT_MAPPABLE || !origin) return undefined;
    const from: (FieldLayer & { readonly range: SourceRange })[] = [];
    for (const s of v.sources(field)) {
      const range = map(s.range);
      if (!range) return undefined;
      from.push({ ...s, range });
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
