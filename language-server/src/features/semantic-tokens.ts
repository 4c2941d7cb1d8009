import type { SemanticTokens, SemanticTokensLegend } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import type { Atom, Member, Name } from "../../../compiler/syntax/ast.js";
import { lex } from "../../../compiler/syntax/lexer.js";

export const TOKEN_TYPES = ["keyword", "type", "class", "property", "string", "number", "comment", "variable", "operator", "enumMember"] as const;
export const TOKEN_MODIFIERS = ["declaration", "defaultLibrary"] as const;
export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];
const T = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;
const DECLARATION = 1;
const DEFAULT_LIBRARY = 2;

/** Words that structure a value rather than name something: `2 to 10 at cpu 70%`, `from vault … key …`. */
const CONNECTORS = new Set(["to", "at", "from", "key", "in", "on", "every", "keep", "run", "path", "tls", "credentials"]);

/** Full-document semantic tokens: the lexer's tokens, classified by the syntax tree and resolved references. */
export function semanticTokens(program: Program, path: string): SemanticTokens {
  const file = program.files.get(path);
  if (!file) return { data: [] };
  const text = file.source.text;
  const kinds = new Map<number, [number, number]>();
  const set = (n: { start: number } | undefined, type: TokenType, mods = 0): void => {
    if (n) kinds.set(n.start, [T[type], mods]);
  };

  for (const d of file.ast.declarations) {
    set(d.keyword, "keyword");
    const kind = d.keyword.text;
    set(d.name, kind === "pattern" ? "type" : kind === "environment" ? "enumMember" : "class", DECLARATION);
    if (d.base) {
      const p = program.declarations.lookup("pattern", d.base.text);
      set(d.base, "type", p?.stdlib ? DEFAULT_LIBRARY : 0);
    }
    set(d.target, "keyword");
    const member = (m: Member, override: boolean): void => {
      m.path.forEach((p: Name, i) => set(p, override && i === 0 ? "variable" : "property"));
      for (const t of m.terms) for (const a of t.atoms) atom(a);
      for (const c of m.block?.members ?? []) member(c, false);
    };
    for (const m of d.body.members) member(m, kind === "environment");
  }
  function atom(a: Atom): void {
    switch (a.kind) {
      case "Word":
        a.parts.forEach((p, i) => set(p, i > 0 ? "property" : CONNECTORS.has(p.text) ? "keyword" : "enumMember"));
        break;
      case "List":
        for (const t of a.items) for (const x of t.atoms) atom(x);
        break;
      default:
        break;
    }
  }
  for (const r of program.checked.references) {
    if (r.range.file !== path) continue;
    if (r.target.kind === "pattern") set(r.range, "type", r.target.stdlib ? DEFAULT_LIBRARY : 0);
    else if (r.target.kind === "environment") continue;
    else if (!kinds.has(r.range.start) || kinds.get(r.range.start)![0] !== T.class) set(r.range, "variable");
  }

  const { tokens, comments } = lex(path, text);
  const all = [
    ...tokens.map((t) => ({ start: t.startOffset, length: t.image.length, name: t.tokenType.name })),
    ...comments.map((c) => ({ start: c.startOffset, length: c.image.length, name: "Comment" })),
  ].sort((a, b) => a.start - b.start);

  const data: number[] = [];
  let line = 0;
  let lineStart = 0;
  let prevLine = 0;
  let prevChar = 0;
  let scan = 0;
  for (const t of all) {
    const known = kinds.get(t.start);
    const type = known?.[0] ?? defaultType(t.name);
    if (type === undefined || t.length === 0) continue;
    for (; scan < t.start; scan++) if (text.charCodeAt(scan) === 10) {
      line++;
      lineStart = scan + 1;
    }
    const char = t.start - lineStart;
    data.push(line - prevLine, line === prevLine ? char - prevChar : char, t.length, type, known?.[1] ?? 0);
    prevLine = line;
    prevChar = char;
  }
  return { data };
}

function defaultType(tokenName: string): number | undefined {
  switch (tokenName) {
    case "Comment":
      return T.comment;
    case "String":
    case "Path":
      return T.string;
    case "Quantity":
      return T.number;
    case "Import":
    case "Is":
    case "For":
      return T.keyword;
    case "Equals":
    case "Operator":
    case "Colon":
      return T.operator;
    case "Identifier":
      return T.variable;
    default:
      return undefined;
  }
}
