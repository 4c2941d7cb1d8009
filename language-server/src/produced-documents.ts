import { buildOutputs, DEFAULT_TARGETS, EMITTERS } from "../../compiler/emit/build-outputs.js";
import { isBuildEmitter, type EmittedDocument } from "../../compiler/emit/output.js";
import type { PlatformModel } from "../../compiler/model/platform-model.js";
import type { Program } from "../../compiler/program.js";
import type { DeclInfo } from "../../compiler/semantic/declarations.js";
import { documentsOf, outputsForIfBuilt, outputsFor } from "./outputs.js";

/** The per-environment targets a build writes by default (packaging targets only repackage their documents). */
const PER_ENVIRONMENT = DEFAULT_TARGETS.filter((t) => EMITTERS[t] && !isBuildEmitter(EMITTERS[t]));

const cache = new WeakMap<Program, Map<string, readonly EmittedDocument[]>>();

/**
 * The documents a declaration produces in one environment (hover's "Produces"), without
 * building every output: a workload or database is emitted in a model that keeps only it,
 * the services it calls and those that call it (whose policies decide which objects exist
 * for it) and everything that is not a service. On a 20,000-line spec a whole build takes
 * seconds; this takes milliseconds. When the whole build is already there, it is read.
 * test/language-server/produced-documents.test.ts holds it to the whole build on every example.
 */
export function producedDocuments(program: Program, environment: string, decl: DeclInfo): readonly EmittedDocument[] {
  const built = outputsForIfBuilt(program, environment);
  if (built) return documentsOf(built, environment, decl);
  const model = program.checked.models.get(environment);
  if (!model) return [];
  let perProgram = cache.get(program);
  if (!perProgram) cache.set(program, (perProgram = new Map()));
  const key = `${environment}\0${decl.file}\0${decl.node.start}`;
  const known = perProgram.get(key);
  if (known) return known;
  const sub = modelAround(model, decl);
  const docs = sub ? documentsOf(buildOutputs(withModel(program, environment, sub), { environments: [environment], targets: PER_ENVIRONMENT }), environment, decl) : documentsOf(outputsFor(program, environment)!, environment, decl);
  perProgram.set(key, docs);
  return docs;
}

/**
 * The model with only the services `decl` is connected to: for a workload or database those it
 * calls and that call it, for a namespace those it holds, for other kinds none; for the
 * platform, which sums over everything, undefined (the whole build).
 */
function modelAround(model: PlatformModel, decl: DeclInfo): PlatformModel | undefined {
  const inside = (o: { file: string; start: number; end: number }): boolean => o.file === decl.file && o.start >= decl.node.start && o.end <= decl.node.end;
  const own = model.services.filter((s) => inside(s.origin));
  const names = new Set([...own.map((s) => s.name), ...model.databases.filter((d) => inside(d.origin)).map((d) => d.name)]);
  if (!names.size) {
    // The platform's and a namespace's objects depend on the services they hold.
    if (decl.kind === "platform") return undefined;
    return { ...model, services: decl.kind === "namespace" ? model.services.filter((s) => s.namespace === decl.name) : [] };
  }
  const called = new Set(own.flatMap((s) => s.calls));
  return { ...model, services: model.services.filter((s) => names.has(s.name) || called.has(s.name) || s.calls.some((c) => names.has(c))) };
}

function withModel(program: Program, environment: string, model: PlatformModel): Program {
  return { ...program, checked: { ...program.checked, environments: [environment], models: new Map([[environment, model]]) } };
}
