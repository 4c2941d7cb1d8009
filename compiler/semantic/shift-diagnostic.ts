import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";

/**
 * A diagnostic moved by `delta` characters in its own file (ranges in other files stay):
 * caches keyed by a declaration's text store diagnostics relative to where it starts.
 */
export function shiftDiagnostic(d: Diagnostic, file: string, delta: number): Diagnostic {
  if (delta === 0) return d;
  const at = (r: SourceRange): SourceRange => (r.file === file ? { file: r.file, start: r.start + delta, end: r.end + delta } : r);
  return {
    ...d,
    range: at(d.range),
    ...(d.related ? { related: d.related.map((r) => ({ ...r, range: at(r.range) })) } : {}),
    ...(d.fixes ? { fixes: d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: at(e.range) })) })) } : {}),
  };
}
