import type { Location } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import { sourceRangeToRange } from "../positions.js";
import { nodeAt, symbolAt } from "../syntax-query.js";
import { pathToUri } from "../uri.js";

/** A reference → its declaration (also into stdlib files); an import → the imported file. */
export function definition(program: Program, path: string, offset: number): Location | null {
  const at = nodeAt(program, path, offset);
  if (at?.import) {
    const target = at.file.imports[at.file.ast.imports.indexOf(at.import)];
    if (target && program.files.has(target)) return { uri: pathToUri(target), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    return null;
  }
  const sym = symbolAt(program, path, offset);
  if (!sym) return null;
  const range = sourceRangeToRange(program, sym.target.nameRange);
  return range ? { uri: pathToUri(sym.target.nameRange.file), range } : null;
}
