import type { FieldLayer, FieldValues } from "../read-fields.js";
import type { SourceRange } from "../../diagnostics/diagnostic.js";

type Sources = readonly (FieldLayer & { readonly range: SourceRange })[];

/**
 * A declaration's typed fields as plain data (what `FieldValues` answers). The cache keeps this,
 * not the checker's FieldValues, which holds the syntax nodes it was read from: caches never
 * chain one program's syntax tree to the next, and moving it is one pass over arrays.
 */
export interface FieldData {
  readonly fields: readonly string[];
  readonly lists: readonly (readonly unknown[])[];
  readonly origins: readonly SourceRange[];
  readonly sources: readonly Sources[];
  readonly layers: FieldValues["layers"];
}

export function fieldData(v: FieldValues): FieldData {
  const fields = Object.keys(v.origins);
  return { fields, lists: fields.map((f) => v.all(f)), origins: fields.map((f) => v.origins[f]!), sources: fields.map((f) => v.sources(f)), layers: v.layers };
}

/** The FieldValues the checker and the language server read, over plain data. */
export function fieldValues(data: FieldData): FieldValues {
  const index = new Map<string, number>();
  const origins: Record<string, SourceRange> = {};
  data.fields.forEach((f, i) => {
    index.set(f, i);
    origins[f] = data.origins[i]!;
  });
  return {
    get: <T>(field: string) => {
      const i = index.get(field);
      const list = i === undefined ? undefined : data.lists[i]!;
      return (list && list.length ? list[list.length - 1] : undefined) as T | undefined;
    },
    all: <T>(field: string) => {
      const i = index.get(field);
      return (i === undefined ? [] : data.lists[i]!) as T[];
    },
    has: (field) => index.has(field),
    origins,
    layers: data.layers,
    sources: (field) => {
      const i = index.get(field);
      return i === undefined ? [] : [...data.sources[i]!];
    },
  };
}
