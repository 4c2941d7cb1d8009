import { describe, expect, it } from "vitest";
import { parse } from "../../compiler/syntax/parse.js";
import { atomText, memberName } from "../../compiler/syntax/ast.js";

const errorsOf = (text: string) =>
  parse("t.fin", text).diagnostics.map((d) => ({ code: d.code, at: text.slice(d.range.start, d.range.end) || `@${d.range.start}` }));

describe("parser", () => {
  it("builds declarations, members and atoms with exact ranges", () => {
    const text = 'service api is payment-api {\n  replicas 3 to 30 at cpu 70%\n  secret X from ledger.url, Y from vault "p" key "k"\n  expose "a.example.com" path /v1\n}\n';
    const { ast, diagnostics } = parse("t.fin", text);
    expect(diagnostics).toEqual([]);
    const d = ast.declarations[0]!;
    expect([d.keyword.text, d.name?.text, d.base?.text]).toEqual(["service", "api", "payment-api"]);
    expect(text.slice(d.start, d.end)).toBe(text.trimEnd());
    expect(d.body.members.map(memberName)).toEqual(["replicas", "secret", "expose"]);
    const replicas = d.body.members[0]!;
    expect(replicas.terms[0]!.atoms.map(atomText)).toEqual(["3", "to", "30", "at", "cpu", "70%"]);
    expect(text.slice(replicas.start, replicas.end)).toBe("replicas 3 to 30 at cpu 70%");
    const secret = d.body.members[1]!;
    expect(secret.terms.map((t) => text.slice(t.start, t.end))).toEqual(["X from ledger.url", 'Y from vault "p" key "k"']);
    expect(d.body.members[2]!.terms[0]!.atoms.map((a) => a.kind)).toEqual(["String", "Word", "Path"]);
  });

  it("reads a decimal percentile as one word (`p99.9`), and dotted references still as parts", () => {
    const text = "service api {\n  slo latency p99.9 300ms, availability 99.9%\n  rollout canary 10% while latency p99.9 < 300ms\n  secret X from ledger.url\n}\n";
    const { ast, diagnostics } = parse("t.fin", text);
    expect(diagnostics).toEqual([]);
    const [slo, rollout, secret] = ast.declarations[0]!.body.members;
    expect(slo!.terms[0]!.atoms.map((a) => [a.kind, atomText(a)])).toEqual([["Word", "latency"], ["Word", "p99.9"], ["Number", "300ms"]]);
    expect(rollout!.terms[0]!.atoms.map(atomText)).toEqual(["canary", "10%", "while", "latency", "p99.9", "<", "300ms"]);
    expect(secret!.terms[0]!.atoms.map(atomText)).toEqual(["X", "from", "ledger.url"]);
  });

  it("reads units off numbers", () => {
    const { ast } = parse("t.fin", "x {\n  a 500m, 2Gi, 30s, 70%, 100/s, 1.5\n}");
    const atoms = ast.declarations[0]!.body.members[0]!.terms.map((t) => t.atoms[0]);
    expect(atoms.map((a) => (a?.kind === "Number" ? [a.value, a.unit] : []))).toEqual([[500, "m"], [2, "Gi"], [30, "s"], [70, "%"], [100, "/s"], [1.5, ""]]);
  });

  it("attaches /// doc comments to the next declaration or field, not // comments", () => {
    const { ast } = parse("t.fin", "/// The API.\n/// Second line.\nservice api {\n  // not a doc\n  port 80\n  /// Field doc.\n  cpu 1\n}\n");
    const d = ast.declarations[0]!;
    expect(d.doc).toBe("The API.\nSecond line.");
    expect(d.body.members.map((m) => m.doc)).toEqual([undefined, "Field doc."]);
  });

  it("lets values continue on the next line after a comma, and reads lists and blocks", () => {
    const { ast, diagnostics } = parse("t.fin", "p {\n  environments dev,\n    staging, prod\n  tags [a, b]\n  config {\n    A = \"1\"\n  }\n}\n");
    expect(diagnostics).toEqual([]);
    const [envs, tags, config] = ast.declarations[0]!.body.members;
    expect(envs!.terms.length).toBe(3);
    expect(tags!.terms[0]!.atoms[0]!.kind).toBe("List");
    expect(config!.block!.members.map(memberName)).toEqual(["A"]);
  });

  it.each([
    ["a stray closing brace", "service a {\n  port 80\n}\n}\n", [{ code: "FIN1003", at: "}" }]],
    ["an unterminated string", 'a {\n  image "x\n}\n', [{ code: "FIN1002", at: '"x' }]],
    ["an invalid character", "a {\n  port 80 $\n}\n", [{ code: "FIN1001", at: "$" }]],
    ["a missing closing brace", "a {\n  port 80\n", [{ code: "FIN1003", at: "@14" }]],
  ])("recovers from %s with one error at the right place", (_, text, expected) => {
    expect(errorsOf(text)).toEqual(expected);
  });

  it("keeps parsing after an error: later declarations survive", () => {
    const { ast, diagnostics } = parse("t.fin", "a {\n  x = = ]\n}\n} }\nservice b {\n  port 80\n}\n");
    expect(diagnostics.length).toBeGreaterThanOrEqual(1);
    expect(ast.declarations.map((d) => d.name?.text ?? d.keyword.text)).toContain("b");
  });
});

it("accepts a file that starts with a byte-order mark", () => {
  const { diagnostics, ast } = parse("t.fin", "\uFEFFplatform p {\n  environments dev\n}\n");
  expect(diagnostics).toEqual([]);
  expect(ast.declarations[0]!.start).toBe(1);
});
