import type { FieldContext } from "../readers.js";

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
}

export function field<T>(spec: FieldSpec<T>): FieldSpec<T> {
  return spec;
}
