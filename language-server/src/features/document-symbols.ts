import { SymbolKind, type DocumentSymbol } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import { memberName, termText, type Member } from "../../../compiler/syntax/ast.js";
import type { SourceFile } from "../../../compiler/syntax/source-file.js";
import { toRange } from "../positions.js";

export const SYMBOL_KINDS: Readonly<Record<string, SymbolKind>> = {
  platform: SymbolKind.Package,
  namespace: SymbolKind.Namespace,
  secretstore: SymbolKind.Key,
  issuer: SymbolKind.Constant,
  service: SymbolKind.Class,
  worker: SymbolKind.Class,
  job: SymbolKind.Event,
  cronjob: SymbolKind.Event,
  database: SymbolKind.Struct,
  pattern: SymbolKind.Interface,
  environment: SymbolKind.Module,
};

/** Declarations with their fields (and nested blocks' entries) as children. */
export function documentSymbols(program: Program, path: string): DocumentSymbol[] {
  const file = program.files.get(path);
  if (!file) return [];
  const src = file.source;
  const out: DocumentSymbol[] = [];
  for (const d of file.ast.declarations) {
    const name = d.name ?? d.keyword;
    const detail = [d.keyword.text, d.base ? `is ${d.base.text}` : "", d.target ? `for ${d.target.text}` : ""].filter(Boolean).join(" ");
    out.push({
      name: d.name?.text ?? `(${d.keyword.text})`,
      detail,
      kind: SYMBOL_KINDS[d.keyword.text] ?? SymbolKind.Object,
      range: toRange(src, d.start, d.end),
      selectionRange: toRange(src, name.start, name.end),
      children: d.body.members.map((m) => memberSymbol(src, m)),
    });
  }
  return out;
}

function memberSymbol(src: SourceFile, m: Member): DocumentSymbol {
  const value = m.terms.map(termText).join(", ");
  const last = m.path[m.path.length - 1]!;
  return {
    name: memberName(m),
    detail: value.length > 60 ? value.slice(0, 59) + "…" : value,
    kind: SymbolKind.Property,
    range: toRange(src, m.start, m.end),
    selectionRange: toRange(src, m.path[0]!.start, last.end),
    ...(m.block ? { children: m.block.members.map((c) => memberSymbol(src, c)) } : {}),
  };
}
