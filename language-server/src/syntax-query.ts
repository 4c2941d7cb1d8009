import type { Program, LoadedFile } from "../../compiler/program.js";
import type { DeclInfo } from "../../compiler/semantic/declarations.js";
import { KIND_SPECS, PATTERN_FIELDS, type FieldSpec } from "../../compiler/semantic/schema/index.js";
import type { Reference } from "../../compiler/semantic/check.js";
import { findTarget } from "../../compiler/semantic/effective-fields.js";
import type { Atom, Declaration, Import, Member, Name, Span } from "../../compiler/syntax/ast.js";

const within = (s: Span, offset: number): boolean => offset >= s.start && offset <= s.end;

/** The innermost syntax around an offset. */
export interface NodeAt {
  readonly file: LoadedFile;
  readonly declaration?: Declaration;
  readonly info?: DeclInfo;
  /** Members containing the offset, outermost first. */
  readonly members: readonly Member[];
  readonly import?: Import;
  /** What exactly the offset is on. */
  readonly on?:
    | { readonly kind: "keyword" | "name" | "base" | "target"; readonly name: Name }
    | { readonly kind: "path"; readonly member: Member; readonly index: number; readonly name: Name }
    | { readonly kind: "atom"; readonly member: Member; readonly atom: Atom };
}

export function declInfoOf(program: Program, node: Declaration): DeclInfo | undefined {
  return program.declarations.all.find((d) => d.node === node);
}

export function nodeAt(program: Program, path: string, offset: number): NodeAt | undefined {
  const file = program.files.get(path);
  if (!file) return undefined;
  const imp = file.ast.imports.find((i) => within(i, offset));
  if (imp) return { file, members: [], import: imp };
  const declaration = file.ast.declarations.find((d) => within(d, offset));
  if (!declaration) return { file, members: [] };
  const info = declInfoOf(program, declaration);
  const base = { file, declaration, ...(info ? { info } : {}) };
  for (const [kind, name] of [["keyword", declaration.keyword], ["name", declaration.name], ["base", declaration.base], ["target", declaration.target]] as const) {
    if (name && within(name, offset)) return { ...base, members: [], on: { kind, name } };
  }
  const members: Member[] = [];
  let list = declaration.body.members;
  for (;;) {
    const m = list.find((x) => within(x, offset));
    if (!m) break;
    members.push(m);
    const index = m.path.findIndex((p) => within(p, offset));
    if (index >= 0) return { ...base, members, on: { kind: "path", member: m, index, name: m.path[index]! } };
    const atom = findAtom(m, offset);
    if (atom) return { ...base, members, on: { kind: "atom", member: m, atom } };
    if (!m.block) break;
    list = m.block.members;
  }
  return { ...base, members };
}

function findAtom(m: Member, offset: number): Atom | undefined {
  const search = (atoms: readonly Atom[]): Atom | undefined => {
    for (const a of atoms) {
      if (!within(a, offset)) continue;
      if (a.kind === "List") return a.items.flatMap((t) => t.atoms).find((x) => within(x, offset)) ?? a;
      return a;
    }
    return undefined;
  };
  for (const t of m.terms) {
    if (!within(t, offset)) continue;
    const a = search(t.atoms);
    if (a) return a;
  }
  return undefined;
}

/** The declaration kind whose fields a member chain names, and the field it names. */
export interface FieldRef {
  /** Kind whose schema applies (the target kind for patterns and environment overrides). */
  readonly kind: string;
  readonly field: string;
  readonly spec?: FieldSpec | { doc: string; syntax: string };
  /** The declaration the value belongs to (the override target inside environments). */
  readonly owner?: DeclInfo;
  /** The names spelling the field. */
  readonly names: readonly Name[];
  readonly member: Member;
  /** Set inside `environment <name>` blocks. */
  readonly environment?: string;
}

/** Resolves the field named by the outermost members of a declaration (undefined for nested `config { … }` keys). */
export function fieldOf(program: Program, at: NodeAt): FieldRef | undefined {
  const d = at.declaration;
  const [first, second] = at.members;
  if (!d || !first) return undefined;
  const kind = d.keyword.text;
  if (kind === "environment") {
    const target = findTarget(program.declarations, first.path[0]!.text);
    if (!target) return undefined;
    let names: readonly Name[];
    let member: Member;
    if (first.path.length > 1) {
      names = first.path.slice(1);
      member = first;
    } else if (second) {
      names = second.path;
      member = second;
    } else return undefined;
    const field = names.map((n) => n.text).join(".");
    const spec = KIND_SPECS[target.kind]?.fields[field];
    return { kind: target.kind, field, names, member, owner: target, ...(spec ? { spec } : {}), ...(d.name ? { environment: d.name.text } : {}) };
  }
  if (at.members.length > 1) return undefined;
  const field = first.path.map((n) => n.text).join(".");
  if (kind === "pattern") {
    const target = d.target?.text ?? "";
    const spec = KIND_SPECS[target]?.fields[field] ?? PATTERN_FIELDS[field];
    return { kind: target, field, names: first.path, member: first, ...(spec ? { spec } : {}) };
  }
  const spec = KIND_SPECS[kind]?.fields[field];
  return { kind, field, names: first.path, member: first, ...(at.info ? { owner: at.info } : {}), ...(spec ? { spec } : {}) };
}

/** The reference whose range contains the offset, in one file. */
export function referenceAt(program: Program, path: string, offset: number): Reference | undefined {
  let best: Reference | undefined;
  for (const r of program.checked.references) {
    if (r.range.file !== path || offset < r.range.start || offset > r.range.end) continue;
    if (!best || r.range.end - r.range.start < best.range.end - best.range.start) best = r;
  }
  return best;
}

/** A stable identity for a reference target (where its name is written). */
export function targetKey(t: DeclInfo): string {
  return `${t.file}:${t.nameRange.start}`;
}

/** What the symbol under the cursor is: a reference, or a declaration's own name. */
export function symbolAt(program: Program, path: string, offset: number): { target: DeclInfo; range: { file: string; start: number; end: number } } | undefined {
  const ref = referenceAt(program, path, offset);
  if (ref) return { target: ref.target, range: ref.range };
  const decl = program.declarations.all.find((d) => d.file === path && offset >= d.nameRange.start && offset <= d.nameRange.end);
  if (decl) return { target: decl, range: decl.nameRange };
  // An entry of the platform's `environments` list: the target of every `environment <name>`.
  for (const env of program.checked.environmentTargets.values()) {
    if (env.file === path && offset >= env.nameRange.start && offset <= env.nameRange.end) return { target: env, range: env.nameRange };
  }
  return undefined;
}
