import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type Range, type TextEdit } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import { sourceRangeToRange } from "../positions.js";
import { pathToUri } from "../uri.js";
import { fixesOf } from "./derived-fixes.js";
import { toLspDiagnostic } from "./diagnostics.js";

const before = (a: { line: number; character: number }, b: { line: number; character: number }): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
const overlaps = (a: Range, b: Range): boolean => before(a.start, b.end) && before(b.start, a.end);
const same = (a: Range, b: Range): boolean => a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/**
 * Quick fixes straight from the compiler's diagnostics: every fix of every diagnostic of
 * the file that touches the requested range, linked to the client's matching diagnostic.
 */
export function codeActions(program: Program, path: string, range: Range, context: { diagnostics: readonly LspDiagnostic[]; only?: readonly string[] }): CodeAction[] {
  if (context.only && !context.only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + "."))) return [];
  const out: CodeAction[] = [];
  for (const d of program.diagnostics) {
    if (d.range.file !== path) continue;
    const fixes = fixesOf(program, d);
    if (!fixes.length) continue;
    const lsp = toLspDiagnostic(program, d);
    if (!lsp || !overlaps(lsp.range, range)) continue;
    const client = context.diagnostics.find((c) => c.code === d.code && same(c.range, lsp.range)) ?? lsp;
    for (const fix of fixes) {
      const changes: Record<string, TextEdit[]> = {};
      for (const e of fix.edits) {
        const r = sourceRangeToRange(program, e.range);
        if (!r) continue;
        (changes[pathToUri(e.range.file)] ??= []).push({ range: r, newText: e.newText });
      }
      out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [client], isPreferred: fixes.length === 1, edit: { changes } });
    }
  }
  return out;
}
