import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { compileSources, REPO } from "../helpers/compile.js";
import { parse } from "../../compiler/syntax/parse.js";

/** Property tests: no input makes the parser or checker throw, and every range lies inside its file. */
const example = readFileSync(resolve(REPO, "examples/payments/services.fin"), "utf8");
const platform = readFileSync(resolve(REPO, "examples/payments/platform.fin"), "utf8");

const fragments = ["service", "database", "platform", "environment", "pattern", "is", "for", "import", "{", "}", "[", "]", ",", ".", "=", "<", "\n", " ", '"', '"x"', "//", "///", "3", "500m", "2Gi", "30s", "70%", "100/s", "to", "at", "from", "/v1", "api", "ledger.url", "replicas", "é", "\t", "\r\n", "$"];

function checkProgram(files: Record<string, string>): void {
  const program = compileSources(files);
  for (const d of program.diagnostics) {
    const text = files[d.range.file.replace("/virtual/", "")];
    if (text === undefined) continue; // a stdlib file
    expect(d.range.start).toBeGreaterThanOrEqual(0);
    expect(d.range.end).toBeGreaterThanOrEqual(d.range.start);
    expect(d.range.end).toBeLessThanOrEqual(text.length);
    expect(d.code).toMatch(/^FIN\d{4}$/);
    expect(d.message.length).toBeGreaterThan(0);
  }
}

describe("parser and checker never throw", () => {
  it("on random text built from the language's tokens", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 80 }), (parts) => {
        checkProgram({ "main.fin": parts.join(" ") });
      }),
      { numRuns: 400 },
    );
  });

  it("on arbitrary unicode strings", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (s) => checkProgram({ "main.fin": s })), { numRuns: 300 });
  });

  it("on the example with random deletions, insertions and duplications", () => {
    const mutation = fc.record({ at: fc.nat(), len: fc.nat({ max: 40 }), insert: fc.constantFrom("", ...fragments), dup: fc.boolean() });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (ms) => {
        let text = example;
        for (const m of ms) {
          const at = m.at % (text.length + 1);
          const cut = text.slice(at, at + m.len);
          text = text.slice(0, at) + m.insert + (m.dup ? cut + cut : "") + text.slice(at + m.len);
        }
        checkProgram({ "platform.fin": platform, "services.fin": text });
      }),
      { numRuns: Number(process.env["FUZZ_RUNS"] ?? 300) },
    );
  });

  it("parse keeps node ranges ordered and inside the text", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 60 }), (parts) => {
        const text = parts.join(" ");
        const { ast } = parse("x.fin", text);
        for (const d of ast.declarations) {
          expect(d.start).toBeLessThanOrEqual(d.end);
          expect(d.end).toBeLessThanOrEqual(text.length);
          for (const m of d.body.members) {
            expect(m.start).toBeGreaterThanOrEqual(d.start);
            expect(m.end).toBeLessThanOrEqual(text.length);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
