import { expect, it } from "vitest";
import { compileSources } from "../helpers/compile.js";

it("reports five different errors in one run, each with its exact range", () => {
  const spec = [
    "platform p {",                       // 1
    "  environments dev",                 // 2
    "}",                                  // 3
    "namespace apps {",                   // 4
    "  security strict",                  // 5  FIN3007 at 'strict'
    "}",                                  // 6
    "service api {",                      // 7
    '  image "r.io/api:1.0"',             // 8
    "  port http 8080",                   // 9
    "  replcas 3",                        // 10 FIN2003 at 'replcas'
    "  cpu 2 to 500m",                    // 11 FIN3005 at '2 to 500m'
    "  calls ledgr",                      // 12 FIN2004 at 'ledgr'
    "}",                                  // 13
    "service ledger {",                   // 14
    "  port http 8080",                   // 15 FIN3003: no image (at 'ledger' on 14)
    "}",
  ].join("\n");
  const program = compileSources({ "main.fin": spec });
  const src = program.getSourceFile("/virtual/main.fin")!;
  const found = program.diagnostics.map((d) => {
    const s = src.positionOf(d.range.start);
    const e = src.positionOf(d.range.end);
    return `${d.code} ${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}`;
  });
  expect(found).toEqual([
    "FIN3007 5:12-5:18",
    "FIN2003 10:3-10:10",
    "FIN3005 11:7-11:16",
    "FIN2004 12:9-12:14",
    "FIN3003 14:9-14:15",
  ]);
});

it("reports several syntax errors from one file, not just the first", () => {
  const spec = "platform p {\n  environments dev\n}\nservice a {\n  image = \n  port 80 ]\n}\n}\nservice b {\n  port 80 $\n}\n";
  const program = compileSources({ "main.fin": spec });
  const syntax = program.diagnostics.filter((d) => d.code.startsWith("FIN1"));
  expect(syntax.length).toBeGreaterThanOrEqual(3);
  const lines = syntax.map((d) => program.getSourceFile(d.range.file)!.positionOf(d.range.start).line + 1);
  expect(new Set(lines).size).toBe(lines.length);
});
