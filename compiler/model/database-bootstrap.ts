import { dirname, resolve } from "node:path";
import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";

/**
 * How a database's instances start (`image`, `init`): facts the checker, the program (which
 * reads the SQL file through the compiler host) and the CloudNativePG emitter share.
 */
export interface DatabaseBootstrap {
  /** `image "<ref>"`: the Cluster's imageName instead of CloudNativePG's image for the major. */
  readonly image?: { readonly ref: string; readonly range: SourceRange };
  /** `init "<file.sql>"`: SQL run once after initdb, from a ConfigMap. */
  readonly init?: DatabaseInit;
}

export interface DatabaseInit {
  /** As written in the spec, relative to the file that wrote it. */
  readonly path: string;
  /** Absolute path: resolved against the directory of the spec file whose line names it. */
  readonly file: string;
  /** The string in the spec (diagnostics point at it). */
  readonly range: SourceRange;
  /** The file's text, once the program has read and checked it (database-init.ts); absent if it could not. */
  readonly sql?: string;
}

export function lowerDatabaseBootstrap(v: FieldValues): DatabaseBootstrap {
  const image = v.get<{ value: string; range: SourceRange }>("image");
  const init = v.get<{ path: string; range: SourceRange }>("init");
  return {
    ...(image ? { image: { ref: image.value, range: image.range } } : {}),
    ...(init ? { init: { path: init.path, file: resolve(dirname(init.range.file), init.path), range: init.range } } : {}),
  };
}
