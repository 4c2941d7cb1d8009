import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type StateStack } from "vscode-textmate";
import { loadWASM, OnigScanner, OnigString } from "vscode-oniguruma";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const grammarPath = path.join(root, "vscode-extension/syntaxes/fin.tmLanguage.json");

let grammar: IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(path.join(root, "node_modules/vscode-oniguruma/release/onig.wasm"));
  await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new OnigScanner(sources),
      createOnigString: (text: string) => new OnigString(text),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === "source.fin" ? parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath) : null,
  });
  const loaded = await registry.loadGrammar("source.fin");
  if (!loaded) throw new Error("source.fin did not load");
  grammar = loaded;
});

interface Token {
  readonly text: string;
  readonly scopes: readonly string[];
}

/** Tokenizes a whole document (line state carried across lines); one token list per line. */
function tokenize(source: string): Token[][] {
  let state: StateStack = INITIAL;
  return source.split("\n").map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The scopes of the `nth` token whose text is exactly `text` on the line that starts with `linePrefix` (after indentation). */
function scopesOf(lines: Token[][], linePrefix: string, text: string, nth = 0): readonly string[] {
  const line = lines.find((tokens) => tokens.map((t) => t.text).join("").trimStart().startsWith(linePrefix));
  if (!line) throw new Error(`no line starts with ${JSON.stringify(linePrefix)}`);
  const matches = line.filter((t) => t.text === text);
  const token = matches[nth];
  if (!token) {
    throw new Error(`no token ${JSON.stringify(text)} on ${JSON.stringify(linePrefix)}: ${JSON.stringify(line.map((t) => t.text))}`);
  }
  return token.scopes;
}

const SAMPLE = `/// A PCI DSS payments platform
platform payments {
  cloud        aws // primary cloud
  environments dev, staging,
               prod
  regions      eu-west-1
}
import "fintech/payment-api"
namespace payments {
  security restricted
  quota cpu 40, memory 128Gi, pods 200
}
service api is payment-api {
  image    "registry.example.com/payments/api:1.8.0 \\"quoted\\" \\n"
  port     http 8080
  replicas 3 to 30 at cpu 70%
  cpu      500m to 2
  memory   512Mi to 2Gi
  secret   STRIPE_KEY from vault "payments/stripe" key "api-key"
  secret   DATABASE_URL from ledger.url
  expose   "api.payments.example.com" path /v1/payments tls letsencrypt
  calls    ledger, fraud
  limit    100/s
  probe    http /healthz {
    period 10s
  }
}
pattern payment-api for service {
  compliance pci-dss
}
environment prod {
  api.replicas 6 to 60
}
`;

describe("fin TextMate grammar", () => {
  let lines: Token[][];
  beforeAll(() => {
    lines = tokenize(SAMPLE);
  });

  it("declares scope source.fin", () => {
    expect(scopesOf(lines, "platform", "platform")[0]).toBe("source.fin");
  });

  it("scopes the reserved keywords import, is and for", () => {
    expect(scopesOf(lines, "import", "import")).toContain("keyword.control.import.fin");
    expect(scopesOf(lines, "service api", "is")).toContain("keyword.other.fin");
    expect(scopesOf(lines, "pattern payment-api", "for")).toContain("keyword.other.fin");
    // The kind after `for` is a declaration kind.
    expect(scopesOf(lines, "pattern payment-api", "service")).toContain("storage.type.declaration.fin");
  });

  it("scopes the declaration kind and the declared name", () => {
    for (const [prefix, kind, name] of [
      ["platform payments", "platform", "payments"],
      ["namespace payments", "namespace", "payments"],
      ["service api", "service", "api"],
      ["pattern payment-api", "pattern", "payment-api"],
      ["environment prod", "environment", "prod"],
    ] as const) {
      expect(scopesOf(lines, prefix, kind)).toContain("storage.type.declaration.fin");
      expect(scopesOf(lines, prefix, name)).toContain("entity.name.type.fin");
    }
    expect(scopesOf(lines, "platform payments", "{")).toContain("punctuation.section.block.begin.fin");
  });

  it("scopes database and secretstore declarations too", () => {
    const [db, store] = tokenize("database ledger {\n}\nsecretstore vault {\n}\n").filter((l) => l.length > 1);
    expect(db!.find((t) => t.text === "database")!.scopes).toContain("storage.type.declaration.fin");
    expect(db!.find((t) => t.text === "ledger")!.scopes).toContain("entity.name.type.fin");
    expect(store!.find((t) => t.text === "secretstore")!.scopes).toContain("storage.type.declaration.fin");
  });

  it("scopes the pattern after `is` as an inherited class", () => {
    const scopes = scopesOf(lines, "service api", "payment-api");
    expect(scopes).toContain("entity.other.inherited-class.fin");
    expect(scopes).not.toContain("entity.name.type.fin");
  });

  it("scopes field names at the start of a line inside braces, not values", () => {
    for (const [prefix, field] of [
      ["cloud", "cloud"],
      ["security", "security"],
      ["image", "image"],
      ["replicas", "replicas"],
      ["compliance", "compliance"],
      ["period", "period"],
    ] as const) {
      expect(scopesOf(lines, prefix, field)).toContain("variable.other.property.fin");
    }
    // `cpu` is a field on its own line and a plain value inside `quota …` and `replicas …`.
    expect(scopesOf(lines, "cpu ", "cpu")).toContain("variable.other.property.fin");
    expect(scopesOf(lines, "quota", "cpu")).not.toContain("variable.other.property.fin");
    expect(scopesOf(lines, "replicas", "cpu")).not.toContain("variable.other.property.fin");
    // A dotted field (environment override) is one property.
    expect(scopesOf(lines, "api.replicas", "api")).toContain("variable.other.property.fin");
    expect(scopesOf(lines, "api.replicas", "replicas")).toContain("variable.other.property.fin");
    // A line continued after a trailing comma starts with a value, not a field.
    expect(scopesOf(lines, "prod", "prod")).not.toContain("variable.other.property.fin");
  });

  it("scopes strings and their escapes", () => {
    const str = scopesOf(lines, "image", "registry.example.com/payments/api:1.8.0 ");
    expect(str).toContain("string.quoted.double.fin");
    for (const escape of ['\\"', "\\n"]) {
      const scopes = scopesOf(lines, "image", escape);
      expect(scopes).toContain("string.quoted.double.fin");
      expect(scopes).toContain("constant.character.escape.fin");
    }
    expect(scopesOf(lines, "import", "fintech/payment-api")).toContain("string.quoted.double.fin");
    expect(scopesOf(lines, "secret   STRIPE_KEY", "api-key")).toContain("string.quoted.double.fin");
  });

  it("scopes numbers with their units", () => {
    for (const [prefix, digits, unit] of [
      ["memory", "512", "Mi"],
      ["memory", "2", "Gi"],
      ["cpu ", "500", "m"],
      ["replicas", "70", "%"],
      ["limit", "100", "/s"],
      ["period", "10", "s"],
      ["quota", "128", "Gi"],
    ] as const) {
      const number = scopesOf(lines, prefix, digits);
      expect(number).toContain("constant.numeric.fin");
      expect(number).not.toContain("keyword.other.unit.fin");
      const unitScopes = scopesOf(lines, prefix, unit);
      expect(unitScopes).toContain("constant.numeric.fin");
      expect(unitScopes).toContain("keyword.other.unit.fin");
    }
    expect(scopesOf(lines, "port", "8080")).toContain("constant.numeric.fin");
    // The digit in a name is part of the name.
    expect(scopesOf(lines, "regions", "eu-west-1")).not.toContain("constant.numeric.fin");
  });

  it("scopes dotted references", () => {
    expect(scopesOf(lines, "secret   DATABASE_URL", "ledger")).toContain("variable.other.reference.fin");
    expect(scopesOf(lines, "secret   DATABASE_URL", ".")).toContain("punctuation.accessor.fin");
    expect(scopesOf(lines, "secret   DATABASE_URL", "url")).toContain("variable.other.reference.fin");
    // A bare name is not a reference.
    expect(scopesOf(lines, "calls", "ledger")).not.toContain("variable.other.reference.fin");
  });

  it("scopes paths", () => {
    expect(scopesOf(lines, "expose", "/v1/payments")).toContain("string.unquoted.path.fin");
    expect(scopesOf(lines, "probe", "/healthz")).toContain("string.unquoted.path.fin");
  });

  it("scopes line comments and doc comments", () => {
    const doc = scopesOf(lines, "///", " A PCI DSS payments platform");
    expect(doc).toContain("comment.line.documentation.fin");
    expect(doc).not.toContain("comment.line.double-slash.fin");
    expect(scopesOf(lines, "cloud", " primary cloud")).toContain("comment.line.double-slash.fin");
    expect(scopesOf(lines, "cloud", "//")).toContain("punctuation.definition.comment.fin");
    // A path is not a comment, and `//` inside a string is not one either.
    const [line] = tokenize('  url "https://example.com" path /v1');
    expect(line!.some((t) => t.scopes.some((s) => s.startsWith("comment.")))).toBe(false);
  });

  it("scopes braces and commas as punctuation", () => {
    expect(scopesOf(lines, "}", "}")).toContain("punctuation.section.block.end.fin");
    expect(scopesOf(lines, "calls", ",")).toContain("punctuation.separator.comma.fin");
    expect(scopesOf(lines, "environments", ",", 1)).toContain("punctuation.separator.comma.fin");
  });

  it("tokenises issuers, ACME solvers and typed config sensibly", () => {
    const lines = tokenize('issuer letsencrypt {\n  solver dns route53 "Z0123" region "eu-west-1"\n}\nservice api {\n  config LOG_LEVEL enum debug info = info\n  mesh istio ambient\n}\n');
    expect(scopesOf(lines, "issuer", "issuer")).toContain("storage.type.declaration.fin");
    expect(scopesOf(lines, "issuer", "letsencrypt")).toContain("entity.name.type.fin");
    expect(scopesOf(lines, "solver", "solver")).toContain("variable.other.property.fin");
    // Value keywords are plain words (the language server's semantic tokens refine them); `route53` is one word, not a number.
    for (const word of ["dns", "route53", "region"]) expect(scopesOf(lines, "solver", word)).toContain("meta.word.fin");
    expect(lines.flat().some((t) => t.text === "53")).toBe(false);
    expect(scopesOf(lines, "solver", "Z0123")).toContain("string.quoted.double.fin");
    expect(scopesOf(lines, "config", "config")).toContain("variable.other.property.fin");
    for (const word of ["LOG_LEVEL", "enum", "debug"]) expect(scopesOf(lines, "config", word)).toContain("meta.word.fin");
    expect(scopesOf(lines, "config", "=")).toContain("keyword.operator.assignment.fin");
    expect(scopesOf(lines, "config", "info", 1)).toContain("meta.word.fin");
    expect(scopesOf(lines, "mesh", "ambient")).toContain("meta.word.fin");
  });

  it("does not take a name that merely starts with a keyword for the keyword", () => {
    const [line] = tokenize("service importer is island {");
    expect(line!.find((t) => t.text === "importer")!.scopes).toContain("entity.name.type.fin");
    expect(line!.find((t) => t.text === "island")!.scopes).toContain("entity.other.inherited-class.fin");
  });
});
