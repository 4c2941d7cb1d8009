import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import type { Member } from "../syntax/ast.js";
import type { FieldSource } from "./effective-fields.js";
import { KIND_SPECS } from "./schema/index.js";

/** The typed values of one declaration in one environment, with the line behind each. */
export interface FieldValues {
  get<T>(field: string): T | undefined;
  /** For repeatable fields: the value read from each line, in layer order. */
  all<T>(field: string): T[];
  has(field: string): boolean;
  readonly origins: Record<string, SourceRange>;
}

/**
 * Reading a member is pure, so each member is read once per process even though
 * every environment re-evaluates the declaration: only overridden fields cost more.
 */
const cache = new WeakMap<Member, { kind: string; value: unknown; diagnostics: Diagnostic[] }>();

export function readFields(kind: string, fields: ReadonlyMap<string, readonly FieldSource[]>, report: (d: Diagnostic) => void): FieldValues {
  const spec = KIND_SPECS[kind]!;
  const values = new Map<string, unknown[]>();
  const origins: Record<string, SourceRange> = {};
  for (const [name, sources] of fields) {
    const f = spec.fields[name]!;
    const list: unknown[] = [];
    for (const src of sources) {
      let hit = cache.get(src.member);
      if (!hit || hit.kind !== kind) {
        const diagnostics: Diagnostic[] = [];
        const value = f.read({ file: src.file, member: src.member, field: name, kind, report: (d) => diagnostics.push(d) });
        hit = { kind, value, diagnostics };
        cache.set(src.member, hit);
      }
      hit.diagnostics.forEach(report);
      if (hit.value !== undefined) list.push(hit.value);
    }
    values.set(name, list);
    const last = sources[sources.length - 1]!;
    origins[name] = { file: last.file, start: last.member.start, end: last.member.end };
  }
  return {
    get: <T>(field: string) => {
      const list = values.get(field);
      return (list && list.length ? list[list.length - 1] : undefined) as T | undefined;
    },
    all: <T>(field: string) => (values.get(field) ?? []) as T[],
    has: (field) => values.has(field),
    origins,
  };
}
