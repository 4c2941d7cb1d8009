/** A half-open range of UTF-16 offsets inside one source file. */
export interface SourceRange {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export type Severity = "error" | "warning" | "info";

/** A text edit that a quick fix applies; ranges are in the file of the diagnostic unless `file` says otherwise. */
export interface TextEdit {
  readonly range: SourceRange;
  readonly newText: string;
}

export interface CodeFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface RelatedInformation {
  readonly message: string;
  readonly range: SourceRange;
}

/** Diagnostics are data: every stage returns them, the CLI and the language server render them. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: SourceRange;
  readonly hint?: string;
  readonly related?: readonly RelatedInformation[];
  readonly fixes?: readonly CodeFix[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Stable order: by file, then position, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.range.file < b.range.file ? -1 : a.range.file > b.range.file ? 1 : 0) ||
      a.range.start - b.range.start ||
      a.range.end - b.range.end ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
