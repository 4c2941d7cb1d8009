import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatSource } from "../../compiler/format/format.js";
import { lex } from "../../compiler/syntax/lexer.js";
import { parse } from "../../compiler/syntax/parse.js";

const lines = (...ls: string[]): string => ls.map((l) => `${l}\n`).join("");

/**
 * The tree without offsets. Comment texts and doc strings lose trailing white space (the
 * formatter removes it, CRLF's '\r' included); everything else must be identical.
 */
function shape(text: string): unknown {
  const { ast, diagnostics } = parse("t.fin", text);
  expect(diagnostics).toEqual([]);
  const strip = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => strip(x));
    if (typeof v === "string") {
      if (key === "doc") return v.split("\n").map((l) => l.trimEnd()).join("\n");
      if (key === "text") return v.trimEnd();
      return v;
    }
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (k !== "start" && k !== "end" && k !== "pathSpan") out[k] = strip(x, k);
      return out;
    }
    return v;
  };
  return strip(ast);
}

/**
 * Where each comment sits: how many code tokens precede it, and whether code precedes it on
 * its line. The formatter must neither move a comment across code nor join/split it from its line.
 */
function commentAnchors(text: string): [number, boolean][] {
  const { tokens, comments } = lex("t.fin", text);
  const code = tokens.filter((t) => t.tokenType.name !== "Newline");
  return comments.map((c) => [
    code.filter((t) => t.startOffset < c.startOffset).length,
    text.slice(text.lastIndexOf("\n", c.startOffset - 1) + 1, c.startOffset).trim() !== "",
  ]);
}

/** Formats, then checks idempotence, that the tree is unchanged and that comments stay put. */
function fmt(input: string): string {
  const once = formatSource(input);
  expect(once).toBeDefined();
  expect(once!.changed).toBe(once!.text !== input);
  expect(formatSource(once!.text)).toEqual({ text: once!.text, changed: false });
  expect(shape(once!.text)).toEqual(shape(input));
  expect(commentAnchors(once!.text)).toEqual(commentAnchors(input));
  return once!.text;
}

describe("formatSource: literal cases", () => {
  it("aligns field values within a run and writes the canonical layout", () => {
    const input = lines(
      "platform payments {cloud aws",
      "     environments dev ,staging,   prod }",
      "service api is payment-api{",
      '\timage "registry.example.com/payments/api:1.8.0"',
      "  replicas 3 to 30 at cpu 70%   // autoscaled",
      '  config { LOG_LEVEL = "info" }',
      "}",
    );
    expect(fmt(input)).toBe(
      lines(
        "platform payments {",
        "  cloud        aws",
        "  environments dev, staging, prod",
        "}",
        "",
        "service api is payment-api {",
        '  image    "registry.example.com/payments/api:1.8.0"',
        "  replicas 3 to 30 at cpu 70%  // autoscaled",
        "  config {",
        '    LOG_LEVEL = "info"',
        "  }",
        "}",
      ),
    );
  });

  it("resets alignment at blank lines, comment lines and nested blocks", () => {
    const input = lines(
      "service api {",
      "  a 1",
      "  longer-name 2",
      "",
      "  b 3",
      "  cc 4",
      "  // a comment line",
      "  dddd 5",
      "  e 6",
      "  env {",
      "    x.y 1",
      "    zz  2",
      "  }",
      "  ffffff 7",
      "  flag",
      "  g 8",
      "}",
    );
    expect(fmt(input)).toBe(
      lines(
        "service api {",
        "  a           1",
        "  longer-name 2",
        "",
        "  b  3",
        "  cc 4",
        "  // a comment line",
        "  dddd 5",
        "  e    6",
        "  env {",
        "    x.y 1",
        "    zz  2",
        "  }",
        "  ffffff 7",
        "  flag",
        "  g      8",
        "}",
      ),
    );
  });

  it("keeps every comment: doc comments, comment lines, trailing comments", () => {
    const input = lines(
      "// Payments platform   ",
      "/// The platform.",
      "///   Second line.",
      "platform payments { // opens",
      "  /// Which cloud.",
      "  cloud aws  // trailing",
      "      // dangling at the end of a block",
      "} // closes",
      "/// A service.",
      "service api {",
      '  routes "/a", // first',
      "     // between items",
      '     "/b"',
      "}",
      "// the end",
    );
    expect(fmt(input)).toBe(
      lines(
        "// Payments platform",
        "/// The platform.",
        "///   Second line.",
        "platform payments {  // opens",
        "  /// Which cloud.",
        "  cloud aws  // trailing",
        "  // dangling at the end of a block",
        "}  // closes",
        "",
        "/// A service.",
        "service api {",
        '  routes "/a",  // first',
        "    // between items",
        '    "/b"',
        "}",
        "",
        "// the end",
      ),
    );
  });

  it("collapses blank lines and separates declarations by exactly one", () => {
    const input = lines(
      "",
      "",
      'import "fintech/payment-api"',
      'import "./shared.fin"',
      "service a {",
      "",
      "",
      "  x 1",
      "",
      "",
      "",
      "  y 2",
      "",
      "}",
      "service b {}",
      "",
      "",
      "",
      "",
      "service c {",
      "",
      "}",
      "",
      "",
    );
    expect(fmt(input)).toBe(
      lines(
        'import "fintech/payment-api"',
        'import "./shared.fin"',
        "",
        "service a {",
        "  x 1",
        "",
        "  y 2",
        "}",
        "",
        "service b {}",
        "",
        "service c {}",
      ),
    );
  });

  it("turns CRLF into LF and removes trailing white space", () => {
    const input = "platform p {  \r\n  cloud   aws\t\r\n  /// doc  \r\n  region eu-west-1 // c \r\n}\r\n";
    expect(fmt(input)).toBe(lines("platform p {", "  cloud aws", "  /// doc", "  region eu-west-1  // c", "}"));
  });

  it("expands one-line blocks, splits several declarations on one line, keeps {} for empty blocks", () => {
    const input = lines(
      'import "x" platform p { environments dev, prod } service a {',
      "  env { prod { replicas 3 } staging {   } } // env",
      "  route /v1/{id} {",
      "",
      "  }",
      "} service b { }",
    );
    expect(fmt(input)).toBe(
      lines(
        'import "x"',
        "",
        "platform p {",
        "  environments dev, prod",
        "}",
        "",
        "service a {",
        "  env {",
        "    prod {",
        "      replicas 3",
        "    }",
        "    staging {}",
        "  }  // env",
        "  route /v1/{id} {}",
        "}",
        "",
        "service b {}",
      ),
    );
  });

  it("normalizes spacing in lists, dotted names and operators, and indents continuations", () => {
    const input = lines(
      "service api {",
      "  calls ledger . url , [ a,b ] , [ ]",
      "  allow [",
      "        x,",
      "  y, [z,",
      "w]",
      "       ]",
      "  when  cpu   >=   70%  :  scale",
      "  ports 80,",
      "  443, [",
      "  8443",
      "  ]",
      "}",
    );
    expect(fmt(input)).toBe(
      lines(
        "service api {",
        "  calls ledger.url, [a, b], []",
        "  allow [",
        "    x,",
        "    y, [z,",
        "      w]",
        "  ]",
        "  when  cpu >= 70% : scale",
        "  ports 80,",
        "    443, [",
        "      8443",
        "    ]",
        "}",
      ),
    );
  });

  it("keeps tokens verbatim: strings with escapes, comment-like strings, units, paths", () => {
    const input = lines(
      "service api {",
      '  note   "a \\"quoted\\" // not a comment {}"',
      "  limits 500m, 2Gi, 100/s",
      "  path   /v1/payments/{id}",
      "}",
    );
    expect(fmt(input)).toBe(input);
    expect(formatSource(input)!.changed).toBe(false);
  });

  it("leaves empty and comment-only files alone", () => {
    expect(formatSource("")).toEqual({ text: "", changed: false });
    expect(formatSource("\n\n")).toEqual({ text: "", changed: true });
    expect(fmt("// just a comment")).toBe("// just a comment\n");
  });

  it("refuses to format code with syntax errors", () => {
    for (const broken of [
      "service a {\n  x 1\n",
      "service a {\n  x 1\n}}\n",
      "service a {\n  x @\n}\n",
      'service a {\n  image "unterminated\n}\n',
      "service a\n{\n}\n",
      "service a { x 1, }\n",
      "x 1\n",
    ]) {
      expect(formatSource(broken), broken).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random valid specs, written with random layout, format idempotently to the same tree.

type GAtom =
  | { readonly k: "text"; readonly v: string }
  | { readonly k: "word"; readonly parts: readonly string[] }
  | { readonly k: "list"; readonly items: readonly GTerm[] };
type GTerm = readonly GAtom[];

interface GMember {
  readonly path: readonly string[];
  readonly terms: readonly GTerm[];
  readonly block: readonly GMember[] | null;
  readonly doc: readonly string[];
  readonly lead: string | null;
  readonly trail: string | null;
  readonly open: string | null;
  readonly blank: boolean;
}

interface GDecl {
  readonly keyword: string;
  readonly name: string | null;
  readonly head: { readonly is: readonly string[] } | { readonly for: string } | null;
  readonly members: readonly GMember[];
  readonly doc: readonly string[];
  readonly lead: string | null;
  readonly trail: string | null;
  readonly open: string | null;
}

interface GSpec {
  readonly imports: readonly { readonly path: string; readonly trail: string | null }[];
  readonly decls: readonly GDecl[];
}

const name = fc.constantFrom("api", "ledger", "eu-west-1", "payment-api", "LOG_LEVEL", "db_url", "x", "cpu", "team-a2");
const fieldName = fc.constantFrom("image", "replicas", "cpu", "env", "config", "A", "timeout-ms", "routes", "staging");
const commentText = fc.constantFrom("note", "TODO: fix {this}", 'with "quotes"', "trailing   ", "\ttab", "", "// nested", "💳 card");
const textAtom = fc.constantFrom(
  '"info"', '"a b"', '"registry.example.com/api:1.0"', '"// not a comment"', '"{x}"', '"q \\" q"', '""', '"💳"',
  "3", "1.5", "500m", "2Gi", "70%", "100/s", "30s",
  "/", "/v1/payments", "/v1/{id}",
  "=", "<=", ">=", "<", ">", "!=", ":",
);
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null, freq: 2 });
/** Comments are present one time in four, so that runs of fields and one-line blocks also occur. */
const someComment = fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: commentText });
const someDoc = fc.oneof(
  { weight: 3, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.array(commentText, { minLength: 1, maxLength: 2 }) },
);

const termArb = (depth: number): fc.Arbitrary<GTerm> =>
  fc.array(atomArb(depth), { minLength: 1, maxLength: 3 });
const atomArb = (depth: number): fc.Arbitrary<GAtom> => {
  const base: fc.Arbitrary<GAtom>[] = [
    textAtom.map((v): GAtom => ({ k: "text", v })),
    fc.array(name, { minLength: 1, maxLength: 2 }).map((parts): GAtom => ({ k: "word", parts })),
  ];
  if (depth > 0) base.push(fc.array(termArb(depth - 1), { maxLength: 3 }).map((items): GAtom => ({ k: "list", items })));
  return fc.oneof(...base);
};

const memberArb = (depth: number): fc.Arbitrary<GMember> =>
  fc.record({
    path: fc.array(fieldName, { minLength: 1, maxLength: 2 }),
    terms: fc.array(termArb(1), { maxLength: 3 }),
    block: depth > 0 ? opt(fc.array(memberArb(depth - 1), { maxLength: 3 })) : fc.constant(null),
    doc: someDoc,
    lead: someComment,
    trail: someComment,
    open: someComment,
    blank: fc.boolean(),
  });

const declArb: fc.Arbitrary<GDecl> = fc.record({
  keyword: fc.constantFrom("platform", "service", "database", "queue", "pattern"),
  name: opt(name),
  head: opt(
    fc.oneof(
      fc.array(name, { minLength: 1, maxLength: 2 }).map((is) => ({ is })),
      name.map((f) => ({ for: f })),
    ),
  ),
  members: fc.array(memberArb(2), { maxLength: 4 }),
  doc: someDoc,
  lead: someComment,
  trail: someComment,
  open: someComment,
});

const specArb: fc.Arbitrary<GSpec> = fc.record({
  imports: fc.array(fc.record({ path: fc.constantFrom('"fintech/payment-api"', '"./shared.fin"'), trail: someComment }), {
    maxLength: 2,
  }),
  decls: fc.array(declArb, { minLength: 1, maxLength: 3 }),
});

/** Writes a spec with layout chosen by `noise`: spacing, indentation, blank lines, one-line blocks. */
function write(spec: GSpec, noise: readonly number[], crlf: boolean): string {
  let n = 0;
  const r = (): number => noise[n++ % noise.length]!;
  const eolText = crlf ? "\r\n" : "\n";
  const sp = (): string => [" ", "  ", "\t", " \t "][r() % 4]!;
  const osp = (): string => ["", " ", ""][r() % 3]!;
  const eol = (): string => (r() % 5 === 0 ? " " : "") + eolText;
  const ind = (depth: number): string => (r() % 5 === 0 ? ["", " ", "\t"][r() % 3]! : "  ".repeat(depth));
  const blanks = (): string => eolText.repeat(r() % 3);
  const comment = (c: string): string => `// ${c}`;

  // `inline`: no line breaks allowed (inside a one-line block).
  const atom = (a: GAtom, depth: number, inline: boolean): string => {
    if (a.k === "text") return a.v;
    if (a.k === "word") return a.parts.join(r() % 3 === 0 ? " . " : ".");
    const broken = !inline && a.items.length > 0 && r() % 3 === 0;
    const open = broken ? `[${eol()}${ind(depth + 1)}` : `[${osp()}`;
    const close = broken ? `${eol()}${ind(depth)}]` : `${osp()}]`;
    return open + terms(a.items, depth + 1, inline) + close;
  };
  const term = (t: GTerm, depth: number, inline: boolean): string => t.map((a) => atom(a, depth, inline)).join(sp());
  const terms = (ts: readonly GTerm[], depth: number, inline: boolean): string =>
    ts.length === 0
      ? ""
      : ts
      .map((t) => term(t, depth, inline))
      .reduce((acc, t) => {
        const brk = !inline && r() % 4 === 0;
        return `${acc}${osp()},${brk ? `${eol()}${ind(depth + 1)}` : osp()}${t}`;
      });
  const inlineable = (ms: readonly GMember[]): boolean =>
    ms.length === 1 &&
    ms[0]!.doc.length === 0 && ms[0]!.lead === null && ms[0]!.trail === null &&
    (ms[0]!.block === null || ms[0]!.block.length === 0 || inlineable(ms[0]!.block));
  const block = (ms: readonly GMember[], open: string | null, depth: number, inline: boolean): string => {
    if (ms.length === 0) return ["{}", "{ }", `{${eolText}${ind(depth)}}`, `{${eolText}${eolText}}`][inline ? r() % 2 : r() % 4]!;
    if (inline || (inlineable(ms) && r() % 2 === 0)) return `{${osp()}${memberText(ms[0]!, depth + 1, true)}${sp()}}`;
    const head = open !== null ? `{${sp()}${comment(open)}${eol()}` : `{${eol()}`;
    return `${head}${ms.map((m) => memberLines(m, depth + 1)).join("")}${ind(depth)}}`;
  };
  const memberText = (m: GMember, depth: number, inline: boolean): string => {
    let s = m.path.join(r() % 3 === 0 ? " . " : ".");
    if (m.terms.length > 0) s += sp() + terms(m.terms, depth, inline);
    if (m.block !== null) s += sp() + block(m.block, m.open, depth, inline);
    return s;
  };
  const docs = (doc: readonly string[], depth: number): string =>
    doc.map((d) => `${ind(depth)}///${d === "" ? "" : ` ${d}`}${eol()}`).join("");
  const memberLines = (m: GMember, depth: number): string =>
    (m.blank ? blanks() : "") +
    (m.lead !== null ? `${ind(depth)}${comment(m.lead)}${eol()}` : "") +
    docs(m.doc, depth) +
    ind(depth) + memberText(m, depth, false) + (m.trail !== null ? sp() + comment(m.trail) : "") + eol();

  let out = blanks();
  for (const i of spec.imports) out += `import${sp()}${i.path}${i.trail !== null ? sp() + comment(i.trail) : ""}${eol()}`;
  for (const d of spec.decls) {
    out += blanks();
    if (d.lead !== null) out += comment(d.lead) + eol();
    out += docs(d.doc, 0);
    let head = d.keyword;
    if (d.name !== null) head += sp() + d.name;
    if (d.head !== null) head += "is" in d.head ? `${sp()}is${sp()}${d.head.is.join(".")}` : `${sp()}for${sp()}${d.head.for}`;
    out += `${head}${osp()}${block(d.members, d.open, 0, false)}${d.trail !== null ? sp() + comment(d.trail) : ""}${eol()}`;
  }
  return out + blanks();
}

describe("formatSource: properties", () => {
  it("is idempotent and preserves the tree on random valid specs", () => {
    fc.assert(
      fc.property(
        specArb,
        fc.array(fc.nat(59), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (spec, noise, crlf) => {
          const input = write(spec, noise, crlf);
          expect(parse("t.fin", input).diagnostics).toEqual([]);
          const once = formatSource(input);
          expect(once).toBeDefined();
          const text = once!.text;
          expect(formatSource(text)).toEqual({ text, changed: false });
          expect(shape(text)).toEqual(shape(input));
          expect(commentAnchors(text)).toEqual(commentAnchors(input));
          expect(text).not.toMatch(/\r|[ \t]\n|\n\n\n/);
          expect(text.endsWith("\n") && !text.endsWith("\n\n") && !text.startsWith("\n")).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("refuses random specs with an unbalanced brace", () => {
    fc.assert(
      fc.property(specArb, fc.array(fc.nat(59), { minLength: 1, maxLength: 40 }), (spec, noise) => {
        const input = write(spec, noise, false);
        const braces = lex("t.fin", input).tokens.filter((t) => t.image === "}");
        const cut = braces[braces.length - 1]!.startOffset;
        expect(formatSource(input.slice(0, cut) + input.slice(cut + 1))).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
