import { describe, expect, it } from "vitest";
import { createSourceFile } from "../../compiler/syntax/source-file.js";
import { formatting } from "../../language-server/src/features/formatting.js";
import { copyExample, startClient } from "./lsp-harness.js";

const MESSY = "namespace apps {\nsecurity restricted\n  quota cpu 4\n}\n";

describe("formatting honours the client's indentation settings", () => {
  const format = (insertSpaces: boolean, tabSize: number): string => formatting(createSourceFile("/x.fin", MESSY), { insertSpaces, tabSize })[0]!.newText;
  it("two spaces by default, as `finc fmt` writes", () => expect(formatting(createSourceFile("/x.fin", MESSY))[0]!.newText).toBe("namespace apps {\n  security restricted\n  quota    cpu 4\n}\n"));
  it("tabs when the editor indents with tabs", () => expect(format(false, 4)).toBe("namespace apps {\n\tsecurity restricted\n\tquota    cpu 4\n}\n"));
  it("tabSize spaces", () => expect(format(true, 4)).toBe("namespace apps {\n    security restricted\n    quota    cpu 4\n}\n"));
});

describe("after shutdown", () => {
  it("requests get InvalidRequest (-32600), as the protocol says", async () => {
    const ws = copyExample();
    const client = await startClient(ws.dir);
    try {
      const uri = ws.uri("payments.fin");
      await client.request("shutdown", null);
      const error = await client.request("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 0 } }).then(
        () => undefined,
        (e: { code?: number }) => e,
      );
      expect(error?.code).toBe(-32600);
    } finally {
      client.notify("exit", null);
      await client.stop();
      ws.dispose();
    }
  });
});
