import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ResponseError } from "vscode-languageserver";
import { describe, expect, it } from "vitest";
import { createNodeHost, createOverlayHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { completionContext } from "../../language-server/src/completion-context.js";
import { codeActions } from "../../language-server/src/features/code-actions.js";
import { completion } from "../../language-server/src/features/completion.js";
import { definition } from "../../language-server/src/features/definition.js";
import { documentSymbols } from "../../language-server/src/features/document-symbols.js";
import { foldingRanges } from "../../language-server/src/features/folding-ranges.js";
import { hover } from "../../language-server/src/features/hover.js";
import { inlayHints } from "../../language-server/src/features/inlay-hints.js";
import { references } from "../../language-server/src/features/references.js";
import { prepareRename } from "../../language-server/src/features/rename.js";
import { semanticTokens } from "../../language-server/src/features/semantic-tokens.js";
import { REPO } from "./lsp-harness.js";

const ctx = (text: string) => completionContext(text.replace("|", ""), text.indexOf("|")).context;

describe("completion context (read from the live text)", () => {
  it("knows the top level, declaration headers and field positions", () => {
    expect(ctx("serv|")).toEqual({ kind: "top", word: "serv" });
    expect(ctx("service api is pay|")).toEqual({ kind: "pattern", forKind: "service", word: "pay" });
    expect(ctx("pattern p for |")).toEqual({ kind: "pattern-target", word: "" });
    expect(ctx("environment |")).toEqual({ kind: "environment-name", word: "" });
    expect(ctx('import "fintech/pay|')).toEqual({ kind: "import", word: "fintech/pay" });
    expect(ctx("service api {\n  rep|\n}")).toEqual({ kind: "field", declKind: "service", pattern: false, word: "rep", present: [] });
    expect(ctx("pattern p for database {\n  |\n}")).toEqual({ kind: "field", declKind: "database", pattern: true, word: "", present: [] });
  });

  it("knows values, continuation lines, comments and strings", () => {
    expect(ctx("service api {\n  calls a, |\n}")).toMatchObject({ kind: "value", declKind: "service", declName: "api", field: "calls", before: [], word: "" });
    expect(ctx("service api {\n  calls a,\n        b|\n}")).toMatchObject({ kind: "value", field: "calls", word: "b" });
    expect(ctx("service api {\n  secret K from |\n}")).toMatchObject({ kind: "value", field: "secret", before: ["K", "from"] });
    expect(ctx("service api {\n  memory 512M|\n}")).toMatchObject({ kind: "value", field: "memory", word: "512M" });
    expect(ctx("service api {\n  // calls |\n}")).toEqual({ kind: "none" });
    expect(ctx('service api {\n  image "reg|"\n}')).toEqual({ kind: "none" });
    expect(ctx('service api {\n  image "a{b}" \n  |\n}')).toMatchObject({ kind: "field", declKind: "service", present: ["image"] });
  });

  it("knows environment overrides", () => {
    expect(ctx("environment prod {\n  a|\n}")).toEqual({ kind: "override-target", word: "a" });
    expect(ctx("environment prod {\n  api.rep|\n}")).toEqual({ kind: "override-field", target: "api", word: "rep" });
    expect(ctx("environment prod {\n  api.replicas |\n}")).toMatchObject({ kind: "value", target: "api", field: "replicas" });
    expect(ctx("environment prod {\n  api {\n    |\n  }\n}")).toEqual({ kind: "override-field", target: "api", word: "" });
  });
});

describe("features never throw, wherever the cursor is", () => {
  it("answers every feature at every offset of the example", () => {
    const dir = join(REPO, "examples/payments");
    const path = join(dir, "services.fin");
    // A broken variant too: unknown names, a missing brace, a stray token.
    const broken = readFileSync(path, "utf8").replace("calls    payments, fraud", "calls    paymnts, , fraud ]").replace(/\}\s*$/, "");
    for (const text of [readFileSync(path, "utf8"), broken]) {
      const host = createOverlayHost(new Map([[path, text]]), createNodeHost(join(REPO, "stdlib")));
      const program = createProgram({ host, roots: [dir] });
      const source = program.getSourceFile(path)!;
      documentSymbols(program, path);
      foldingRanges(program, path);
      semanticTokens(program, path);
      inlayHints(program, path, { start: { line: 0, character: 0 }, end: { line: source.lineCount, character: 0 } });
      for (let offset = 0; offset <= text.length; offset++) {
        hover(program, path, offset, { markdown: offset % 2 === 0 });
        definition(program, path, offset);
        references(program, path, offset, true);
        completion(program, source, offset, { snippets: offset % 2 === 0, markdown: true });
        try {
          prepareRename(program, path, offset);
        } catch (e) {
          expect(e).toBeInstanceOf(ResponseError);
        }
        const p = source.positionOf(offset);
        codeActions(program, path, { start: p, end: p }, { diagnostics: [] });
      }
    }
  }, 30_000);
});
