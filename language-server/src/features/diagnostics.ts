import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type DiagnosticRelatedInformation } from "vscode-languageserver";
import type { Diagnostic } from "../../../compiler/diagnostics/diagnostic.js";
import type { Program } from "../../../compiler/program.js";
import { sourceRangeToRange } from "../positions.js";
import { pathToUri } from "../uri.js";

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** The program's diagnostics grouped by file (only files of the program). */
export function diagnosticsByFile(program: Program): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const d of program.diagnostics) {
    if (!program.files.has(d.range.file)) continue;
    let list = out.get(d.range.file);
    if (!list) out.set(d.range.file, (list = []));
    list.push(d);
  }
  return out;
}

export function toLspDiagnostic(program: Program, d: Diagnostic): LspDiagnostic | undefined {
  const range = sourceRangeToRange(program, d.range);
  if (!range) return undefined;
  const relatedInformation: DiagnosticRelatedInformation[] = [];
  for (const r of d.related ?? []) {
    const rr = sourceRangeToRange(program, r.range);
    if (rr) relatedInformation.push({ location: { uri: pathToUri(r.range.file), range: rr }, message: r.message });
  }
  return {
    range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: "finc",
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    ...(relatedInformation.length ? { relatedInformation } : {}),
  };
}

/** LSP diagnostics of one file. */
export function fileDiagnostics(program: Program, file: string, grouped = diagnosticsByFile(program)): LspDiagnostic[] {
  const out: LspDiagnostic[] = [];
  for (const d of grouped.get(file) ?? []) {
    const l = toLspDiagnostic(program, d);
    if (l) out.push(l);
  }
  return out;
}
