import type { Diagnostic, SourceRange } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { ObjectOverride, OverrideOp, OverrideValue } from "../../model/override-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { closest } from "../../semantic/did-you-mean.js";
import { identityOf } from "../object-registry.js";
import type { EmittedDocument, Manifest } from "../output.js";
import { brokenBy, brokenByDelete, LEVEL_ORDER, type BrokenGuarantee, type SecurityLevel } from "./security-guarantees.js";

/** One applied step, for hover and `finc explain`: the value at the path before and after. */
export interface AppliedStep {
  readonly op: OverrideOp;
  readonly document: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface AppliedOverrides {
  readonly documents: EmittedDocument[];
  readonly diagnostics: Diagnostic[];
  readonly steps: AppliedStep[];
}

type Json = unknown;
type Path = readonly (string | number)[];

const pointerOf = (path: Path): string => path.map((p) => "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");

/**
 * Applies the model's `override` blocks to the emitted documents, last, as a pure function: each
 * targets the objects of its kind and name (in any namespace), is refused when it would undo a
 * security guarantee the object's namespace does not give up (FIN3040), and records each step in
 * the document's field map so the source map and `finc explain` point at the override line.
 * An override no document matches is FIN3041 when `reportUnknown` (the whole per-environment
 * build); a package's input subset (Helm's, Kustomize's) leaves that to it.
 */
export function applyOverrides(model: PlatformModel, docs: readonly EmittedDocument[], reportUnknown: boolean): AppliedOverrides {
  const overrides = model.overrides ?? [];
  const diagnostics: Diagnostic[] = [];
  const steps: AppliedStep[] = [];
  if (!overrides.length) return { documents: [...docs], diagnostics, steps };
  const out = [...docs];
  for (const o of overrides) {
    const matches = out.map((d, i) => [d, i] as const).filter(([d]) => {
      const id = identityOf(d.object);
      return id.kind === o.kind && id.name === o.name;
    });
    if (!matches.length) {
      if (reportUnknown) diagnostics.push(unknownObject(o, out, model.environment));
      continue;
    }
    for (const [doc, i] of matches) out[i] = applyTo(model, o, doc, diagnostics, steps);
  }
  return { documents: out, diagnostics, steps };
}

function unknownObject(o: ObjectOverride, docs: readonly EmittedDocument[], env: string): Diagnostic {
  const ids = docs.map((d) => identityOf(d.object));
  const sameKind = [...new Set(ids.filter((id) => id.kind === o.kind).map((id) => id.name))].sort();
  const near = closest(o.name, sameKind);
  const kinds = [...new Set(ids.map((id) => id.kind))].sort();
  const hint = near
    ? `Did you mean \`override ${o.kindWord}/${near}\`? The ${o.kind} objects of this build: ${sameKind.join(", ")}.`
    : sameKind.length
      ? `The ${o.kind} objects of this build: ${sameKind.join(", ")}.`
      : `This build emits no ${o.kind} (check the targets and the workload's kind); it emits: ${kinds.join(", ")}.`;
  return diag("FIN3041", o.targetRange, { message: `No ${o.kind} named '${o.name}' is emitted in environment '${env}': there is nothing to override.`, hint }, near ? { fixes: [{ title: `Change to '${o.kindWord}/${near}'`, edits: [{ range: o.targetRange, newText: `${o.kindWord}/${near}` }] }] } : {});
}

function applyTo(model: PlatformModel, o: ObjectOverride, doc: EmittedDocument, diagnostics: Diagnostic[], steps: AppliedStep[]): EmittedDocument {
  const object = structuredClone(doc.object) as Record<string, Json>;
  const fields: Record<string, SourceRange | undefined> = { ...doc.fields };
  const id = identityOf(doc.object);
  const security: SecurityLevel = model.namespaces.find((n) => n.name === id.namespace)?.security ?? "restricted";
  const refuse = (op: OverrideOp, broken: BrokenGuarantee): void => {
    const needs = broken.level === "privileged" ? "`security privileged`" : "`security baseline` (or privileged)";
    const ns = model.namespaces.find((n) => n.name === id.namespace);
    const hint = `Remove this line, or, if the workload truly needs it, set ${needs} on namespace '${id.namespace}': that lets every pod there do the same.`;
    diagnostics.push(diag("FIN3040", op.range, { kind: o.kind, name: o.name, guarantee: broken.guarantee, namespace: id.namespace || "(none)", level: security, hint }, {
      related: [{ message: "the namespace's security level comes from here", range: ns?.fields["security"] ?? ns?.origin ?? o.origin }],
    }));
  };
  const allowed = (b: BrokenGuarantee | undefined): b is undefined => !b || LEVEL_ORDER[security] >= LEVEL_ORDER[b.level];
  for (const op of o.ops) {
    const parentPath = op.path.slice(0, -1);
    const key = op.path[op.path.length - 1];
    const before = getAt(object, op.path);
    if (op.action === "delete") {
      if (before === undefined) continue;
      const broken = brokenByDelete(op.path, before);
      if (!allowed(broken)) { refuse(op, broken!); continue; }
      const parent = getAt(object, parentPath);
      if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
      else if (parent && typeof parent === "object" && key !== undefined) delete (parent as Record<string, Json>)[String(key)];
      for (const p of Object.keys(fields)) if (p === pointerOf(op.path) || p.startsWith(pointerOf(op.path) + "/")) delete fields[p];
      fields[pointerOf(parentPath)] = op.range;
      steps.push({ op, document: doc.path, before, after: undefined });
      continue;
    }
    const leafBroken = leaves(op.action === "append" ? [...op.path, "+"] : op.path, op.value ?? null).map(([p, v]) => brokenBy(p, v)).find((b) => !allowed(b));
    if (leafBroken && (op.action === "append" || JSON.stringify(before) !== JSON.stringify(op.value))) { refuse(op, leafBroken); continue; }
    const container = ensureContainer(object, op.action === "append" ? op.path : parentPath, op.action === "append" ? "array" : typeof key === "number" ? "array" : "object");
    if (container === undefined) {
      diagnostics.push(diag("FIN3041", op.range, { message: `${o.kind} '${o.name}' has no element ${pointerOf(op.action === "append" ? op.path : parentPath).slice(1).replace(/\//g, ".")} in environment '${model.environment}'.`, hint: `Address an element the object has (see it in the built output), or add one with \`append\`.` }));
      continue;
    }
    let pointer: string;
    if (op.action === "append") {
      (container as Json[]).push(structuredClone(op.value));
      pointer = pointerOf([...op.path, (container as Json[]).length - 1]);
    } else {
      if (Array.isArray(container)) {
        if (typeof key !== "number" || key >= container.length) {
          diagnostics.push(diag("FIN3041", op.range, { message: `${o.kind} '${o.name}' has ${container.length} element${container.length === 1 ? "" : "s"} in '${parentPath.join(".")}' in environment '${model.environment}': there is no element ${String(key)}.`, hint: `Indexes start at 0; add an element with \`${parentPath.join(".")} append …\`.` }));
          continue;
        }
        container[key] = structuredClone(op.value);
      } else (container as Record<string, Json>)[String(key)] = structuredClone(op.value);
      pointer = pointerOf(op.path);
    }
    fields[pointer] = op.range;
    steps.push({ op, document: doc.path, before, after: getAt(object, op.action === "append" ? op.path : op.path) });
  }
  return { ...doc, object: object as Manifest, fields, overrides: [...(doc.overrides ?? []), o.origin] };
}

function getAt(root: Json, path: Path): Json {
  let v: Json = root;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, Json>)[String(p)];
  }
  return v;
}

/** The object or list at `path`, creating missing objects (and a missing list at the end); undefined when a list index on the way is missing. */
function ensureContainer(root: Record<string, Json>, path: Path, last: "object" | "array"): Record<string, Json> | Json[] | undefined {
  let v: Json = root;
  for (const [i, p] of path.entries()) {
    const here = v as Record<string, Json> & Json[];
    if (typeof p === "number") {
      if (!Array.isArray(here) || p >= here.length) return undefined;
      v = here[p];
      continue;
    }
    let next = here[p];
    if (next === undefined || next === null) {
      const nextKey = path[i + 1];
      next = here[p] = nextKey === undefined ? (last === "array" ? [] : {}) : typeof nextKey === "number" ? [] : {};
    }
    if (typeof next !== "object") return undefined;
    v = next;
  }
  return v as Record<string, Json> | Json[];
}

/** Every leaf of a value with its path (a list of scalars counts as one leaf: `capabilities.add [NET_ADMIN]`). */
function leaves(path: Path, v: OverrideValue): [Path, OverrideValue][] {
  if (Array.isArray(v)) return v.some((x) => x !== null && typeof x === "object") ? v.flatMap((x, i) => leaves([...path, i], x)) : [[path, v]];
  if (v !== null && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => leaves([...path, k], x));
  return [[path, v]];
}
