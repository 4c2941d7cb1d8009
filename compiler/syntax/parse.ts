import type { IRecognitionException, IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { Comment, Declaration, FileNode, Member, Block, Term } from "./ast.js";
import { lex, MAX_SYNTAX_ERRORS } from "./lexer.js";
import { limitNesting } from "./nesting.js";
import { clip, parser } from "./parser.js";
import { createSourceFile } from "./source-file.js";

export interface ParseResult {
  readonly ast: FileNode;
  readonly diagnostics: Diagnostic[];
}

/** source text → syntax tree + every syntax error; never throws on bad input. */
export function parse(file: string, text: string): ParseResult {
  const lexed = lex(file, text);
  const nesting = limitNesting(file, lexed.tokens);
  parser.input = nesting.tokens;
  parser.strays = [];
  const result = parser.file();
  const diagnostics = [...lexed.diagnostics, ...nesting.diagnostics];
  const seenLines = new Set<number>();
  const source = createSourceFile(file, text);
  const lineOf = (offset: number): number => source.positionOf(offset).line;
  for (const e of parser.errors) {
    const range = errorRange(e, nesting.tokens, text.length);
    // One error per line: after recovery chevrotain can report follow-on errors at the same spot.
    const line = lineOf(range.start);
    if (seenLines.has(line)) continue;
    seenLines.add(line);
    const expected = e.message.startsWith("Expected") ? e.message.replace(/ but found.*$/, "") + " here." : "";
    diagnostics.push(diag("FIN1003", { file, ...range }, { message: e.message, hint: expected }));
  }
  for (const t of parser.strays) {
    const line = lineOf(t.startOffset);
    if (seenLines.has(line)) continue;
    seenLines.add(line);
    diagnostics.push(
      diag("FIN1003", { file, start: t.startOffset, end: t.startOffset + t.image.length }, {
        message: `Unexpected '${clip(t.image)}'.`,
        hint: "A line starts with a field name, or a declaration such as `service <name> {`.",
      }),
    );
  }
  const comments: Comment[] = lexed.comments.map((c) => ({
    text: c.image,
    doc: c.tokenType.name === "DocComment",
    start: c.startOffset,
    end: c.startOffset + c.image.length,
  }));
  const docs = docBlocks(text, comments);
  const declarations = (result?.declarations ?? []).filter(real).map((d) => withDocs(sanitize(d), docs));
  const ast: FileNode = {
    kind: "File",
    path: file,
    imports: (result?.imports ?? []).filter((i) => real(i) && real(i.pathSpan)),
    declarations,
    comments,
    start: 0,
    end: text.length,
  };
  return { ast, diagnostics: bounded(file, text, diagnostics) };
}

/**
 * At most MAX_SYNTAX_ERRORS syntax errors per file, in source order; past them one diagnostic
 * says how many more there are (the rest would be noise from a file that is not a spec).
 */
function bounded(file: string, text: string, diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_SYNTAX_ERRORS + 1) return diagnostics;
  const kept = [...diagnostics].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end).slice(0, MAX_SYNTAX_ERRORS);
  const at = Math.max(...kept.map((d) => d.range.end));
  const more = diagnostics.length - kept.length;
  return [...kept, diag("FIN1003", { file, start: at, end: text.length }, {
    message: `${more} more syntax errors follow: finc reports the first ${MAX_SYNTAX_ERRORS} of a file.`,
    hint: "Is this a .fin spec? Fix the errors above and check again.",
  })];
}

/** Recovered or EOF tokens carry NaN offsets: anchor those at the end of the previous real token. */
function errorRange(e: IRecognitionException, tokens: IToken[], length: number): { start: number; end: number } {
  const t = e.token;
  if (!isNaN(t.startOffset) && t.tokenType.name !== "EOF") {
    const end = t.tokenType.name === "Newline" ? t.startOffset : t.startOffset + t.image.length;
    return { start: t.startOffset, end: Math.max(end, t.startOffset) };
  }
  // MismatchedTokenException and friends carry the last real token as `previousToken`.
  const p = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
  const prev = p && !isNaN(p.startOffset) ? p : tokens[tokens.length - 1];
  const at = prev ? prev.startOffset + prev.image.length : length;
  return { start: at, end: at };
}

/** Maps the offset of the first code after a run of `///` lines to the run's text. */
function docBlocks(text: string, comments: Comment[]): Map<number, string> {
  const map = new Map<number, string>();
  let lines: string[] = [];
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i]!;
    if (!c.doc) {
      lines = [];
      continue;
    }
    lines.push(c.text.replace(/^\/\/\/ ?/, ""));
    let j = c.end;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    const next = comments[i + 1];
    if (next && next.start === j) continue; // the run goes on
    map.set(j, lines.join("\n"));
    lines = [];
  }
  return map;
}

function withDocs(d: Declaration, docs: Map<number, string>): Declaration {
  if (docs.size === 0) return d;
  const doc = docs.get(d.start);
  return { ...d, ...(doc !== undefined ? { doc } : {}), body: blockDocs(d.body, docs) };
}

function blockDocs(b: Block, docs: Map<number, string>): Block {
  return {
    ...b,
    members: b.members.map((m): Member => {
      const doc = docs.get(m.start);
      return { ...m, ...(doc !== undefined ? { doc } : {}), ...(m.block ? { block: blockDocs(m.block, docs) } : {}) };
    }),
  };
}

/** Chevrotain's recovery can insert virtual tokens (NaN offsets): drop nodes built from them. */
function real(n: { start: number; end: number }): boolean {
  return Number.isFinite(n.start) && Number.isFinite(n.end) && n.start <= n.end;
}

function realTerm(t: Term): boolean {
  return real(t) && t.atoms.every((a) => real(a) && (a.kind !== "List" || a.items.every(realTerm)) && (a.kind !== "Word" || a.parts.every(real)));
}

function sanitize(d: Declaration): Declaration {
  const block = (b: Block): Block => ({
    ...b,
    members: b.members
      .filter((m) => real(m) && m.path.length > 0 && m.path.every(real))
      .map((m) => ({
        ...m,
        terms: m.terms.filter(realTerm),
        ...(m.block ? { block: block(m.block) } : {}),
      })),
  });
  const { base, ...rest } = d;
  return { ...rest, ...(base && real(base) ? { base } : {}), body: real(d.body) ? block(d.body) : { members: [], start: d.start, end: d.end } };
}
