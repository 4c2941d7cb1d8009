import type { Location } from "vscode-languageserver";
import type { SourceRange } from "../../../compiler/diagnostics/diagnostic.js";
import type { Program } from "../../../compiler/program.js";
import type { DeclInfo } from "../../../compiler/semantic/declarations.js";
import { sourceRangeToRange } from "../positions.js";
import { symbolAt, targetKey } from "../syntax-query.js";
import { pathToUri } from "../uri.js";

/** Every range that names the same declaration (its own name first when asked for). */
export function referenceRanges(program: Program, target: DeclInfo, includeDeclaration: boolean): SourceRange[] {
  const key = targetKey(target);
  const seen = new Set<string>();
  const out: SourceRange[] = [];
  const add = (r: SourceRange): void => {
    const k = `${r.file}:${r.start}:${r.end}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(r);
  };
  if (includeDeclaration) add(target.nameRange);
  for (const r of program.checked.references) if (targetKey(r.target) === key) add(r.range);
  return out;
}

export function references(program: Program, path: string, offset: number, includeDeclaration: boolean): Location[] {
  const sym = symbolAt(program, path, offset);
  if (!sym) return [];
  const out: Location[] = [];
  for (const r of referenceRanges(program, sym.target, includeDeclaration)) {
    const range = sourceRangeToRange(program, r);
    if (range) out.push({ uri: pathToUri(r.file), range });
  }
  return out;
}
