import type { IRecognitionException, IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { Comment, Declaration, FileNode, Member, Block, Term } from "./ast.js";
import { lex } from "./lexer.js";
import { parser } from "./parser.js";

export interface ParseResult {
  readonly ast: FileNode;
  readonly diagnostics: Diagnostic[];
}

/** source text → syntax tree + every syntax error; never throws on bad input. */
export function parse(file: string, text: string): ParseResult {
  const lexed = lex(file, text);
  parser.input = lexed.tokens;
  parser.strays = [];
  const result = parser.file();
  const diagnostics = [...lexed.diagnostics];
  const seenLines = new Set<number>();
  for (const e of parser.errors) {
    const range = errorRange(e, lexed.tokens, text.length);
    // One error per line: after recovery chevrotain can report follow-on errors at the same spot.
    const line = lineOf(text, range.start);
    if (seenLines.has(line)) continue;
    seenLines.add(line);
    const expected = e.message.startsWith("Expected") ? e.message.replace(/ but found.*$/, "") + " here." : "";
    diagnostics.push(diag("FIN1003", { file, ...range }, { message: e.message, hint: expected }));
  }
  for (const t of parser.strays) {
    const line = lineOf(text, t.startOffset);
    if (seenLines.has(line)) continue;
    seenLines.add(line);
    diagnostics.push(
      diag("FIN1003", { file, start: t.startOffset, end: t.startOffset + t.image.length }, {
        message: `Unexpected '${t.image}'.`,
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
  return { ast, diagnostics };
}

function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
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
