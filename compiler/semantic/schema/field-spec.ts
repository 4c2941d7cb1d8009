import type { FieldContext } from "../readers.js";
import type { ValueRange } from "./value-ranges.js";

/** One field a declaration accepts: how to read it, and what the editor shows about it. */
export interface FieldSpec<T = unknown> {
  readonly doc: string;
  /** Human-readable syntax, shown on hover and in completion details. */
  readonly syntax: string;
  readonly example: string;
  /** Repeatable fields accumulate across lines and patterns (config, secret, expose …). */
  readonly repeatable?: boolean;
  /** For repeatable fields: an environment's entries replace the base list instead of adding to it. */
  readonly replaceInEnvironment?: boolean;
  /** Words the value may start with, offered by completion. */
  readonly values?: readonly string[];
  /**
   * Words that may follow inside the value, offered by completion (see `followUps`). Keys:
   * a word of the value (`dns` → the DNS providers, `route53` → `region`), `"` after a string,
   * `#` after a number, `/` after a path, and `*` right after the first item of a term.
   */
  readonly keywords?: Readonly<Record<string, readonly string[]>>;
  /** Unit suffixes a number in this field may take (`Mi`, `Gi`; `ms`, `s`; `%`), for completion. */
  readonly units?: readonly string[];
  /** The declared range of each number the field accepts (value-ranges.ts); the reader enforces the same objects. */
  readonly numbers?: readonly ValueRange[];
  /** Read only in a nested block (`config { … }`) as well as inline. */
  readonly block?: boolean;
  readonly read: (ctx: FieldContext) => T | undefined;
}

export interface KindSpec {
  readonly doc: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly required: readonly string[];
  /** Names other declarations may reference as `<decl>.<output>`. */
  readonly outputs?: readonly string[];
  /**
   * Fields of a sibling kind this kind refuses with its own diagnostic instead of FIN2003
   * (`port` on a `worker` is FIN3024 saying why): not offered by completion.
   */
  readonly refused?: Readonly<Record<string, RefusedField>>;
}

/** Why a field does not belong to a kind, as the parameters of its diagnostic. */
export interface RefusedField {
  readonly code: "FIN3024" | "FIN3025" | "FIN3026";
  readonly message: string;
  readonly hint: string;
}

export function field<T>(spec: FieldSpec<T>): FieldSpec<T> {
  return spec;
}

/**
 * The follow-up words of a field after the tokens `before` of the current term (strings as
 * `"…"`): a word's own entry first, then `*` right after the first item, then the entry for
 * the last token's shape (`"`, `#`, `/`), then the entry of the last word written.
 */
export function followUps(keywords: FieldSpec["keywords"], before: readonly string[]): readonly string[] {
  if (!keywords || before.length === 0) return [];
  const shapeOf = (t: string): string => (t.startsWith('"') ? '"' : /^[0-9]/.test(t) ? "#" : t.startsWith("/") ? "/" : /^[A-Za-z_]/.test(t) ? t : "");
  const last = before[before.length - 1]!;
  const shape = shapeOf(last);
  if (shape === last && keywords[last]) return keywords[last]!;
  if (before.length === 1 && keywords["*"]) return keywords["*"];
  if (shape && keywords[shape]) return keywords[shape]!;
  for (let i = before.length - 1; i >= 0; i--) {
    const t = before[i]!;
    if (shapeOf(t) === t && t) return keywords[t] ?? [];
  }
  return [];
}

/** The same field with completion hints added (for schema files that keep their hints elsewhere). */
export function withHints(spec: KindSpec, hints: Readonly<Record<string, Pick<FieldSpec, "keywords" | "units" | "values">>>): KindSpec {
  const fields: Record<string, FieldSpec> = { ...spec.fields };
  for (const [name, h] of Object.entries(hints)) if (fields[name]) fields[name] = { ...fields[name]!, ...h };
  return { ...spec, fields };
}
