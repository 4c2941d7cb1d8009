import type { SymbolInformation } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import { sourceRangeToRange } from "../positions.js";
import { pathToUri } from "../uri.js";
import { SYMBOL_KINDS } from "./document-symbols.js";

/** Case-insensitive subsequence match, like editors' quick-open. */
function matches(query: string, name: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  for (let j = 0; j < n.length && i < q.length; j++) if (n[j] === q[i]) i++;
  return i === q.length;
}

/** Every declaration of the program (the stdlib's too) whose name matches the query. */
export function workspaceSymbols(program: Program, query: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const d of program.declarations.all) {
    if (!matches(query, d.name)) continue;
    const range = sourceRangeToRange(program, d.nameRange);
    if (!range) continue;
    out.push({ name: d.name, kind: SYMBOL_KINDS[d.kind]!, location: { uri: pathToUri(d.file), range }, containerName: d.stdlib ? `${d.kind} (stdlib)` : d.kind });
  }
  return out.slice(0, 500);
}
