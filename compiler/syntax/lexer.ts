import { Lexer, type IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { allTokens, UnterminatedString } from "./tokens.js";
import { diag } from "../diagnostics/messages.js";
import { invalidCharacterCut } from "./invalid-characters.js";

/** Syntax errors reported per file; past them finc stops reading the file (it is not a spec) and says so. */
export const MAX_SYNTAX_ERRORS = 1000;

/** One lexer per process: chevrotain lexers are expensive to build and safe to reuse. */
const lexer = new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: true });

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

export function lex(file: string, text: string): LexResult {
  const cut = invalidCharacterCut(text, MAX_SYNTAX_ERRORS);
  const result = lexer.tokenize(cut < text.length ? text.slice(0, cut) : text);
  const diagnostics: Diagnostic[] = [];
  for (const e of result.errors) {
    // A run of invalid characters is one error; a long run is shown by its start only.
    const run = Array.from(text.slice(e.offset, e.offset + Math.min(e.length, 64))).slice(0, 16).join("");
    const char = JSON.stringify(run) + (run.length < e.length ? ` (and ${e.length - run.length} more characters)` : "");
    diagnostics.push(diag("FIN1001", { file, start: e.offset, end: e.offset + e.length }, { char }));
  }
  const tokens: IToken[] = [];
  for (const t of result.tokens) {
    if (t.tokenType === UnterminatedString) {
      diagnostics.push(diag("FIN1002", { file, start: t.startOffset, end: t.endOffset! + 1 }, {}));
      continue;
    }
    tokens.push(t);
  }
  if (cut < text.length) {
    diagnostics.push(diag("FIN1003", { file, start: cut, end: text.length }, {
      message: `finc stopped reading this file here: it has more than ${MAX_SYNTAX_ERRORS} invalid characters.`,
      hint: "Is this a .fin spec? Fix the errors above and check again; the rest of the file was not read.",
    }));
  }
  return { tokens, comments: (result.groups["comments"] as IToken[] | undefined) ?? [], diagnostics };
}

