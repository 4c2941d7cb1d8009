import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import type { PlatformModel } from "../model/platform-model.js";

/** A JSON-like object as emitted; key order is the order builders write them in. */
export type Manifest = { readonly [key: string]: unknown };

/**
 * One emitted document with where it came from: `origin` is the declaration behind
 * it, `fields` maps JSON pointers inside the document to the spec line that set them.
 */
export interface EmittedDocument {
  /** Relative output path, e.g. `payments/deployment-api.yaml`. */
  readonly path: string;
  readonly object: Manifest;
  readonly origin: SourceRange;
  readonly fields: Readonly<Record<string, SourceRange | undefined>>;
}

export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/** An output target: a pure function of the model. */
export interface Emitter {
  readonly id: string;
  emit(model: PlatformModel): { documents: EmittedDocument[]; diagnostics: Diagnostic[] };
}

export function document(path: string, object: Manifest, origin: SourceRange, fields: Record<string, SourceRange | undefined> = {}): EmittedDocument {
  return { path, object, origin, fields };
}
