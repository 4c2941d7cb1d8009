import type { IRecognitionException, IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { Comment, Declaration, FileNode, Import as ImportNode, Member, Block, Term } from "./ast.js";
import { lex, MAX_SYNTAX_ERRORS } from "./lexer.js";
import { limitNesting } from "./nesting.js";
import { at, clip, endOf, parser } from "./parser.js";
import { createSourceFile } from "./source-file.js";

export interface ParseResult {
  readonly ast: FileNode;
  readonly diagnostics: Diagnostic[];
}

/** source text → syntax tree + every syntax error; never throws on bad input. */
export function parse(file: string, text: string): ParseResult {
  const lexed = lex(file, text);
  const nesting = limitNesting(file, lexed.tokens);
  const diagnostics = [...lexed.diagnostics, ...nesting.diagnostics];
  const seenLines = new Set<number>();
  const source = createSourceFile(file, text);
  const lineOf = (offset: number): number => source.positionOf(offset).line;
  const result: { imports: ImportNode[]; declarations: Declaration[] } = { imports: [], declarations: [] };
  // Parsed chunk by chunk so that a file that is not a spec stops costing time once it has
  // shown MAX_SYNTAX_ERRORS errors (chevrotain's recovery costs the same on every bad line).
  const chunks = topLevelChunks(nesting.tokens);
  for (const [index, tokens] of chunks.entries()) {
    if (index > 0 && diagnostics.length > MAX_SYNTAX_ERRORS) {
      diagnostics.push(diag("FIN1003", { file, start: tokens[0]?.startOffset ?? text.length, end: text.length }, {
        message: `finc stopped reading this file here: it has more than ${MAX_SYNTAX_ERRORS} syntax errors.`,
        hint: "Is this a .fin spec? Fix the errors above and check again; the rest of the file was not read.",
      }));
      break;
    }
    parser.input = tokens;
    parser.strays = [];
    const parsed = parser.file();
    if (parsed) {
      result.imports.push(...parsed.imports);
      result.declarations.push(...parsed.declarations);
    }
    const last = index === chunks.length - 1;
    for (const e of parser.errors) {
      const range = errorRange(e, tokens, last ? text.length : tokens[tokens.length - 1]!.startOffset);
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
  }
  const comments: Comment[] = lexed.comments.map((c) => ({
    text: c.image,
    doc: c.tokenType.name === "DocComment",
    start: at(c),
    end: endOf(c),
  }));
  const docs = docBlocks(text, comments);
  const declarations = result.declarations.filter(real).map((d) => withDocs(sanitize(d), docs));
  const ast: FileNode = {
    kind: "File",
    path: file,
    imports: result.imports.filter((i) => real(i) && real(i.pathSpan)),
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

/** Tokens per chunk: a chunk ends at the first line break outside every `{}` after this many tokens. */
const CHUNK_TOKENS = 5000;

/**
 * Splits the tokens at top-level line breaks (outside braces). In a valid spec every top-level
 * line break lies between declarations, so parsing the chunks one after another gives the same
 * tree as parsing the whole file; the break token stays at the end of its chunk. Token soup whose
 * braces stay balanced is still parsed whole (linear, about a second per MB).
 */
function topLevelChunks(tokens: IToken[]): IToken[][] {
  if (tokens.length <= CHUNK_TOKENS) return [tokens];
  const chunks: IToken[][] = [];
  let from = 0;
  let depth = 0;
  // A `}` with no block open means the file is broken: from then on any line break may end a chunk.
  let broken = false;
  for (let i = 0; i < tokens.length; i++) {
    const name = tokens[i]!.tokenType.name;
    if (name === "LBrace") depth++;
    else if (name === "RBrace") {
      if (depth === 0) broken = true;
      depth = Math.max(0, depth - 1);
    } else if (name === "Newline" && (depth === 0 || broken) && i + 1 - from >= CHUNK_TOKENS) {
      chunks.push(tokens.slice(from, i + 1));
      from = i + 1;
    }
  }
  if (from < tokens.length) chunks.push(tokens.slice(from));
  return chunks;
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

/** Chevrotain's recovery can insert virtual tokens: drop nodes built from them (NO_POSITION, parser.ts). */
function real(n: { start: number; end: number }): boolean {
  return n.start >= 0 && n.start <= n.end;
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
