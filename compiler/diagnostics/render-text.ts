import * as nodePath from "node:path";
import type { Diagnostic, Severity, SourceRange } from "./diagnostic.js";
import { sortDiagnostics } from "./diagnostic.js";

/** What rendering needs of a source file (the syntax stage's SourceFile is one): diagnostics depend on nothing upstream. */
export interface SourceText {
  positionOf(offset: number): { line: number; character: number };
  lineText(line: number): string;
}

/** Looks up the text of a file by the path a diagnostic names; undefined when it is not loaded. */
export type SourceLookup = (path: string) => SourceText | undefined;

export interface TextRenderOptions {
  /** Colour with ANSI escape codes (only then is any escape code written). */
  readonly color: boolean;
  /** Absolute paths are shown relative to this directory. */
  readonly cwd?: string;
}

/** 1-based line and column of a range; `endColumn` is exclusive (the column after the last character). */
export interface LineColumns {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * Line/column of a range in UTF-16 code units, all 1-based, `endColumn` exclusive.
 * Without the source text the position is unknown and every field is 0.
 */
export function lineColumns(range: SourceRange, source: SourceText | undefined): LineColumns {
  if (!source) return { line: 0, column: 0, endLine: 0, endColumn: 0 };
  const start = source.positionOf(range.start);
  const end = source.positionOf(Math.max(range.start, range.end));
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/** A path as shown to the user: relative to `cwd` when it is absolute and `cwd` is given, always with '/'. */
export function displayPath(file: string, cwd?: string): string {
  if (cwd === undefined || !nodePath.isAbsolute(file)) return toSlashes(file);
  const rel = nodePath.relative(cwd, file);
  return toSlashes(rel === "" ? file : rel);
}

function toSlashes(p: string): string {
  return p.replace(/\\/g, "/");
}

/** Diagnostics printed per file: past this the first ones are what the user fixes first anyway. */
export const MAX_PER_FILE = 100;
/** Source columns shown in the caret view; a longer line is cut around the range, with "…". */
export const MAX_LINE_WIDTH = 160;
/** Characters of a message or hint shown (a message can quote a value from the spec). */
const MAX_MESSAGE = 1000;

const RESET = "\x1b[0m";
const BOLD = "\x1b[1m";
const SEVERITY_COLOR: Record<Severity, string> = {
  error: "\x1b[1;31m",
  warning: "\x1b[1;33m",
  info: "\x1b[1;34m",
};
const GUTTER_COLOR = "\x1b[1;36m";

interface Paint {
  severity(s: Severity, text: string): string;
  bold(text: string): string;
  gutter(text: string): string;
}

function paint(color: boolean): Paint {
  if (!color) return { severity: (_s, t) => t, bold: (t) => t, gutter: (t) => t };
  return {
    severity: (s, t) => `${SEVERITY_COLOR[s]}${t}${RESET}`,
    bold: (t) => `${BOLD}${t}${RESET}`,
    gutter: (t) => `${GUTTER_COLOR}${t}${RESET}`,
  };
}

/**
 * Renders diagnostics in the rustc/tsc style, sorted by file and position, followed by a
 * blank line and the summary line (`2 errors, 1 warning`). An empty list renders as "".
 *
 * ```
 * error[FIN3005]: The cpu request 4 is greater than its limit 2.
 *   --> examples/payments/main.fin:12:12
 *    |
 * 12 |   cpu      4 to 2
 *    |            ^^^^^^
 *    = hint: Write `cpu <request> to <limit>` with request ≤ limit.
 *    = note: examples/payments/main.fin:3:1: related message
 * ```
 */
export function renderDiagnostics(
  diags: readonly Diagnostic[],
  sources: SourceLookup,
  options: TextRenderOptions,
): string {
  if (diags.length === 0) return "";
  const p = paint(options.color);
  const blocks: string[] = [];
  // Sorted by file first: each file's diagnostics form one run; past MAX_PER_FILE a note counts the rest.
  const sorted = sortDiagnostics(diags);
  for (let i = 0; i < sorted.length; ) {
    const file = sorted[i]!.range.file;
    let j = i;
    while (j < sorted.length && sorted[j]!.range.file === file) j++;
    for (let k = i; k < Math.min(j, i + MAX_PER_FILE); k++) blocks.push(renderOne(sorted[k]!, sources, options, p));
    if (j - i > MAX_PER_FILE) blocks.push(`… and ${j - i - MAX_PER_FILE} more in ${displayPath(file, options.cwd)}`);
    i = j;
  }
  return `${blocks.join("\n\n")}\n\n${paintSummary(diags, p)}\n`;
}

function renderOne(d: Diagnostic, sources: SourceLookup, options: TextRenderOptions, p: Paint): string {
  const out: string[] = [];
  out.push(`${p.severity(d.severity, `${d.severity}[${d.code}]`)}${p.bold(`: ${clipText(d.message)}`)}`);
  const source = sources(d.range.file);
  const path = displayPath(d.range.file, options.cwd);
  let pad = " ";
  if (!source) {
    out.push(`${pad}${p.gutter("-->")} ${path}`);
  } else {
    const start = source.positionOf(d.range.start);
    const end = source.positionOf(Math.max(d.range.start, d.range.end));
    const lineNo = String(start.line + 1);
    pad = " ".repeat(lineNo.length);
    const full = source.lineText(start.line);
    const fullFrom = Math.min(start.character, full.length);
    const fullTo = end.line === start.line ? Math.min(Math.max(end.character, fullFrom), full.length) : full.length;
    const { text, from, to } = clipLine(full, fullFrom, fullTo);
    // Tabs stay tabs in the caret line so the carets line up under the source however tabs are shown.
    const lead = Array.from(text.slice(0, from), (ch) => (ch === "\t" ? "\t" : " ")).join("");
    const carets = "^".repeat(Math.max(1, Array.from(text.slice(from, to)).length));
    out.push(`${pad}${p.gutter("-->")} ${path}:${start.line + 1}:${start.character + 1}`);
    out.push(`${pad} ${p.gutter("|")}`);
    out.push(`${p.gutter(`${lineNo} |`)}${text === "" ? "" : ` ${text}`}`);
    out.push(`${pad} ${p.gutter("|")} ${lead}${p.severity(d.severity, carets)}`);
  }
  const noteIndent = `${pad} ${" ".repeat("= hint: ".length)}`;
  if (d.hint) out.push(`${pad} ${p.gutter("=")} ${p.bold("hint")}: ${indentLines(clipText(d.hint), noteIndent)}`);
  for (const r of d.related ?? []) {
    const rs = sources(r.range.file);
    const rpath = displayPath(r.range.file, options.cwd);
    const where = rs ? `${rpath}:${lineColumns(r.range, rs).line}:${lineColumns(r.range, rs).column}` : rpath;
    out.push(`${pad} ${p.gutter("=")} ${p.bold("note")}: ${where}: ${indentLines(r.message, noteIndent)}`);
  }
  return out.join("\n");
}

/** A message or hint as printed: bounded, and no control character but line breaks and tabs reaches the terminal. */
function clipText(text: string): string {
  // A message may quote a value from the spec (a 1 MB image name): long words are shown by their start.
  const words = text.replace(/\S{81,}/g, (w) => `${w.slice(0, 60)}…`);
  const clipped = words.length <= MAX_MESSAGE ? words : `${words.slice(0, MAX_MESSAGE)}…`;
  return clipped.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, "\uFFFD");
}

/**
 * A source line as the caret view shows it: at most MAX_LINE_WIDTH columns around [from, to), so a
 * 1 MB line prints as one screen line with the caret still under the offending text; "…" marks a
 * cut. Control characters (a binary file's bytes, terminal escapes) are shown as "�".
 */
export function clipLine(line: string, from: number, to: number): { text: string; from: number; to: number } {
  let start = 0;
  let end = line.length;
  if (line.length > MAX_LINE_WIDTH) {
    // Keep some context before the range; show as much of the range as fits.
    start = to <= MAX_LINE_WIDTH - 1 ? 0 : Math.max(0, Math.min(from - 40, line.length - MAX_LINE_WIDTH));
    end = Math.min(line.length, start + MAX_LINE_WIDTH);
    // Never split a surrogate pair.
    if (start > 0 && isLowSurrogate(line.charCodeAt(start))) start++;
    if (end < line.length && isLowSurrogate(line.charCodeAt(end))) end--;
  }
  const before = start > 0 ? "…" : "";
  const after = end < line.length ? "…" : "";
  const text = before + line.slice(start, end).replace(CONTROL, "\uFFFD") + after;
  const shift = before.length - start;
  const clamp = (n: number): number => Math.max(before.length, Math.min(n + shift, before.length + end - start));
  return { text, from: clamp(from), to: clamp(to) };
}

// C0 controls except tab, DEL and C1 controls.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

function indentLines(text: string, indent: string): string {
  return text.replace(/\r?\n/g, `\n${indent}`);
}

function counts(diags: readonly Diagnostic[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diags) c[d.severity]++;
  return c;
}

function countParts(diags: readonly Diagnostic[]): { severity: Severity; text: string }[] {
  const c = counts(diags);
  const parts: { severity: Severity; text: string }[] = [];
  if (c.error) parts.push({ severity: "error", text: `${c.error} ${c.error === 1 ? "error" : "errors"}` });
  if (c.warning) parts.push({ severity: "warning", text: `${c.warning} ${c.warning === 1 ? "warning" : "warnings"}` });
  if (c.info) parts.push({ severity: "info", text: `${c.info} info` });
  return parts;
}

/** `2 errors, 1 warning`, `1 error, 3 info`; "no problems" for an empty list. */
export function summarize(diags: readonly Diagnostic[]): string {
  const parts = countParts(diags);
  return parts.length === 0 ? "no problems" : parts.map((x) => x.text).join(", ");
}

function paintSummary(diags: readonly Diagnostic[], p: Paint): string {
  const parts = countParts(diags);
  return parts.length === 0 ? "no problems" : parts.map((x) => p.severity(x.severity, x.text)).join(p.bold(", "));
}
