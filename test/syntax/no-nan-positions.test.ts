import { describe, expect, it } from "vitest";
import { lex } from "../../compiler/syntax/lexer.js";
import { NO_POSITION, parser } from "../../compiler/syntax/parser.js";

/**
 * Chevrotain's error recovery inserts tokens with NaN offsets. The parser must never copy
 * one into a syntax node, not even into a node parse() drops afterwards: one NaN stored in a
 * field makes V8 keep that field as a boxed double in every object of the same shape, and in
 * every range copied from them (at 10,000 services, tens of MB of the build's memory).
 */
const BROKEN = [
  "import\nservice api { }\n",                       // import without a path
  "service api is { }\n",                            // `is` without a base
  "service api for { }\n",                           // `for` without a kind
  "service api {\n  calls [a, b\n}\n",               // unclosed list
  "service api {\n  calls [a,\n}\n",                 // list cut after a comma
  "service api {\n  expose a.\n}\n",                 // dotted word cut
  "platform p {\n  environments [dev,\n}\n",         // list cut at the block's end
];

function numbers(v: unknown, path: string, out: [string, number][]): void {
  if (typeof v === "number") out.push([path, v]);
  else if (Array.isArray(v)) v.forEach((x, i) => numbers(x, `${path}[${i}]`, out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k !== "tokenType") numbers(x, `${path}.${k}`, out);
}

describe("syntax nodes never hold NaN positions", () => {
  for (const text of BROKEN) {
    it(JSON.stringify(text), () => {
      parser.input = lex("/t.fin", text).tokens;
      parser.strays = [];
      const raw = parser.file();
      expect(parser.errors.length).toBeGreaterThan(0); // recovery did run
      expect(raw.declarations.length + raw.imports.length).toBeGreaterThan(0);
      const found: [string, number][] = [];
      numbers({ imports: raw.imports, declarations: raw.declarations }, "file", found);
      expect(found.filter(([, n]) => !Number.isInteger(n) || Object.is(n, -0))).toEqual([]);
      // Every position is a real offset or the marker of a node built from an inserted token.
      expect(found.every(([, n]) => n >= 0 || n === NO_POSITION)).toBe(true);
    });
  }
});
