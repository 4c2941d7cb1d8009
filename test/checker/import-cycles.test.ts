import { describe, expect, it } from "vitest";
import { diagnosticsOf, PLATFORM } from "../helpers/compile.js";

describe("import cycles and self-imports", () => {
  it('"FIN2015": a file that imports itself, on the import\'s path', () => {
    const d = diagnosticsOf({ "main.fin": `import "./main.fin"\n${PLATFORM}` });
    expect(d.filter((x) => x.code === "FIN2015")).toEqual([{ code: "FIN2015", text: '"./main.fin"', line: 1 }]);
  });

  it("a cycle through two files is reported once, at the import that leads back", () => {
    const d = diagnosticsOf({ "a.fin": `import "./b.fin"\n${PLATFORM}`, "b.fin": `import "./a.fin"\nnamespace other {}\n` });
    expect(d.filter((x) => x.code === "FIN2015")).toEqual([{ code: "FIN2015", text: '"./a.fin"', line: 1 }]);
  });

  it("a diamond (two files importing a third) is not a cycle", () => {
    const d = diagnosticsOf({
      "main.fin": `import "./b.fin"\nimport "./c.fin"\n${PLATFORM}`,
      "b.fin": `import "./c.fin"\nnamespace b {}\n`,
      "c.fin": `namespace c {}\n`,
    });
    expect(d.filter((x) => x.code === "FIN2015")).toEqual([]);
  });
});
