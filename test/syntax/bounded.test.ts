import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { compileSources, diagnosticsOf, REPO } from "../helpers/compile.js";
import { parse } from "../../compiler/syntax/parse.js";
import { createSourceFile } from "../../compiler/syntax/source-file.js";
import { formatSource } from "../../compiler/format/format.js";

/** Bounded, honest diagnostics (issue 8, item 7): the syntax layer never crashes and never floods. */

const HEAD = 'platform p {\n  environments dev\n}\nnamespace apps {}\nservice a {\n  image "r.io/a:1"\n  port 80\n';
const TAIL = '}\nservice b {\n  imag "r.io/b:1"\n  port 80\n}\n';
const codes = (text: string): string[] => parse("x.fin", text).diagnostics.map((d) => d.code);

describe("deep nesting is a diagnostic, never a stack overflow", () => {
  const deepList = `${HEAD}  command ${"[".repeat(10_000)}\n${TAIL}`;

  it('"FIN1004" at the first `[` beyond 32 levels (the service block is level 1)', () => {
    const { diagnostics } = parse("x.fin", deepList);
    const deep = diagnostics.filter((d) => d.code === "FIN1004");
    expect(deep).toHaveLength(1);
    const first = deepList.indexOf("[");
    expect(deep[0]!.range).toEqual({ file: "x.fin", start: first + 31, end: first + 32 });
  });

  it("the declarations after the runaway line are still read and checked", () => {
    const found = diagnosticsOf({ "main.fin": deepList });
    expect(found).toContainEqual({ code: "FIN1004", text: "[", line: 8 });
    expect(found).toContainEqual({ code: "FIN2003", text: "imag", line: 11 });
  });

  it('"FIN1004" for 10,000 nested blocks too', () => {
    const text = `${HEAD}${"  x {\n".repeat(10_000)}${TAIL}`;
    const deep = parse("x.fin", text).diagnostics.filter((d) => d.code === "FIN1004");
    expect(deep).toHaveLength(1);
    // Level 1 is the service; the 32nd `x {` opens level 33.
    expect(createSourceFile("x.fin", text).positionOf(deep[0]!.range.start).line).toBe(7 + 31);
  });

  it("32 levels are accepted, parsed and formatted", () => {
    const text = `${HEAD}  command ${"[".repeat(31)}"a"${"]".repeat(31)}\n}\n`;
    expect(codes(text).filter((c) => c.startsWith("FIN1"))).toEqual([]);
    expect(formatSource(text)).toBeDefined();
  });

  it("the formatter refuses deep nesting without throwing", () => {
    expect(formatSource(deepList)).toBeUndefined();
    expect(formatSource(`a ${"[".repeat(100_000)}`)).toBeUndefined();
  });

  it("the parser still works after a deep file (it is one reused instance)", () => {
    parse("x.fin", deepList);
    const example = readFileSync(resolve(REPO, "examples/payments/services.fin"), "utf8");
    expect(parse("services.fin", example).diagnostics).toEqual([]);
  });
});

describe("huge and garbage input stays bounded", () => {
  it("an 8 MB string, dashed name or path lexes without overflowing V8's regular-expression stack", () => {
    // A regular expression that repeats a group per character overflows at a few million repetitions.
    for (const value of [`"${"a".repeat(1 << 23)}"`, `"${"\\a".repeat(1 << 22)}"`, `a${"-a".repeat(1 << 22)}`, `/${"a/".repeat(1 << 22)}`]) {
      const text = `${HEAD}  image ${value}\n}\n`;
      expect(() => parse("x.fin", text)).not.toThrow();
    }
  });

  it("a message quotes at most the start of a huge token", () => {
    const text = `"${"x".repeat(1 << 20)}"\n`;
    const { diagnostics } = parse("x.fin", text);
    expect(diagnostics.map((d) => d.code)).toEqual(["FIN1003"]);
    expect(diagnostics[0]!.message.length).toBeLessThan(100);
  });

  it("at most 1000 syntax errors per file, then one saying how many more follow", () => {
    const text = "$ ".repeat(5000);
    const { diagnostics } = parse("x.fin", text);
    expect(diagnostics.length).toBeLessThanOrEqual(1001);
    expect(diagnostics[diagnostics.length - 1]!.message).toMatch(/finc stopped reading this file|more syntax errors follow/);
  });

  it("random bytes: the lexer stops after 1000 invalid characters and says so", () => {
    let seed = 7;
    const bytes = Buffer.alloc(2 << 20, 0).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0xff);
    const text = Buffer.from(bytes).toString("latin1");
    const { diagnostics } = parse("x.fin", text);
    expect(diagnostics.length).toBeLessThanOrEqual(1001);
    const last = diagnostics[diagnostics.length - 1]!;
    expect(last.code).toBe("FIN1003");
    expect(last.range.end).toBe(text.length);
    for (const d of diagnostics) expect(d.message.length).toBeLessThan(200);
  });

  it("token soup stops costing time after 1000 errors: finc says where it stopped reading", () => {
    const soup = "service } ] = \"x\" 3 {\n".repeat(200_000);
    const { diagnostics, ast } = parse("x.fin", soup);
    expect(diagnostics.length).toBeLessThanOrEqual(1001);
    const last = diagnostics[diagnostics.length - 1]!;
    expect(last.message).toMatch(/^finc stopped reading this file here|more syntax errors follow/);
    expect(last.range.end).toBe(soup.length);
    expect(ast.declarations.length).toBeLessThan(5000);
  });

  it("a large valid spec parses completely, in order (it is parsed in chunks)", () => {
    const one = (i: number) => `/// Service ${i}\nservice s${i} {\n  image "r.io/s:${i}"\n  port http 8080\n  env {\n    prod { replicas 3 }\n  }\n  config [a, [b, c]]\n}\n\n`;
    const text = Array.from({ length: 3000 }, (_, i) => one(i)).join("");
    const { diagnostics, ast } = parse("x.fin", text);
    expect(diagnostics).toEqual([]);
    expect(ast.declarations.map((d) => d.name?.text)).toEqual(Array.from({ length: 3000 }, (_, i) => `s${i}`));
    const single = parse("x.fin", one(2999)).ast.declarations[0]!;
    const last = ast.declarations[2999]!;
    const shift = last.start - single.start;
    expect(last.doc).toBe(single.doc);
    expect(last.body.members.map((m) => [m.path[0]!.text, m.start - shift, m.end - shift])).toEqual(single.body.members.map((m) => [m.path[0]!.text, m.start, m.end]));
  });

  it("a long run of invalid characters is one error that names its first characters", () => {
    const text = `${HEAD}  ${"€".repeat(10_000)}\n}\n`;
    const d = parse("x.fin", text).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: "FIN1001", range: { start: text.indexOf("€"), end: text.indexOf("€") + 10_000 } });
    expect(d[0]!.message.length).toBeLessThan(100);
  });
});

describe("CR-only line endings are lines", () => {
  it("the source file counts \\r, \\r\\n and \\n as one line break each", () => {
    const s = createSourceFile("x.fin", "a\rb\r\nc\nd");
    expect(s.lineCount).toBe(4);
    expect([0, 1, 2, 3].map((l) => s.lineText(l))).toEqual(["a", "b", "c", "d"]);
    expect(s.positionOf(5)).toEqual({ line: 2, character: 0 });
    expect(s.offsetOf(1, 99)).toBe(3);
    expect(s.offsetOf(0, 99)).toBe(1);
  });

  const spec = 'platform p {\n  environments dev\n}\nnamespace apps {}\nservice a {\n  image "r.io/a:1"\n  port 80\n  replcas 3\n}\n';

  it("a CR-only spec parses exactly like the LF one", () => {
    const lf = parse("x.fin", spec);
    const cr = parse("x.fin", spec.replaceAll("\n", "\r"));
    expect(cr.diagnostics).toEqual([]);
    const shape = (r: typeof lf) => r.ast.declarations.map((d) => [d.keyword.text, d.name?.text, d.body.members.map((m) => m.path[0]!.text)]);
    expect(shape(cr)).toEqual(shape(lf));
  });

  it("diagnostics in a CR-only or CRLF spec are on the right line", () => {
    for (const eol of ["\r", "\r\n"]) {
      expect(diagnosticsOf({ "main.fin": spec.replaceAll("\n", eol) })).toEqual([{ code: "FIN2003", text: "replcas", line: 8 }]);
    }
  });

  it("a // comment ends at a lone \\r", () => {
    const text = "// note\rplatform p {\r  environments dev\r}\r";
    const { ast, diagnostics } = parse("x.fin", text);
    expect(diagnostics).toEqual([]);
    expect(ast.declarations.map((d) => d.keyword.text)).toEqual(["platform"]);
  });
});

describe("an empty or comment-only spec has nothing to build", () => {
  it('"FIN2013" for an empty file, not "missing platform"', () => {
    expect(diagnosticsOf({ "main.fin": "" })).toEqual([{ code: "FIN2013", text: "", line: 1 }]);
  });

  it('"FIN2013" once for files that hold only comments and blank lines', () => {
    expect(diagnosticsOf({ "a.fin": "// nothing yet\n\n/// doc\n", "b.fin": "\r\n  \t\n" }).map((d) => d.code)).toEqual(["FIN2013"]);
  });

  it('"FIN2013" for a spec that only imports', () => {
    expect(diagnosticsOf({ "main.fin": 'import "fintech/payment-api"\n' }).map((d) => d.code)).toEqual(["FIN2013"]);
  });

  it("a file with syntax errors only reports those", () => {
    expect(diagnosticsOf({ "main.fin": "$\n" }).map((d) => d.code)).toEqual(["FIN1001"]);
  });

  it("a declaration without a platform is still FIN2010", () => {
    expect(diagnosticsOf({ "main.fin": "namespace apps {}\n" }).map((d) => d.code)).toEqual(["FIN2010"]);
  });

  it("the empty spec is an error", () => {
    expect(compileSources({ "main.fin": "// todo\n" }).diagnostics[0]!.severity).toBe("error");
  });
});
