import { describe, expect, it } from "vitest";
import { SymbolKind, type MarkupContent } from "vscode-languageserver";
import { completion } from "../../language-server/src/features/completion.js";
import { documentSymbols } from "../../language-server/src/features/document-symbols.js";
import { hover } from "../../language-server/src/features/hover.js";
import { compileSources, PLATFORM, VIRTUAL } from "../helpers/compile.js";

/** The editor knows `worker`, `job` and `cronjob` from their field specs: keywords, fields, hover, outline. */
const TEXT = `${PLATFORM}worker fraud-consumer {
  image "r.io/fraud:1.0.0"
  metrics 9102
}
cronjob settlement {
  image "r.io/settle:1.0.0"
  schedule "0 22 * * 1-5"
  concurrency forbid
}
job seed {
  image "r.io/seed:1.0.0"
}
`;
const PATH = `${VIRTUAL}/main.fin`;
const program = compileSources({ "main.fin": TEXT });
const source = program.getSourceFile(PATH)!;
const labels = (text: string, at: string, delta = 0) => {
  const src = compileSources({ "main.fin": text }).getSourceFile(PATH)!;
  return completion(program, src, text.indexOf(at) + delta, { snippets: false, markdown: false }).map((i) => i.label);
};

describe("language server: workers and jobs", () => {
  it("compiles cleanly (the fixture is valid)", () => expect(program.diagnostics.map((d) => d.code)).toEqual([]));

  it("offers the new declaration keywords at the top level", () => {
    expect(labels(`${TEXT}cron`, "cron", 4)).toContain("cronjob");
    expect(labels(`${TEXT}wor`, "wor", 3)).toContain("worker");
  });

  it("offers a kind's own fields and leaves out the refused ones", () => {
    const text = TEXT.replace("  metrics 9102\n", "  metrics 9102\n  \n");
    const worker = labels(text, "9102\n  \n", 7);
    expect(worker).toEqual(expect.arrayContaining(["health", "scale", "calls", "secret"]));
    expect(worker).not.toContain("port");
    expect(worker).not.toContain("expose");
    const cron = labels(TEXT.replace("  concurrency forbid\n", "  concurrency forbid\n  \n"), "forbid\n  \n", 9);
    expect(cron).toEqual(expect.arrayContaining(["timezone", "starting-deadline", "history", "suspend", "backoff", "timeout", "restart"]));
    expect(cron).not.toContain("replicas");
    expect(labels(TEXT.replace("  concurrency forbid\n", "  concurrency \n"), "concurrency \n", 12)).toEqual(["forbid", "replace", "allow"]);
  });

  it("hovers a field with its doc: concurrency forbid says why runs never overlap", () => {
    const h = hover(program, PATH, TEXT.indexOf("concurrency") + 2, { markdown: true });
    const text = (h?.contents as MarkupContent).value;
    expect(text).toContain("must never overlap");
  });

  it("lists them in the outline", () => {
    const symbols = documentSymbols(program, PATH).filter((s) => ["fraud-consumer", "settlement", "seed"].includes(s.name));
    expect(symbols.map((s) => [s.name, s.detail, s.kind])).toEqual([
      ["fraud-consumer", "worker", SymbolKind.Class],
      ["settlement", "cronjob", SymbolKind.Event],
      ["seed", "job", SymbolKind.Event],
    ]);
    expect(source.text).toContain("job seed");
  });
});
