import type { Position, Range } from "vscode-languageserver";
import type { SourceRange } from "../../compiler/diagnostics/diagnostic.js";
import type { Program } from "../../compiler/program.js";
import type { SourceFile } from "../../compiler/syntax/source-file.js";

/** LSP positions are UTF-16 line/character, exactly like the compiler's offsets. */
export function toRange(source: SourceFile, start: number, end: number): Range {
  // A node the parser recovered from may lack offsets: never send a null position.
  const s = Number.isFinite(start) ? start : 0;
  return { start: source.positionOf(s), end: source.positionOf(Number.isFinite(end) ? Math.max(s, end) : s) };
}

export function toOffset(source: SourceFile, position: Position): number {
  return source.offsetOf(position.line, position.character);
}

/** A compiler range as an LSP range, or undefined when its file is not part of the program. */
export function sourceRangeToRange(program: Program, range: SourceRange): Range | undefined {
  const source = program.getSourceFile(range.file);
  return source ? toRange(source, range.start, range.end) : undefined;
}

export function contains(span: { start: number; end: number }, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
