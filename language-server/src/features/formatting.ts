import type { TextEdit } from "vscode-languageserver";
import { formatSource, indentFor } from "../../../compiler/format/format.js";
import type { SourceFile } from "../../../compiler/syntax/source-file.js";

/** One whole-document edit with the canonical layout; nothing when the text has syntax errors or is already formatted. */
export function formatting(source: SourceFile, options: { insertSpaces: boolean; tabSize: number } = { insertSpaces: true, tabSize: 2 }): TextEdit[] {
  const result = formatSource(source.text, { indent: indentFor(options.insertSpaces, options.tabSize) });
  if (!result || !result.changed || result.text === source.text) return [];
  const end = source.positionOf(source.text.length);
  return [{ range: { start: { line: 0, character: 0 }, end }, newText: result.text }];
}
