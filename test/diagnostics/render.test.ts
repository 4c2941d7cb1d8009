import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import type { Diagnostic, SourceRange } from "../../compiler/diagnostics/diagnostic.js";
import { diag, messages } from "../../compiler/diagnostics/messages.js";
import { renderDiagnostics, summarize } from "../../compiler/diagnostics/render-text.js";
import { toJsonReport } from "../../compiler/diagnostics/render-json.js";
import { toSarif } from "../../compiler/diagnostics/render-sarif.js";
import { createSourceFile, type SourceFile } from "../../compiler/syntax/source-file.js";

const CWD = "/work/proj";
const MAIN = "/work/proj/examples/payments/main.fin";

const mainText = [
  "platform payments {",
  "  environments dev, prod",
  "}",
  "",
  "service api {",
  "  cpu      4 to 2",
  "  memory   1Gi",
  "  port     8080",
  "  replicas 2",
  "  team     payments",
  '  image    "registry.example.com/api"',
  "}",
  "",
].join("\n");

function lookup(...files: SourceFile[]): (path: string) => SourceFile | undefined {
  const map = new Map(files.map((f) => [f.path, f]));
  return (path) => map.get(path);
}

/** The range of the `nth` occurrence of `needle` in `text`. */
function rangeOf(file: string, text: string, needle: string, nth = 0): SourceRange {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' not found`);
  }
  return { file, start: at, end: at + needle.length };
}

/** Line/column computed from scratch (not through SourceFile), 1-based, UTF-16 units. */
function naiveLineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}

const main = createSourceFile(MAIN, mainText);
const sources = lookup(main);
const requestOverLimit = diag(
  "FIN3005",
  rangeOf(MAIN, mainText, "4 to 2"),
  { resource: "cpu", request: 4, limit: 2 },
  { related: [{ message: "in service 'api'", range: rangeOf(MAIN, mainText, "service api") }] },
);
const mutableTag = diag("FIN4007", rangeOf(MAIN, mainText, '"registry.example.com/api"'), {
  image: "registry.example.com/api",
});
// Given out of order on purpose: every renderer sorts by file and position.
const twoDiagnostics: Diagnostic[] = [mutableTag, requestOverLimit];

describe("renderDiagnostics (text)", () => {
  it("renders the rustc-style report with a summary", () => {
    const expected = [
      "error[FIN3005]: The cpu request 4 is greater than its limit 2.",
      " --> examples/payments/main.fin:6:12",
      "  |",
      "6 |   cpu      4 to 2",
      "  |            ^^^^^^",
      "  = hint: Write `cpu <request> to <limit>` with request ≤ limit.",
      "  = note: examples/payments/main.fin:5:1: in service 'api'",
      "",
      "warning[FIN4007]: Image 'registry.example.com/api' uses the mutable tag 'latest' or no tag.",
      "  --> examples/payments/main.fin:11:12",
      "   |",
      '11 |   image    "registry.example.com/api"',
      "   |            ^^^^^^^^^^^^^^^^^^^^^^^^^^",
      "   = hint: Pin a version tag or a sha256 digest.",
      "",
      "1 error, 1 warning",
      "",
    ].join("\n");
    expect(renderDiagnostics(twoDiagnostics, sources, { color: false, cwd: CWD })).toBe(expected);
  });

  it("shows the path as given without cwd", () => {
    const out = renderDiagnostics([requestOverLimit], sources, { color: false });
    expect(out).toContain(` --> ${MAIN}:6:12\n`);
  });

  it("uses ANSI colours only when asked", () => {
    const plain = renderDiagnostics(twoDiagnostics, sources, { color: false, cwd: CWD });
    const coloured = renderDiagnostics(twoDiagnostics, sources, { color: true, cwd: CWD });
    expect(plain).not.toMatch(/\x1b\[/);
    expect(coloured).toContain("\x1b[1;31merror[FIN3005]\x1b[0m");
    expect(coloured).toContain("\x1b[1;33mwarning[FIN4007]\x1b[0m");
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, "")).toBe(plain);
    const info: Diagnostic = { ...mutableTag, severity: "info" };
    expect(renderDiagnostics([info], sources, { color: true })).toContain("\x1b[1;34minfo[FIN4007]\x1b[0m");
  });

  it("keeps tabs so the carets line up, and underlines at least one character", () => {
    const text = "service a {\n\tcpu\t4 to 2\n}\n";
    const f = createSourceFile("t.fin", text);
    const at = text.indexOf("4 to 2");
    const one = renderDiagnostics(
      [{ code: "FIN3005", severity: "error", message: "m", range: { file: "t.fin", start: at, end: at + 6 } }],
      lookup(f),
      { color: false },
    );
    expect(one).toContain("2 | \tcpu\t4 to 2\n  | \t   \t^^^^^^\n");
    const empty = renderDiagnostics(
      [{ code: "FIN1003", severity: "error", message: "m", range: { file: "t.fin", start: at, end: at } }],
      lookup(f),
      { color: false },
    );
    expect(empty).toContain("  | \t   \t^\n");
  });

  it("underlines a multi-line range to the end of its first line", () => {
    const text = "service a {\n  cpu 4\n}\n";
    const f = createSourceFile("t.fin", text);
    const out = renderDiagnostics(
      [{ code: "FIN1003", severity: "error", message: "m", range: { file: "t.fin", start: 8, end: text.length } }],
      lookup(f),
      { color: false },
    );
    expect(out).toContain(" --> t.fin:1:9\n  |\n1 | service a {\n  |         ^^^\n");
  });

  it("copes with a file whose text is not available", () => {
    const out = renderDiagnostics([requestOverLimit], () => undefined, { color: false, cwd: CWD });
    expect(out.split("\n").slice(0, 4)).toEqual([
      "error[FIN3005]: The cpu request 4 is greater than its limit 2.",
      " --> examples/payments/main.fin",
      "  = hint: Write `cpu <request> to <limit>` with request ≤ limit.",
      "  = note: examples/payments/main.fin: in service 'api'",
    ]);
  });

  it("summarizes counts by severity", () => {
    expect(summarize([])).toBe("no problems");
    expect(summarize([requestOverLimit, requestOverLimit, mutableTag])).toBe("2 errors, 1 warning");
    expect(summarize([mutableTag, mutableTag])).toBe("2 warnings");
    expect(summarize([requestOverLimit, { ...mutableTag, severity: "info" }])).toBe("1 error, 1 info");
    expect(renderDiagnostics([], sources, { color: false })).toBe("");
  });
});

describe("toJsonReport", () => {
  it("gives 1-based positions, the table name and the hint, in stable order", () => {
    const report = toJsonReport(twoDiagnostics, sources, { cwd: CWD });
    expect(report).toEqual([
      {
        file: "examples/payments/main.fin",
        line: 6,
        column: 12,
        endLine: 6,
        endColumn: 18,
        code: "FIN3005",
        name: "request-exceeds-limit",
        severity: "error",
        message: "The cpu request 4 is greater than its limit 2.",
        hint: "Write `cpu <request> to <limit>` with request ≤ limit.",
        related: [
          {
            file: "examples/payments/main.fin",
            line: 5,
            column: 1,
            endLine: 5,
            endColumn: 12,
            message: "in service 'api'",
          },
        ],
      },
      {
        file: "examples/payments/main.fin",
        line: 11,
        column: 12,
        endLine: 11,
        endColumn: 38,
        code: "FIN4007",
        name: "mutable-image-tag",
        severity: "warning",
        message: "Image 'registry.example.com/api' uses the mutable tag 'latest' or no tag.",
        hint: "Pin a version tag or a sha256 digest.",
      },
    ]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(Object.keys(report[0]!)).toEqual([
      "file", "line", "column", "endLine", "endColumn", "code", "name", "severity", "message", "hint", "related",
    ]);
  });

  it("keeps paths as given without cwd and falls back to the code as name", () => {
    const [r] = toJsonReport([{ ...mutableTag, code: "FIN5999" }], sources);
    expect(r!.file).toBe(MAIN);
    expect(r!.name).toBe("FIN5999");
  });
});

// A transcription of the parts of the official SARIF 2.1.0 schema (oasis-tcs/sarif-spec,
// Schemata/sarif-schema-2.1.0.json) that finc writes, with `additionalProperties: false`
// as in the original so that misspelt or misplaced properties fail.
const sarifSubsetSchema = {
  type: "object",
  additionalProperties: false,
  required: ["version", "runs"],
  properties: {
    $schema: { type: "string", format: "uri" },
    version: { enum: ["2.1.0"] },
    runs: { type: "array", items: { $ref: "#/definitions/run" } },
  },
  definitions: {
    run: {
      type: "object",
      additionalProperties: false,
      required: ["tool"],
      properties: {
        tool: { $ref: "#/definitions/tool" },
        originalUriBaseIds: { type: "object", additionalProperties: { $ref: "#/definitions/artifactLocation" } },
        columnKind: { enum: ["utf16CodeUnits", "unicodeCodePoints"] },
        results: { type: "array", items: { $ref: "#/definitions/result" } },
      },
    },
    tool: {
      type: "object",
      additionalProperties: false,
      required: ["driver"],
      properties: { driver: { $ref: "#/definitions/toolComponent" } },
    },
    toolComponent: {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      properties: {
        name: { type: "string" },
        version: { type: "string" },
        informationUri: { type: "string", format: "uri" },
        rules: { type: "array", uniqueItems: true, items: { $ref: "#/definitions/reportingDescriptor" } },
      },
    },
    reportingDescriptor: {
      type: "object",
      additionalProperties: false,
      required: ["id"],
      properties: {
        id: { type: "string" },
        name: { type: "string" },
        shortDescription: { $ref: "#/definitions/multiformatMessageString" },
        defaultConfiguration: { $ref: "#/definitions/reportingConfiguration" },
        properties: { $ref: "#/definitions/propertyBag" },
      },
    },
    reportingConfiguration: {
      type: "object",
      additionalProperties: false,
      properties: { level: { enum: ["none", "note", "warning", "error"] } },
    },
    propertyBag: {
      type: "object",
      additionalProperties: true,
      properties: { tags: { type: "array", uniqueItems: true, items: { type: "string" } } },
    },
    multiformatMessageString: {
      type: "object",
      additionalProperties: false,
      required: ["text"],
      properties: { text: { type: "string" }, markdown: { type: "string" } },
    },
    message: {
      type: "object",
      additionalProperties: false,
      anyOf: [{ required: ["text"] }, { required: ["id"] }],
      properties: { text: { type: "string" }, id: { type: "string" } },
    },
    result: {
      type: "object",
      additionalProperties: false,
      required: ["message"],
      properties: {
        ruleId: { type: "string" },
        ruleIndex: { type: "integer", minimum: -1 },
        level: { enum: ["none", "note", "warning", "error"] },
        message: { $ref: "#/definitions/message" },
        locations: { type: "array", items: { $ref: "#/definitions/location" } },
        relatedLocations: { type: "array", uniqueItems: true, items: { $ref: "#/definitions/location" } },
      },
    },
    location: {
      type: "object",
      additionalProperties: false,
      properties: {
        id: { type: "integer", minimum: -1 },
        physicalLocation: { $ref: "#/definitions/physicalLocation" },
        message: { $ref: "#/definitions/message" },
      },
    },
    physicalLocation: {
      type: "object",
      additionalProperties: false,
      anyOf: [{ required: ["address"] }, { required: ["artifactLocation"] }],
      properties: {
        artifactLocation: { $ref: "#/definitions/artifactLocation" },
        region: { $ref: "#/definitions/region" },
      },
    },
    artifactLocation: {
      type: "object",
      additionalProperties: false,
      properties: {
        uri: { type: "string", format: "uri-reference" },
        uriBaseId: { type: "string" },
        index: { type: "integer", minimum: -1 },
      },
    },
    region: {
      type: "object",
      additionalProperties: false,
      anyOf: [{ required: ["startLine"] }, { required: ["charOffset"] }, { required: ["byteOffset"] }],
      properties: {
        startLine: { type: "integer", minimum: 1 },
        startColumn: { type: "integer", minimum: 1 },
        endLine: { type: "integer", minimum: 1 },
        endColumn: { type: "integer", minimum: 1 },
        charOffset: { type: "integer", minimum: -1 },
        charLength: { type: "integer", minimum: 0 },
      },
    },
  },
} as const;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

describe("toSarif", () => {
  const log = toSarif(twoDiagnostics, sources, { toolVersion: "0.1.0", cwd: CWD, informationUri: "https://example.com/finc" });
  const run = log.runs[0];

  it("is a SARIF 2.1.0 log with one run of finc", () => {
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe("finc");
    expect(run.tool.driver.version).toBe("0.1.0");
    expect(run.tool.driver.informationUri).toBe("https://example.com/finc");
    expect(run.columnKind).toBe("utf16CodeUnits");
    expect(run.originalUriBaseIds["%SRCROOT%"]).toEqual({ uri: "file:///work/proj/" });
  });

  it("validates against the SARIF 2.1.0 schema (transcribed subset)", () => {
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(sarifSubsetSchema);
    const ok = validate(JSON.parse(JSON.stringify(log)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("has one rule per code of the table, in table order", () => {
    const rules = run.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(Object.keys(messages));
    for (const r of rules) {
      const def: { name: string; severity: string } = messages[r.id as keyof typeof messages];
      expect(r.name).toBe(def.name);
      expect(r.shortDescription?.text).toMatch(/\S/);
      expect(r.defaultConfiguration?.level).toBe({ error: "error", warning: "warning", info: "note" }[def.severity]);
    }
  });

  it("writes results with rule index, level, message + hint and 1-based regions", () => {
    expect(run.results.map((r) => r.ruleId)).toEqual(["FIN3005", "FIN4007"]);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    const [first, second] = run.results;
    expect(first!.level).toBe("error");
    expect(second!.level).toBe("warning");
    expect(first!.message.text).toBe(
      "The cpu request 4 is greater than its limit 2.\nHint: Write `cpu <request> to <limit>` with request ≤ limit.",
    );
    const loc = first!.locations[0]!.physicalLocation;
    expect(loc.artifactLocation).toEqual({ uri: "examples/payments/main.fin", uriBaseId: "%SRCROOT%" });
    const start = naiveLineCol(mainText, requestOverLimit.range.start);
    const end = naiveLineCol(mainText, requestOverLimit.range.end);
    expect(loc.region).toEqual({ startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column });
    expect(first!.relatedLocations).toEqual([
      {
        id: 0,
        physicalLocation: {
          artifactLocation: { uri: "examples/payments/main.fin", uriBaseId: "%SRCROOT%" },
          region: { startLine: 5, startColumn: 1, endLine: 5, endColumn: 12 },
        },
        message: { text: "in service 'api'" },
      },
    ]);
    expect(second!.relatedLocations).toBeUndefined();
  });

  it("counts columns in UTF-16 code units and encodes URIs", () => {
    const file = "/work/proj/my specs/cards.fin";
    const text = 'service cards {\n  note "💳💳" bad\n}\n';
    const at = text.indexOf("bad");
    const d: Diagnostic = { code: "FIN2003", severity: "error", message: "x", range: { file, start: at, end: at + 3 } };
    const [result] = toSarif([d], lookup(createSourceFile(file, text)), { toolVersion: "0", cwd: CWD }).runs[0].results;
    const pl = result!.locations[0]!.physicalLocation;
    expect(pl.region).toEqual({ startLine: 2, startColumn: 15, endLine: 2, endColumn: 18 });
    expect(naiveLineCol(text, at)).toEqual({ line: 2, column: 15 });
    expect(pl.artifactLocation).toEqual({ uri: "my%20specs/cards.fin", uriBaseId: "%SRCROOT%" });
  });

  it("handles files outside cwd, missing sources and codes missing from the table", () => {
    const d: Diagnostic = { code: "FIN5999", severity: "info", message: "x", range: { file: "/elsewhere/a.fin", start: 3, end: 5 } };
    const log2 = toSarif([d], () => undefined, { toolVersion: "0", cwd: CWD });
    const run2 = log2.runs[0];
    const [r] = run2.results;
    expect(r!.level).toBe("note");
    expect(run2.tool.driver.rules[r!.ruleIndex]!.id).toBe("FIN5999");
    expect(r!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "file:///elsewhere/a.fin" },
      region: { charOffset: 3, charLength: 2 },
    });
    expect(run2.tool.driver.informationUri).toBeUndefined();
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    expect(ajv.validate(sarifSubsetSchema, JSON.parse(JSON.stringify(log2)))).toBe(true);
  });
});
