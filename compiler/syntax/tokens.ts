import { createToken, Lexer, type TokenType } from "chevrotain";
import { customPattern, scanIdentifier, scanPath, stringEnd } from "./scanners.js";

/**
 * The .fin lexicon. Declaration kinds and field names are ordinary words (checked
 * against the schema by the checker, which gives better messages than the parser);
 * only `import`, `is` and `for` are reserved.
 */
export const Word = createToken({ name: "Word", pattern: Lexer.NA, label: "a name" });
/** Tokens that cannot start a declaration or field: the parser skips them with one error each. */
export const Stray = createToken({ name: "Stray", pattern: Lexer.NA, label: "a stray token" });

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\uFEFF]+/, group: Lexer.SKIPPED });
/** `\n`, `\r\n` and a lone `\r` (old Mac files) each end a line, as in the LSP and in editors. */
export const Newline = createToken({ name: "Newline", pattern: /\r\n?|\n/, line_breaks: true, label: "end of line" });
export const DocComment = createToken({ name: "DocComment", pattern: /\/\/\/[^\r\n]*/, group: "comments" });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\r\n]*/, group: "comments" });
// Strings, names and paths use scanners (./scanners.ts): their regular expressions overflow V8's stack on long input.
export const StringLit = createToken({ name: "String", pattern: customPattern(stringEnd(true)), start_chars_hint: ['"'], line_breaks: false, label: "a string", categories: [Stray] });
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: customPattern(stringEnd(false)), start_chars_hint: ['"'], line_breaks: false });
/** A number with an optional unit: 3, 1.5, 500m, 2Gi, 30s, 70%, 100/s. */
export const Quantity = createToken({ name: "Quantity", pattern: /[0-9]+(?:\.[0-9]+)?(?:[a-zA-Z]+|%|\/[a-z]+)?/, label: "a number", categories: [Stray] });
export const Identifier = createToken({
  name: "Identifier",
  pattern: customPattern(scanIdentifier),
  start_chars_hint: [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"],
  line_breaks: false,
  categories: [Word],
  label: "a name",
});
/**
 * A percentile with a decimal part, `p99.9`: one word. Only `p<digits>.<digits>` — a reference's
 * part after a dot starts with a letter (`ledger.url`), so no dotted reference reads like this.
 */
export const Percentile = createToken({ name: "Percentile", pattern: /p[0-9]+\.[0-9]+/, categories: [Word], label: "a percentile" });
const keyword = (name: string, text: string): TokenType =>
  createToken({ name, pattern: new RegExp(text), longer_alt: Identifier, categories: [Word] });
export const Import = keyword("Import", "import");
export const Is = keyword("Is", "is");
export const For = keyword("For", "for");
/** An HTTP path such as /v1/payments; a lone slash is the root path. */
export const PathLit = createToken({ name: "Path", pattern: customPattern(scanPath), start_chars_hint: ["/"], line_breaks: false, label: "a path", categories: [Stray] });
export const LBrace = createToken({ name: "LBrace", pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/, label: "'}'" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['", categories: [Stray] });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "']'", categories: [Stray] });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','", categories: [Stray] });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "'.'", categories: [Stray] });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "'='", categories: [Stray] });
/** A comparison, or `->` (a Service port to its container port: `port http 80 -> 8080`). */
export const Operator = createToken({ name: "Operator", pattern: /->|<=|>=|<|>|!=/, label: "a comparison", categories: [Stray] });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "':'", categories: [Stray] });

export const KEYWORDS = ["import", "is", "for"] as const;

export const allTokens: TokenType[] = [
  WhiteSpace,
  Newline,
  DocComment,
  LineComment,
  StringLit,
  UnterminatedString,
  Quantity,
  Import,
  Is,
  For,
  Percentile,
  Identifier,
  Word,
  Stray,
  PathLit,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  Dot,
  Equals,
  Operator,
  Colon,
];
