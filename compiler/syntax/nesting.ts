import type { IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";

/**
 * How deep `{` and `[` may nest, counted together. Real specs stay under 8 (declaration, field
 * block, a list of lists); the parser, the checker and every tree walk recurse once per level,
 * so an unbounded depth (10,000 `[`) would overflow the stack.
 */
export const MAX_NESTING = 32;

const OPEN: Record<string, string> = { LBrace: "RBrace", LBracket: "RBracket" };

/**
 * Drops every bracketed group that opens deeper than MAX_NESTING, with one FIN1004 at the bracket
 * that crossed the limit, so that the parser never sees more than MAX_NESTING levels.
 * The group ends at its matching closer; a `}` also ends a skipped list (lists never contain blocks),
 * so one runaway line does not swallow the declarations after it.
 */
export function limitNesting(file: string, tokens: IToken[]): { tokens: IToken[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const open: string[] = []; // closers expected, innermost last
  let out: IToken[] | undefined; // allocated only once something is dropped
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const name = t.tokenType.name;
    const closer = OPEN[name];
    if (closer && open.length >= MAX_NESTING) {
      diagnostics.push(diag("FIN1004", { file, start: t.startOffset, end: t.startOffset + t.image.length }, { max: MAX_NESTING }));
      out ??= tokens.slice(0, i);
      i = skipGroup(tokens, i) - 1;
      continue;
    }
    if (closer) open.push(closer);
    else if (name === "RBrace" || name === "RBracket") {
      // A `}` closes any lists left open before it (the parser reports those), then its block.
      const at = open.lastIndexOf(name);
      if (at >= 0) open.length = at;
    }
    out?.push(t);
  }
  return { tokens: out ?? tokens, diagnostics };
}

/** Index just after the group opened at `from` (or where a `}` ends a run of lists). */
function skipGroup(tokens: IToken[], from: number): number {
  const open: string[] = [];
  for (let i = from; i < tokens.length; i++) {
    const name = tokens[i]!.tokenType.name;
    const closer = OPEN[name];
    if (closer) open.push(closer);
    else if (name === "RBrace") {
      if (!open.includes("RBrace")) return i; // ends the skipped lists; the `}` belongs to the block outside
      open.length = open.lastIndexOf("RBrace");
    } else if (name === "RBracket" && open[open.length - 1] === "RBracket") open.pop();
    if (open.length === 0) return i + 1;
  }
  return tokens.length;
}
