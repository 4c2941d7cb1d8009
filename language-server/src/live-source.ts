import type { Program } from "../../compiler/program.js";
import { createSourceFile, type SourceFile } from "../../compiler/syntax/source-file.js";

/**
 * The source file of a document's live text for requests that read it (completion, signature
 * help, formatting). Its line table costs a pass over the whole text (20,000 lines: a few ms),
 * so the last program's source is used when it has the same text, and otherwise the one made
 * for the same text last time.
 */
export function liveSourceCache(): (program: Program | undefined, path: string, text: string) => SourceFile {
  let last: SourceFile | undefined;
  return (program, path, text) => {
    const compiled = program?.getSourceFile(path);
    if (compiled && compiled.text === text) return compiled;
    if (last && last.path === path && last.text === text) return last;
    return (last = createSourceFile(path, text));
  };
}
