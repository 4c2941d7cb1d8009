import type { Program } from "../../../compiler/program.js";
import { defaultEnvironment, outputsFor } from "../outputs.js";

export interface PreviewParams {
  readonly uri: string;
  readonly environment?: string;
}

export interface PreviewResult {
  readonly files: { path: string; content: string }[];
}

/**
 * `finc/preview`: the files the spec compiles to in one environment (the requested one,
 * else the first), limited to those produced by the document's declarations when it has any.
 */
export function preview(program: Program, path: string, environment?: string): PreviewResult {
  const env = environment && program.checked.environments.includes(environment) ? environment : defaultEnvironment(program);
  if (!env) return { files: [] };
  const out = outputsFor(program, env);
  if (!out) return { files: [] };
  const mine = new Set((out.documents.get(env) ?? []).filter((d) => d.origin.file === path).map((d) => `${env}/${d.path}`));
  const files = mine.size ? out.files.filter((f) => mine.has(f.path)) : out.files;
  return { files: files.map((f) => ({ path: f.path, content: f.content })) };
}
