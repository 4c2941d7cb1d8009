import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import type { Member } from "../syntax/ast.js";
import type { FieldSource, Layer } from "./effective-fields.js";
import { KIND_SPECS } from "./schema/index.js";
import { shiftDiagnostic } from "./shift-diagnostic.js";
import { NOT_SHIFTABLE, shiftValue } from "./shift-value.js";

/** The typed values of one declaration in one environment, with the line behind each. */
export interface FieldValues {
  get<T>(field: string): T | undefined;
  /** For repeatable fields: the value read from each line, in layer order. */
  all<T>(field: string): T[];
  has(field: string): boolean;
  /** The member behind each field's effective value (the last layer that sets it). */
  readonly origins: Record<string, SourceRange>;
  /** Which layer set each field's effective value (parallel to `origins`). */
  readonly layers: Record<string, FieldLayer>;
  /** Every member behind a field, in layer order (repeatable fields accumulate). */
  sources(field: string): readonly (FieldLayer & { readonly range: SourceRange })[];
}

/** The layer a value comes from: the pattern's name, or the environment's name. */
export interface FieldLayer {
  readonly layer: Layer;
  readonly pattern?: string;
  readonly environment?: string;
}

function layerOf(src: FieldSource): FieldLayer {
  if (src.layer === "pattern" && src.from) return { layer: src.layer, pattern: src.from };
  if (src.layer === "environment" && src.from) return { layer: src.layer, environment: src.from };
  return { layer: src.layer };
}

/**
 * Reading a member is pure, so each member is read once per process even though
 * every environment re-evaluates the declaration: only overridden fields cost more.
 */
interface Read {
  readonly kind: string;
  readonly file: string;
  readonly value: unknown;
  readonly diagnostics: readonly Diagnostic[];
}
const cache = new WeakMap<Member, Read>();

/**
 * Members the language server's incremental re-parse moved (copies of unchanged members after
 * an edit, at new offsets): their read is the old member's, shifted. Only the old read is kept,
 * never the old member, so programs do not chain to each other.
 */
const moved = new WeakMap<Member, { read: Read; delta: number; start: number; end: number }>();

/** `to` is `from` moved by `delta` characters: reuse `from`'s read if there is one. */
export function carryReadOver(from: Member, to: Member, delta: number): void {
  const read = cache.get(from);
  if (read) moved.set(to, { read, delta, start: from.start, end: from.end });
}

function movedRead(member: Member, kind: string, file: string): Read | undefined {
  const m = moved.get(member);
  if (!m || m.read.kind !== kind || m.read.file !== file) return undefined;
  const value = shiftValue(m.read.value, file, m.delta, m.start, m.end);
  if (value === NOT_SHIFTABLE) return undefined;
  const diagnostics = m.read.diagnostics.map((d) => shiftDiagnostic(d, file, m.delta));
  return { kind, file, value, diagnostics };
}

export function readFields(kind: string, fields: ReadonlyMap<string, readonly FieldSource[]>, report: (d: Diagnostic) => void): FieldValues {
  const spec = KIND_SPECS[kind]!;
  const values = new Map<string, unknown[]>();
  const origins: Record<string, SourceRange> = {};
  const layers: Record<string, FieldLayer> = {};
  for (const [name, sources] of fields) {
    const f = spec.fields[name]!;
    const list: unknown[] = [];
    for (const src of sources) {
      let hit = cache.get(src.member);
      if (!hit || hit.kind !== kind || hit.file !== src.file) hit = movedRead(src.member, kind, src.file);
      if (!hit) {
        const diagnostics: Diagnostic[] = [];
        const value = f.read({ file: src.file, member: src.member, field: name, kind, example: f.example, report: (d) => diagnostics.push(d) });
        hit = { kind, file: src.file, value, diagnostics };
      }
      cache.set(src.member, hit);
      hit.diagnostics.forEach(report);
      if (hit.value !== undefined) list.push(hit.value);
    }
    values.set(name, list);
    const last = sources[sources.length - 1]!;
    origins[name] = { file: last.file, start: last.member.start, end: last.member.end };
    layers[name] = layerOf(last);
  }
  return {
    get: <T>(field: string) => {
      const list = values.get(field);
      return (list && list.length ? list[list.length - 1] : undefined) as T | undefined;
    },
    all: <T>(field: string) => (values.get(field) ?? []) as T[],
    has: (field) => values.has(field),
    origins,
    layers,
    sources: (field) => (fields.get(field) ?? []).map((src) => ({ ...layerOf(src), range: { file: src.file, start: src.member.start, end: src.member.end } })),
  };
}
