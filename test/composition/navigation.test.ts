import { describe, expect, it } from "vitest";
import { completion } from "../../language-server/src/features/completion.js";
import { ResponseError } from "vscode-languageserver";
import { definition } from "../../language-server/src/features/definition.js";
import { documentSymbols } from "../../language-server/src/features/document-symbols.js";
import { foldingRanges } from "../../language-server/src/features/folding-ranges.js";
import { references } from "../../language-server/src/features/references.js";
import { semanticTokens } from "../../language-server/src/features/semantic-tokens.js";
import { hover } from "../../language-server/src/features/hover.js";
import { inherited, inlayHints } from "../../language-server/src/features/inlay-hints.js";
import { prepareRename, rename } from "../../language-server/src/features/rename.js";
import { compileSources, PLATFORM, VIRTUAL } from "../helpers/compile.js";

/** Composition in the editor: definition, rename, hover and inlay hints across extended patterns and config sets. */
const SRC = PLATFORM + `pattern web for service {
  port http 8080
  replicas 3
}
pattern strict-web is web for service {
  replicas 4
}
configset common {
  LOG_LEVEL = "info"
}
service api is strict-web {
  image "r.io/api:1.0.0"
  config from common
}
`;
const FILE = `${VIRTUAL}/main.fin`;
const program = compileSources({ "main.fin": SRC });
const editsOf = (offset: number, newName: string) =>
  Object.values(rename(program, FILE, offset, newName).changes ?? {}).flat().map((e) => `${e.range.start.line}:${e.range.start.character}`).sort();

describe("composition in the language server", () => {
  it("compiles with no diagnostic", () => expect(program.diagnostics).toEqual([]));

  it("definition of `is web` inside a pattern goes to the base pattern", () => {
    const loc = definition(program, FILE, SRC.indexOf("is web") + 3)!;
    expect(loc).not.toBeNull();
    expect(loc.range.start.line).toBe(SRC.slice(0, SRC.indexOf("pattern web")).split("\n").length - 1);
  });

  it("renaming the base pattern renames its declaration and the `is` of the extending pattern", () => {
    const lines = editsOf(SRC.indexOf("pattern web") + 8, "website");
    expect(lines).toHaveLength(2);
  });

  it("renaming a config set renames its declaration and each `config from`", () => {
    expect(editsOf(SRC.indexOf("from common") + 6, "shared")).toHaveLength(2);
  });

  it("hover on `config from common` names the set; inlay hints show fields from both patterns", () => {
    const h = hover(program, FILE, SRC.indexOf("from common") + 6, { markdown: true });
    expect(JSON.stringify(h)).toContain("common");
    const api = program.declarations.lookup("workload", "api")!;
    const from = inherited(program, api).map((i) => `${i.field}<-${i.pattern}`).sort();
    expect(from).toEqual(["port<-web", "replicas<-strict-web"]);
    expect(() => inlayHints(program, FILE, { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } })).not.toThrow();
  });

  it("top-level completion offers `configset` with a template", () => {
    const text = SRC + "\n";
    const p = compileSources({ "main.fin": text });
    const list = completion(p, p.getSourceFile(FILE)!, text.length, { snippets: false, markdown: true });
    expect((list.find((i) => i.label === "configset …")?.textEdit as { newText: string } | undefined)?.newText).toBe('configset name {\n  KEY = "value"\n}');
  });

  it("every feature answers at every offset of a spec using all three forms, without throwing", () => {
    const text = SRC.replace("config from common", 'config from common\n  config DB = "${ledger-db.host}:${ledger-db.port}"') + 'database ledger-db {\n  storage 10Gi fast\n  credentials from vault "t/db"\n}\n';
    const p = compileSources({ "main.fin": text });
    expect(p.diagnostics).toEqual([]);
    const source = p.getSourceFile(FILE)!;
    documentSymbols(p, FILE);
    foldingRanges(p, FILE);
    semanticTokens(p, FILE);
    inlayHints(p, FILE, { start: { line: 0, character: 0 }, end: { line: source.lineCount, character: 0 } });
    for (let offset = 0; offset <= text.length; offset++) {
      hover(p, FILE, offset, { markdown: offset % 2 === 0 });
      definition(p, FILE, offset);
      references(p, FILE, offset, true);
      completion(p, source, offset, { snippets: offset % 2 === 0, markdown: true });
      try {
        prepareRename(p, FILE, offset);
      } catch (e) {
        expect(e).toBeInstanceOf(ResponseError);
      }
    }
    // The database named inside the string is renamed with its declaration.
    const at = text.indexOf("${ledger-db.host}") + 2;
    expect(Object.values(rename(p, FILE, at, "books").changes ?? {}).flat()).toHaveLength(3);
  });
});
