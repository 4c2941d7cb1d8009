import type { LoadedFile } from "../../compiler/program.js";
import type { Atom, Block, Comment, Declaration, FileNode, Member, Span, Term } from "../../compiler/syntax/ast.js";
import { carryReadOver } from "../../compiler/semantic/read-fields.js";
import { parse } from "../../compiler/syntax/parse.js";
import { createSourceFile } from "../../compiler/syntax/source-file.js";

/**
 * Re-parses only the top-level declarations an edit touched and reuses the others,
 * shifting their offsets. It gives up (undefined) unless the result is certain to be
 * what a full parse gives: the old file and the re-parsed region must be free of
 * syntax errors, the region must not contain imports, and it must start and end at
 * declaration boundaries (`}`), where tokens cannot merge across the cut.
 *
 * Each "segment" is the text after one declaration's `}` up to and including the
 * next one's `}`: the comments and doc comments before a declaration belong to it.
 */
export function reparse(old: LoadedFile, text: string): LoadedFile | undefined {
  const oldText = old.source.text;
  if (old.parseDiagnostics.length || oldText === text) return undefined;
  const decls = old.ast.declarations;
  if (decls.length < 2) return undefined;

  let prefix = 0;
  const max = Math.min(oldText.length, text.length);
  while (prefix < max && oldText.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && oldText.charCodeAt(oldText.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const delta = text.length - oldText.length;
  // The changed region of the old text, widened by one character so edits touching a `}` re-parse both sides.
  const from = prefix - 1;
  const to = oldText.length - suffix + 1;

  // Imports must all come before the declarations: the region never contains one.
  const imports = old.ast.imports.reduce((m, imp) => Math.max(m, imp.end), 0);
  if (imports > decls[0]!.start) return undefined;
  // Segments i..j: declarations whose segment [end of i-1, end of i] meets the region.
  let i = 0;
  while (i < decls.length && decls[i]!.end < from) i++;
  let j = i;
  while (j + 1 < decls.length && segmentStart(decls, j + 1, imports) < to) j++;
  if (i >= decls.length) return undefined; // an edit after the last declaration: parse it all
  const start = segmentStart(decls, i, imports);
  const oldEnd = decls[j]!.end;
  if (from < start || to > oldEnd + 1) return undefined;
  const newEnd = oldEnd + delta;
  if (newEnd <= start || text.charCodeAt(newEnd - 1) !== 125 /* } */) return undefined;

  // Parse the new segment text alone, then move it to its place. Token texts are slices of the
  // string parsed, which they keep alive: a string padded to absolute offsets (or a slice of the
  // whole text) would keep up to a whole file per edited declaration, for as long as it lives.
  const chunk = ownCopy(text.slice(start, newEnd));
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(old.source.path, chunk);
  } catch {
    return undefined; // the full parse will report (or throw) the same way
  }
  if (parsed.diagnostics.length || parsed.ast.imports.length) return undefined;
  const fresh = parsed.ast.declarations.map((d) => shiftDeclaration(d, start));
  if (!fresh.length || fresh[fresh.length - 1]!.end !== newEnd) return undefined;

  const after = decls.slice(j + 1).map((d) => shiftDeclaration(d, delta));
  const comments: Comment[] = [
    ...old.ast.comments.filter((c) => c.end <= start),
    ...parsed.ast.comments.map((c) => shift(c, start)),
    ...old.ast.comments.filter((c) => c.start >= oldEnd).map((c) => shift(c, delta)),
  ];
  const ast: FileNode = { ...old.ast, declarations: [...decls.slice(0, i), ...fresh, ...after], comments, end: text.length };
  // The checker maps its cached results through the edit (compiler/semantic/incremental/).
  const edit = { from: oldText, start, oldEnd, delta };
  return { ...old, source: createSourceFile(old.source.path, text), ast, parseDiagnostics: [], edit };
}

/** A flat copy of `s` that shares no storage with the string it was sliced from (V8 flattens a concatenation on slicing). */
function ownCopy(s: string): string {
  return (" " + s).slice(1);
}

/** Where segment i starts: after the previous declaration's `}` (the first one: after the last import). */
function segmentStart(decls: readonly Declaration[], i: number, imports: number): number {
  return i === 0 ? imports : decls[i - 1]!.end;
}

/**
 * A copy with every offset moved by `delta`, node type by node type (a generic walk costs
 * as much as the parse it saves). Spreading first keeps the key order of the original.
 * The equivalence test (test/language-server/incremental-parse.test.ts) catches a node
 * type or span field added to the syntax tree and not handled here.
 */
function shift<T extends Span>(node: T, delta: number): T {
  return delta === 0 ? node : ({ ...node, start: node.start + delta, end: node.end + delta } as T);
}

/**
 * Bodies of moved declarations that nothing has read yet: the original body and how far it moved
 * in total. A moved declaration's body is shifted when first read (hover, tokens, a re-check of
 * it); most are never read before the next keystroke moves them again. Shifting an unread body
 * adds to its total, so a declaration never refers to the copy it was made from (no chains).
 */
const unread = new WeakMap<Declaration, { readonly body: Block; readonly delta: number }>();

function shiftDeclaration(d: Declaration, delta: number): Declaration {
  if (delta === 0) return d;
  const pending = unread.get(d);
  const source = pending ?? { body: d.body, delta: 0 };
  const total = { body: source.body, delta: source.delta + delta };
  // Copied key by key, in order (a spread would read, and so shift, the body).
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(d)) {
    if (k === "body") {
      Object.defineProperty(out, "body", {
        configurable: true,
        enumerable: true,
        get() {
          const body = shiftBlock(total.body, total.delta);
          Object.defineProperty(out, "body", { value: body, enumerable: true, writable: false, configurable: false });
          unread.delete(out as unknown as Declaration);
          return body;
        },
      });
      continue;
    }
    out[k] = (d as unknown as Record<string, unknown>)[k];
  }
  const moved = out as unknown as Declaration & { start: number; end: number };
  Object.assign(out, {
    start: d.start + delta,
    end: d.end + delta,
    keyword: shift(d.keyword, delta),
    ...(d.name ? { name: shift(d.name, delta) } : {}),
    ...(d.base ? { base: shift(d.base, delta) } : {}),
    ...(d.target ? { target: shift(d.target, delta) } : {}),
  });
  unread.set(moved, total);
  return moved;
}

function shiftBlock(b: Block, delta: number): Block {
  return { ...shift(b, delta), members: b.members.map((m) => shiftMember(m, delta)) };
}

function shiftMember(m: Member, delta: number): Member {
  const moved: Member = {
    ...shift(m, delta),
    path: m.path.map((n) => shift(n, delta)),
    terms: m.terms.map((t) => shiftTerm(t, delta)),
    ...(m.block ? { block: shiftBlock(m.block, delta) } : {}),
  };
  carryReadOver(m, moved, delta); // the checker reuses the field read, shifted, instead of reading again
  return moved;
}

function shiftTerm(t: Term, delta: number): Term {
  return { ...shift(t, delta), atoms: t.atoms.map((a) => shiftAtom(a, delta)) };
}

function shiftAtom(a: Atom, delta: number): Atom {
  switch (a.kind) {
    case "Word":
      return { ...shift(a, delta), parts: a.parts.map((n) => shift(n, delta)) };
    case "List":
      return { ...shift(a, delta), items: a.items.map((t) => shiftTerm(t, delta)) };
    default:
      return shift(a, delta);
  }
}
