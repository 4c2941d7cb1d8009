import { Lexer, type IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { allTokens, UnterminatedString } from "./tokens.js";
import { diag } from "../diagnostics/messages.js";

/** One lexer per process: chevrotain lexers are expensive to build and safe to reuse. */
const lexer = new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: true });

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

export function lex(file: string, text: string): LexResult {
  const result = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  for (const e of result.errors) {
    const ch = text.slice(e.offset, e.offset + e.length);
    diagnostics.push(
      diag("FIN1001", { file, start: e.offset, end: e.offset + e.length }, { char: JSON.stringify(ch) }),
    );
  }
  const tokens: IToken[] = [];
  for (const t of result.tokens) {
    if (t.tokenType === UnterminatedString) {
      diagnostics.push(diag("FIN1002", { file, start: t.startOffset, end: t.endOffset! + 1 }, {}));
      continue;
    }
    tokens.push(t);
  }
  return { tokens, comments: (result.groups["comments"] as IToken[] | undefined) ?? [], diagnostics };
}
