import { buildOutputs, type BuildOutputs } from "../../compiler/emit/build-outputs.js";
import type { EmittedDocument } from "../../compiler/emit/output.js";
import type { Program } from "../../compiler/program.js";
import type { DeclInfo } from "../../compiler/semantic/declarations.js";

/** Emitting is pure, so one build per program and environment serves every hover and preview. */
const cache = new WeakMap<Program, Map<string, BuildOutputs>>();

export function outputsFor(program: Program, environment: string): BuildOutputs | undefined {
  if (!program.checked.models.has(environment)) return undefined;
  let perEnv = cache.get(program);
  if (!perEnv) cache.set(program, (perEnv = new Map()));
  let out = perEnv.get(environment);
  if (!out) perEnv.set(environment, (out = buildOutputs(program, { environments: [environment] })));
  return out;
}

/** The outputs of one environment when a request has already built them (nothing is built here). */
export function outputsForIfBuilt(program: Program, environment: string): BuildOutputs | undefined {
  return cache.get(program)?.get(environment);
}

/** The documents a declaration produces: those whose origin lies inside it. */
export function documentsOf(outputs: BuildOutputs, environment: string, decl: DeclInfo): EmittedDocument[] {
  return (outputs.documents.get(environment) ?? []).filter(
    (d) => d.origin.file === decl.file && d.origin.start >= decl.node.start && d.origin.end <= decl.node.end,
  );
}

/** The environment features show by default: the configured one when it exists, else the first. */
export function defaultEnvironment(program: Program, preferred?: string): string | undefined {
  const envs = program.checked.environments;
  return preferred && envs.includes(preferred) ? preferred : envs[0];
}
