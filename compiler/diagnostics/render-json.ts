import type { Diagnostic, Severity } from "./diagnostic.js";
import { sortDiagnostics } from "./diagnostic.js";
import { messages } from "./messages.js";
import { displayPath, lineColumns, type SourceLookup } from "./render-text.js";

/**
 * Positions are 1-based in UTF-16 code units; `endLine`/`endColumn` point just after the last
 * character (exclusive, as in SARIF). When the file's text is not available all four are 0.
 */
export interface JsonRelated {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
}

export interface JsonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly code: string;
  /** The table name (`request-exceeds-limit`); the code itself for a code missing from the table. */
  readonly name: string;
  readonly severity: Severity;
  readonly message: string;
  readonly hint?: string;
  readonly related?: readonly JsonRelated[];
}

export interface JsonReportOptions {
  /** Absolute paths are written relative to this directory; otherwise paths are written as given. */
  readonly cwd?: string;
}

/** The `--format json` report: one object per diagnostic, sorted by file, position and code. */
export function toJsonReport(
  diags: readonly Diagnostic[],
  sources: SourceLookup,
  options: JsonReportOptions = {},
): JsonDiagnostic[] {
  return sortDiagnostics(diags).map((d): JsonDiagnostic => {
    const def = (messages as Record<string, { readonly name: string } | undefined>)[d.code];
    const related = d.related?.map(
      (r): JsonRelated => ({
        file: displayPath(r.range.file, options.cwd),
        ...lineColumns(r.range, sources(r.range.file)),
        message: r.message,
      }),
    );
    return {
      file: displayPath(d.range.file, options.cwd),
      ...lineColumns(d.range, sources(d.range.file)),
      code: d.code,
      name: def ? def.name : d.code,
      severity: d.severity,
      message: d.message,
      ...(d.hint ? { hint: d.hint } : {}),
      ...(related && related.length > 0 ? { related } : {}),
    };
  });
}
