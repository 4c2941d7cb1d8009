import { DocumentHighlightKind, type DocumentHighlight } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import { sourceRangeToRange } from "../positions.js";
import { symbolAt } from "../syntax-query.js";
import { referenceRanges } from "./references.js";

/**
 * The declaration's name (Write) and its uses (Read) in this file: without it VS Code falls back
 * to highlighting every equal word, inside strings and paths too. Nothing off a name.
 */
export function documentHighlight(program: Program, path: string, offset: number): DocumentHighlight[] {
  const sym = symbolAt(program, path, offset);
  if (!sym) return [];
  const declared = sym.target.nameRange;
  const out: DocumentHighlight[] = [];
  for (const r of referenceRanges(program, sym.target, true)) {
    if (r.file !== path) continue;
    const range = sourceRangeToRange(program, r);
    if (!range) continue;
    const isDeclaration = r.file === declared.file && r.start === declared.start;
    out.push({ range, kind: isDeclaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read });
  }
  return out;
}
