import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { Span } from "../syntax/ast.js";

export interface ImportingFile {
  readonly path: string;
  /** Each import: the resolved target path and the span of its path string. */
  readonly imports: readonly { readonly target: string; readonly span: Span }[];
}

/**
 * FIN2015: a self-import, or an import that closes a cycle (a → b → a), reported once per cycle
 * at the import that leads back, in a deterministic order (files sorted by path).
 */
export function checkImportCycles(files: ReadonlyMap<string, ImportingFile>, report: (d: Diagnostic) => void): void {
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const base = (p: string): string => p.slice(p.lastIndexOf("/") + 1);
  const visit = (path: string): void => {
    state.set(path, "active");
    stack.push(path);
    const file = files.get(path)!;
    for (const imp of file.imports) {
      if (!files.has(imp.target)) continue;
      const s = state.get(imp.target);
      if (s === "active") {
        const range = { file: path, start: imp.span.start, end: imp.span.end };
        if (imp.target === path) report(diag("FIN2015", range, { message: `'${base(path)}' imports itself.` }));
        else {
          const cycle = [...stack.slice(stack.indexOf(imp.target)), imp.target].map(base).join(" → ");
          report(diag("FIN2015", range, { message: `This import closes a cycle: ${cycle}.` }));
        }
      } else if (s === undefined) visit(imp.target);
    }
    stack.pop();
    state.set(path, "done");
  };
  for (const path of [...files.keys()].sort()) if (!state.has(path)) visit(path);
}
