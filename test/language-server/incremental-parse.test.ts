import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LoadedFile } from "../../compiler/program.js";
import { parse } from "../../compiler/syntax/parse.js";
import { createSourceFile } from "../../compiler/syntax/source-file.js";
import { reparse } from "../../language-server/src/incremental-parse.js";
import { prng, REPO } from "./lsp-harness.js";

function load(path: string, text: string): LoadedFile {
  const { ast, diagnostics } = parse(path, text);
  return { source: createSourceFile(path, text), ast, parseDiagnostics: diagnostics, stdlib: false, imports: [] };
}


describe("incremental re-parse in the language server", () => {
  it("gives exactly the full parse's tree whenever it applies", () => {
    const path = "/spec/services.fin";
    const original = readFileSync(join(REPO, "examples/payments/services.fin"), "utf8");
    const random = prng(7);
    const fragments = ["3", "12", " ", "\n", "x", "{", "}", ",", '"', "//", "/// doc\n", "replicas 2 to 9\n", "service z {\n  image \"a/b:1\"\n}\n", "-", "."];
    let file = load(path, original);
    let applied = 0;
    for (let i = 0; i < 1000; i++) {
      const text = file.source.text;
      const s = Math.floor(random() * (text.length + 1));
      const e = random() < 0.4 ? Math.min(text.length, s + Math.floor(random() * 6)) : s;
      const insert = e > s && random() < 0.5 ? "" : fragments[Math.floor(random() * fragments.length)]!;
      const next = text.slice(0, s) + insert + text.slice(e);
      let full: LoadedFile;
      try {
        full = load(path, next);
      } catch {
        continue; // a parser crash the compiler has to fix; not this test's subject
      }
      const fast = reparse(file, next);
      if (fast) {
        applied++;
        expect(fast.parseDiagnostics).toEqual([]);
        expect(JSON.stringify(fast.ast)).toBe(JSON.stringify(full.ast));
        expect(fast.source.text).toBe(next);
      }
      // Edits that break the syntax are undone: the fast path only starts from a valid file.
      if (!full.parseDiagnostics.length) file = full;
    }
    expect(applied).toBeGreaterThan(250);
  });

  it("re-parses an edit inside one declaration and reuses the declarations before it", () => {
    const text = readFileSync(join(REPO, "examples/payments/services.fin"), "utf8");
    const file = load("/spec/services.fin", text);
    const third = file.ast.declarations[2]!;
    const at = text.indexOf("\n", third.start) + 1; // the first field line of the third declaration
    const next = text.slice(0, at) + "  replicas 4\n" + text.slice(at);
    const fast = reparse(file, next)!;
    expect(fast).toBeDefined();
    expect(fast.ast.declarations[0]).toBe(file.ast.declarations[0]);
    expect(fast.ast.declarations[1]).toBe(file.ast.declarations[1]);
    expect(JSON.stringify(fast.ast)).toBe(JSON.stringify(load("/spec/services.fin", next).ast));
  });
});
