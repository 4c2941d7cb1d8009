import type { SourceRange } from "../diagnostics/diagnostic.js";

/** A JSON value as an override writes it into an emitted object. */
export type OverrideValue = string | number | boolean | null | readonly OverrideValue[] | { readonly [key: string]: OverrideValue };

/**
 * One step of an `override` block, with the path from the object's root: `set` replaces the value
 * (objects in a `{ … }` block are merged key by key, so each leaf is its own step), `append` adds
 * to a list, `delete` removes the key or list element.
 */
export interface OverrideOp {
  readonly action: "set" | "append" | "delete";
  readonly path: readonly (string | number)[];
  readonly value?: OverrideValue;
  /** The member that says it (the source map and `finc explain` point here). */
  readonly range: SourceRange;
}

/** `override <kind>/<name> [for <env>] { … }`, checked against the kind's schema, for one environment. */
export interface ObjectOverride {
  /** The Kubernetes kind, as in the object (`Deployment`). */
  readonly kind: string;
  /** The word written (`deployment`). */
  readonly kindWord: string;
  readonly name: string;
  readonly ops: readonly OverrideOp[];
  /** `deployment/api` in the source. */
  readonly targetRange: SourceRange;
  readonly origin: SourceRange;
}
