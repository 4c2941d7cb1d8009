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
  /** The `override` blocks applied to it, in order (emit/overrides): `finc explain` shows them last. */
  readonly overrides?: readonly SourceRange[];
}

export interface OutputFile {
  readonly path: string;
  readonly content: string;
  /** The declaration behind a packaged file, when there is one (collision reports name it). */
  readonly origin?: SourceRange;
}

/** An output target: a pure function of the model. */
export interface Emitter {
  readonly id: string;
  emit(model: PlatformModel): { documents: EmittedDocument[]; diagnostics: Diagnostic[] };
}

/** What a whole-build emitter sees: every environment's model and the documents of its input targets. */
export interface BuildInput {
  /** The environments requested (`--env`), in spec order; overlays/values files are written for these. */
  readonly environments: readonly string[];
  /** Every environment of the spec, so that shared parts (a base, a chart) do not depend on `--env`. */
  readonly models: ReadonlyMap<string, PlatformModel>;
  readonly documents: ReadonlyMap<string, readonly EmittedDocument[]>;
}

/**
 * An output target that packages the per-environment documents of its `inputs`
 * targets into files of its own (a Helm chart, Kustomize base and overlays). Its
 * file paths are relative to the output directory and start with `<id>/`.
 */
export interface BuildEmitter {
  readonly id: string;
  readonly inputs: readonly string[];
  /**
   * What `emitBuild` reads of one environment's documents, taken while the build streams
   * past that environment (its summaries, a subset, or nothing): a build then need not hold
   * every environment's objects. Without it, `emitBuild` gets the documents themselves.
   */
  keep?(model: PlatformModel, documents: readonly EmittedDocument[]): readonly EmittedDocument[];
  emitBuild(input: BuildInput): { files: OutputFile[]; diagnostics: Diagnostic[] };
}

export function isBuildEmitter(e: Emitter | BuildEmitter): e is BuildEmitter {
  return "emitBuild" in e;
}

export function document(path: string, object: Manifest, origin: SourceRange, fields: Record<string, SourceRange | undefined> = {}): EmittedDocument {
  return { path, object, origin, fields };
}

/**
 * Where the values for an upstream chart finc configures go (Fluent Bit's audit shipping): beside
 * finc's own chart under `helm/`. Every other top-level directory of a build
 * holds cluster-ready documents only (an environment, or Argo CD's objects), which tools such as
 * runtime-check and k8s-validate read as such; `helm/`, `kustomize/` and `terraform/` are the
 * folders they know hold none. Two claims of one path are FIN5001 (a platform named like the chart).
 */
export function chartValuesPath(chart: string, environment: string): string {
  return `helm/${chart}/values-${environment}.yaml`;
}
