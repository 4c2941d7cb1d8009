import type { CodeFix, Diagnostic } from "../../../compiler/diagnostics/diagnostic.js";
import type { Program } from "../../../compiler/program.js";

/**
 * The quick fixes of a diagnostic: the compiler's own, else ones derived here for codes whose
 * checker does not attach them yet (FIN4013, FIN4014 are reported by check-traffic.ts; these
 * can move there, next to the data, at any time).
 */
export function fixesOf(program: Program, d: Diagnostic): readonly CodeFix[] {
  if (d.fixes?.length) return d.fixes;
  const text = program.getSourceFile(d.range.file)?.text;
  if (text === undefined) return [];
  switch (d.code) {
    case "FIN4013":
      return text.startsWith("solver", d.range.start) ? [{ title: "Remove `solver` (a CA issuer solves no challenges)", edits: [{ range: wholeLines(text, d.range), newText: "" }] }] : [];
    case "FIN4014": {
      const m = /`(solver dns [^`]+)`/.exec(d.hint ?? "");
      if (!m) return [];
      // Route 53 finds the hosted zone by name: its zone id is optional, so no placeholder.
      const solver = m[1]!.replace(/^solver dns route53 "<[^"]*>"/, "solver dns route53");
      const title = `Solve ACME challenges over DNS: \`${solver}\``;
      if (text.startsWith("solver", d.range.start)) return [{ title, edits: [{ range: d.range, newText: solver }] }];
      if (!text.startsWith("acme", d.range.start)) return [];
      const lineStart = text.lastIndexOf("\n", d.range.start - 1) + 1;
      const indent = /^[ \t]*/.exec(text.slice(lineStart, d.range.start))![0];
      return [{ title, edits: [{ range: { file: d.range.file, start: d.range.end, end: d.range.end }, newText: `\n${indent}${solver}` }] }];
    }
    default:
      return [];
  }
}

/** The range widened to whole lines when nothing else is on them (so deleting it leaves no blank line). */
function wholeLines(text: string, r: { file: string; start: number; end: number }): { file: string; start: number; end: number } {
  const lineStart = text.lastIndexOf("\n", r.start - 1) + 1;
  let lineEnd = text.indexOf("\n", r.end);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, r.start);
  const after = text.slice(r.end, lineEnd);
  if (/\S/.test(before) || /\S/.test(after.replace(/\/\/.*$/, ""))) return r;
  return { file: r.file, start: lineStart, end: Math.min(text.length, lineEnd + 1) };
}
