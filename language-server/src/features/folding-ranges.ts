import { FoldingRangeKind, type FoldingRange } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import type { Block } from "../../../compiler/syntax/ast.js";

/** Declarations and nested blocks fold from their header to the line before `}`; so do runs of comment lines and imports. */
export function foldingRanges(program: Program, path: string): FoldingRange[] {
  const file = program.files.get(path);
  if (!file) return [];
  const src = file.source;
  const out: FoldingRange[] = [];
  const line = (offset: number): number => src.positionOf(offset).line;
  const block = (headerStart: number, b: Block): void => {
    const start = line(headerStart);
    const closeLine = line(Math.max(b.start, b.end - 1));
    // Keep the closing brace visible when it starts its own line.
    const end = src.text[b.end - 1] === "}" && src.lineText(closeLine).trim().startsWith("}") ? closeLine - 1 : closeLine;
    if (end > start) out.push({ startLine: start, endLine: end });
    for (const m of b.members) if (m.block) block(m.start, m.block);
  };
  for (const d of file.ast.declarations) block(d.start, d.body);

  const comments = file.ast.comments;
  let i = 0;
  while (i < comments.length) {
    let j = i;
    while (j + 1 < comments.length && line(comments[j + 1]!.start) === line(comments[j]!.start) + 1 && isWholeLine(src.lineText(line(comments[j + 1]!.start)))) j++;
    if (j > i && isWholeLine(src.lineText(line(comments[i]!.start)))) out.push({ startLine: line(comments[i]!.start), endLine: line(comments[j]!.start), kind: FoldingRangeKind.Comment });
    i = j + 1;
  }
  const imports = file.ast.imports;
  if (imports.length > 1) {
    const s = line(imports[0]!.start);
    const e = line(imports[imports.length - 1]!.end);
    if (e > s) out.push({ startLine: s, endLine: e, kind: FoldingRangeKind.Imports });
  }
  return out.sort((a, b) => a.startLine - b.startLine);
}

const isWholeLine = (text: string): boolean => text.trimStart().startsWith("//");
