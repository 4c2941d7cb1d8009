import { tokenMatcher, type IToken, type TokenType } from "chevrotain";
import { lex } from "../syntax/lexer.js";
import { parse } from "../syntax/parse.js";
import { Comma, Dot, Import, LBrace, LBracket, Newline, PathLit, Quantity, RBrace, RBracket, StringLit, Word } from "../syntax/tokens.js";

/**
 * The canonical .fin layout, shared by `finc fmt` and the language server.
 *
 * It works on the lexer's tokens and comments, never on the tree, so every comment survives
 * and nothing the parser gives meaning to moves: tokens keep their order and text, comments
 * stay on their line after the same tokens, and line breaks are only added where the grammar
 * already allows one (after `{`, around `}`, after an import). The rules:
 *
 * - 2 spaces of indentation per open brace; a line continued after a trailing `,` or inside
 *   `[ … ]` is indented one more level per continuation/bracket;
 * - `{` ends the line that opens the block, after one space; a non-empty block is always
 *   written over several lines with `}` alone on its own line (trailing comment allowed);
 *   an empty block (only white space inside) is `{}`;
 * - single spaces between tokens, except none before `,` `]` and after `[`, and none around `.`;
 * - in a run of consecutive field lines of one block the values are aligned: names are padded
 *   to the longest name of the run plus one space. Blank lines, comment lines, lines that open
 *   or close a block and continuation lines end a run;
 * - a trailing comment follows the code after two spaces; comment lines keep their own line;
 * - runs of blank lines become one blank line; blank lines right after `{` or before `}`, and at
 *   the start and end of the file are removed; top-level declarations (and the imports before
 *   them) are separated by exactly one blank line;
 * - no trailing white space, LF line endings, exactly one final newline ("" stays "").
 */
export interface FormatResult {
  readonly text: string;
  readonly changed: boolean;
}

const INDENT = "  ";
const COMMENT_GAP = "  ";

export interface FormatOptions {
  /** One level of indentation: two spaces by default (`finc fmt`); an editor passes its own tab setting. */
  readonly indent?: string;
}

/** One indentation level from an editor's settings (LSP `FormattingOptions`): a tab, or `tabSize` spaces (1–16). */
export function indentFor(insertSpaces: boolean, tabSize: number): string {
  return insertSpaces ? " ".repeat(Math.min(16, Math.max(1, Math.floor(tabSize) || 2))) : "\t";
}

/** Formats a .fin file; undefined when it has syntax errors (broken code is never reformatted). */
export function formatSource(text: string, options: FormatOptions = {}): FormatResult | undefined {
  const file = "<fmt>";
  const parsed = parse(file, text);
  if (parsed.diagnostics.some((d) => d.code.startsWith("FIN1"))) return undefined;
  const lexed = lex(file, text);
  if (lexed.diagnostics.length > 0) return undefined;
  const lines = splitAtBraces(physicalLines(collapseEmptyBlocks(merge(lexed.tokens, lexed.comments))));
  const out = render(layout(lines), options.indent ?? INDENT);
  return { text: out, changed: out !== text };
}

// ---------------------------------------------------------------------------------------------
// Tokens → lines

type Item = { readonly token: IToken } | { readonly comment: string } | { readonly newline: true };

const is = (t: IToken | undefined, type: TokenType): boolean => t !== undefined && tokenMatcher(t, type);

function merge(tokens: readonly IToken[], comments: readonly IToken[]): Item[] {
  const items: Item[] = [];
  let c = 0;
  for (const t of tokens) {
    while (c < comments.length && comments[c]!.startOffset < t.startOffset) items.push({ comment: comments[c++]!.image });
    items.push(is(t, Newline) ? { newline: true } : { token: t });
  }
  while (c < comments.length) items.push({ comment: comments[c++]!.image });
  return items;
}

/** `{` followed by only line breaks and then `}` becomes the adjacent pair `{}`. */
function collapseEmptyBlocks(items: Item[]): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    out.push(item);
    if (!("token" in item) || !is(item.token, LBrace)) continue;
    let j = i + 1;
    while (j < items.length && "newline" in items[j]!) j++;
    const next = items[j];
    if (next && "token" in next && is(next.token, RBrace)) i = j - 1;
  }
  return out;
}

interface Line {
  readonly tokens: IToken[];
  /** A `//` or `///` comment ending the line, trailing white space removed. */
  readonly comment?: string;
  /** The source had at least one blank line before this line. */
  readonly blankBefore: boolean;
}

function physicalLines(items: readonly Item[]): Line[] {
  const lines: Line[] = [];
  let tokens: IToken[] = [];
  let comment: string | undefined;
  let blank = false;
  const end = (): void => {
    if (tokens.length === 0 && comment === undefined) {
      blank = lines.length > 0;
      return;
    }
    lines.push({ tokens, ...(comment !== undefined ? { comment } : {}), blankBefore: blank });
    tokens = [];
    comment = undefined;
    blank = false;
  };
  for (const item of items) {
    if ("newline" in item) end();
    else if ("comment" in item) comment = item.comment.replace(/\s+$/, "");
    else tokens.push(item.token);
  }
  end();
  return lines;
}

/** Breaks after a `{` that opens a non-empty block, around `}`, and after `import "path"`. */
function splitAtBraces(lines: readonly Line[]): Line[] {
  const out: Line[] = [];
  let depth = 0;
  for (const line of lines) {
    const segments: IToken[][] = [];
    let cur: IToken[] = [];
    const flush = (): void => {
      if (cur.length > 0) segments.push(cur);
      cur = [];
    };
    const ts = line.tokens;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]!;
      if (is(t, LBrace)) {
        cur.push(t);
        if (is(ts[i + 1], RBrace)) {
          cur.push(ts[++i]!);
          flush();
        } else {
          depth++;
          if (i + 1 < ts.length) flush();
        }
      } else if (is(t, RBrace)) {
        depth--;
        flush();
        cur.push(t);
        flush();
      } else if (depth === 0 && is(t, StringLit) && cur.length === 1 && is(cur[0], Import)) {
        // `import "a" service x {` is legal on one line at the top level; give each its own line.
        cur.push(t);
        flush();
      } else cur.push(t);
    }
    flush();
    if (segments.length === 0) {
      out.push(line);
      continue;
    }
    segments.forEach((tokens, i) => {
      const last = i === segments.length - 1;
      out.push({
        tokens,
        ...(last && line.comment !== undefined ? { comment: line.comment } : {}),
        blankBefore: i === 0 && line.blankBefore,
      });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Layout

interface Laid {
  readonly indent: number;
  readonly blank: boolean;
  readonly tokens: readonly IToken[];
  readonly comment?: string;
  /** Set for a field line: number of tokens of its (possibly dotted) name. */
  readonly nameTokens?: number;
  width?: number;
}

function layout(lines: readonly Line[]): Laid[] {
  const laid: Laid[] = [];
  let depth = 0;
  let brackets = 0;
  let commaContinued = false;
  let prevOpensBlock = false;
  let prevEndsDeclaration = false;
  let prevIsImport = false;
  for (const [index, line] of lines.entries()) {
    const ts = line.tokens;
    const first = ts[0];
    const closes = is(first, RBrace);
    const d = closes ? depth - 1 : depth;
    let leadingClosers = 0;
    while (is(ts[leadingClosers], RBracket)) leadingClosers++;
    const continuation = commaContinued || brackets > 0;
    const extra = (commaContinued ? 1 : 0) + Math.max(0, brackets - leadingClosers);

    let blank = index > 0 && line.blankBefore && !prevOpensBlock && !closes;
    if (index > 0 && d === 0 && (prevEndsDeclaration || (prevIsImport && first !== undefined && !is(first, Import)))) {
      blank = true;
    }

    let nameTokens: number | undefined;
    if (!continuation && d >= 1 && first !== undefined && is(first, Word) && !ts.some((t) => is(t, LBrace))) {
      let n = 1;
      while (is(ts[n], Dot) && (is(ts[n + 1], Word) || is(ts[n + 1], Quantity))) n += 2; // `containers.0.image` (overrides)
      nameTokens = n;
    }
    laid.push({
      indent: d + extra,
      blank,
      tokens: ts,
      ...(line.comment !== undefined ? { comment: line.comment } : {}),
      ...(nameTokens !== undefined ? { nameTokens } : {}),
    });

    for (const t of ts) {
      if (is(t, LBrace)) depth++;
      else if (is(t, RBrace)) depth--;
      else if (is(t, LBracket)) brackets++;
      else if (is(t, RBracket)) brackets--;
    }
    if (first !== undefined) {
      const last = ts[ts.length - 1]!;
      if (brackets === 0) commaContinued = is(last, Comma);
      prevOpensBlock = is(last, LBrace);
      prevEndsDeclaration = depth === 0 && ts.some((t) => is(t, RBrace));
      prevIsImport = depth === 0 && is(first, Import);
    } else {
      prevOpensBlock = false;
      prevEndsDeclaration = false;
      prevIsImport = false;
    }
  }
  align(laid);
  return laid;
}

/** Pads the names of each run of consecutive field lines to the run's longest name + 1. */
function align(laid: Laid[]): void {
  let run: Laid[] = [];
  const close = (): void => {
    const valued = run.filter((l) => l.tokens.length > l.nameTokens!);
    const width = Math.max(0, ...valued.map((l) => joinTokens(l.tokens.slice(0, l.nameTokens)).length));
    for (const l of valued) l.width = width;
    run = [];
  };
  for (const l of laid) {
    if (l.nameTokens === undefined || l.blank) close();
    if (l.nameTokens !== undefined) run.push(l);
  }
  close();
}

// ---------------------------------------------------------------------------------------------
// Rendering

function spaceBetween(a: IToken, b: IToken): boolean {
  if (is(b, Comma) || is(b, Dot) || is(a, Dot) || is(a, LBracket) || is(b, RBracket)) return false;
  if (is(a, LBrace) && is(b, RBrace)) return false;
  // `override deployment/api`: a name and the path written right after it stay one name.
  if (is(a, Word) && is(b, PathLit) && a.startOffset + a.image.length === b.startOffset) return false;
  return true;
}

function joinTokens(tokens: readonly IToken[]): string {
  let s = "";
  tokens.forEach((t, i) => {
    if (i > 0 && spaceBetween(tokens[i - 1]!, t)) s += " ";
    s += t.image;
  });
  return s;
}

function render(laid: readonly Laid[], indent: string): string {
  const out: string[] = [];
  for (const l of laid) {
    if (l.blank) out.push("");
    let code: string;
    if (l.width !== undefined && l.nameTokens !== undefined) {
      const name = joinTokens(l.tokens.slice(0, l.nameTokens));
      code = `${name.padEnd(l.width)} ${joinTokens(l.tokens.slice(l.nameTokens))}`;
    } else code = joinTokens(l.tokens);
    const comment = l.comment === undefined ? "" : code === "" ? l.comment : `${COMMENT_GAP}${l.comment}`;
    out.push(`${indent.repeat(l.indent)}${code}${comment}`);
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
