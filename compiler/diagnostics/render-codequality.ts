import { createHash } from "node:crypto";
import type { Diagnostic, Severity } from "./diagnostic.js";
import { sortDiagnostics } from "./diagnostic.js";
import { displayPath, lineColumns, type SourceLookup } from "./render-text.js";

/*
 * GitLab's Code Quality report (a subset of the Code Climate engine spec), which GitLab shows in
 * merge requests: `artifacts: reports: codequality`. Each issue: description, check_name,
 * fingerprint (stable across runs, so GitLab can tell new findings from old), severity and
 * location with the path relative to the repository and a begin line.
 */

export type CodeQualitySeverity = "info" | "minor" | "major" | "critical" | "blocker";

export interface CodeQualityIssue {
  readonly type: "issue";
  readonly description: string;
  readonly check_name: string;
  readonly fingerprint: string;
  readonly severity: CodeQualitySeverity;
  readonly location: { readonly path: string; readonly positions: { readonly begin: { readonly line: number; readonly column: number }; readonly end: { readonly line: number; readonly column: number } } };
}

const SEVERITY: Readonly<Record<Severity, CodeQualitySeverity>> = { error: "major", warning: "minor", info: "info" };

/** `--format codequality`; paths relative to `cwd` (the job runs at the repository root). */
export function toCodeQuality(diags: readonly Diagnostic[], sources: SourceLookup, options: { readonly cwd: string }): CodeQualityIssue[] {
  const seen = new Map<string, number>();
  return sortDiagnostics(diags).map((d) => {
    const path = displayPath(d.range.file, options.cwd);
    const source = sources(d.range.file);
    const at = lineColumns(d.range, source);
    // The code, file, message and the flagged line's text identify a finding; the line number is
    // left out so that an edit above it does not make GitLab report it as new. Repeats are numbered.
    const line = at.line > 0 && source ? source.lineText(at.line - 1).trim() : "";
    const key = `${d.code}\0${path}\0${d.message}\0${line}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const fingerprint = createHash("sha256").update(`${key}\0${n}`).digest("hex").slice(0, 32);
    return {
      type: "issue",
      description: `${d.code}: ${d.message}${d.hint ? ` ${d.hint}` : ""}`,
      check_name: d.code,
      fingerprint,
      severity: SEVERITY[d.severity],
      location: { path, positions: { begin: { line: at.line, column: at.column }, end: { line: at.endLine, column: at.endColumn } } },
    };
  });
}
