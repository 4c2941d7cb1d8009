import { describe, expect, it } from "vitest";
import { formatSource } from "../../compiler/format/format.js";
import { parse } from "../../compiler/syntax/parse.js";
import { compileSources, diagnosticsOf, PLATFORM, VIRTUAL } from "../helpers/compile.js";

/** `pattern b is a for service`: a pattern extends another, transitively, with a cycle check. */
const BASE = `pattern web for service {
  port http 8080
  replicas 3
  config LOG_LEVEL = "info"
}
pattern strict-web is web for service {
  replicas 4
  config REGION = "eu"
}
pattern stricter is strict-web for service {
  config TIER = "gold"
}
`;
const svc = (base: string, extra = "") => `service api is ${base} {\n  image "r.io/api:1.0.0"\n${extra}}\n`;

describe("patterns extending patterns", () => {
  it("parses `is <base> for <kind>` with no diagnostic and inherits fields transitively", () => {
    const p = compileSources({ "main.fin": PLATFORM + BASE + svc("stricter") });
    expect(p.diagnostics.map((d) => d.code)).toEqual([]);
    const api = p.checked.models.get("dev")!.services.find((s) => s.name === "api")!;
    expect(api.ports.map((x) => x.port)).toEqual([8080]);
    expect(api.replicas.min).toBe(4);
    expect(api.config.map((c) => `${c.key}=${c.value}`).sort()).toEqual(["LOG_LEVEL=info", "REGION=eu", "TIER=gold"]);
    const chain = [...p.checked.patterns].find(([d]) => d.name === "api")![1];
    expect(chain.map((d) => d.name)).toEqual(["web", "strict-web", "stricter"]);
  });

  it("each `is <pattern>` of a pattern is a resolved reference (definition, rename)", () => {
    const src = PLATFORM + BASE + svc("stricter");
    const p = compileSources({ "main.fin": src });
    const refs = p.checked.references.filter((r) => r.range.file === `${VIRTUAL}/main.fin` && r.target.kind === "pattern");
    const at = (needle: string) => src.indexOf(needle) + needle.indexOf(" is ") + 4;
    const found = refs.map((r) => `${src.slice(r.range.start, r.range.end)}@${r.range.start}->${r.target.name}`);
    expect(found).toEqual(expect.arrayContaining([
      `web@${at("strict-web is web")}->web`,
      `strict-web@${at("stricter is strict-web")}->strict-web`,
      `stricter@${at("api is stricter")}->stricter`,
    ]));
  });

  it('"FIN2016": a cycle is reported once, at the `is <name>` of the pattern that closes it', () => {
    const spec = `pattern a is c for service {\n  port http 8080\n}\npattern b is a for service {}\npattern c is b for service {}\n`;
    const ds = diagnosticsOf({ "main.fin": PLATFORM + spec + svc("c") });
    expect(ds.filter((d) => d.code === "FIN2016")).toEqual([{ code: "FIN2016", text: "b", line: PLATFORM.split("\n").length + 4 }]);
    expect(ds.filter((d) => d.code === "FIN1003")).toEqual([]);
  });

  it('"FIN2016": a pattern extending itself', () => {
    const ds = diagnosticsOf({ "main.fin": PLATFORM + `pattern a is a for service {}\n` });
    expect(ds).toEqual([{ code: "FIN2016", text: "a", line: PLATFORM.split("\n").length }]);
  });

  it('"FIN2006": the base must be a pattern for the same kind', () => {
    const spec = `pattern batch for job {\n  backoff 3\n}\npattern web is batch for service {}\n`;
    const p = compileSources({ "main.fin": PLATFORM + spec });
    const d = p.diagnostics.find((x) => x.code === "FIN2006")!;
    expect(d).toBeDefined();
    const text = p.getSourceFile(d.range.file)!.text;
    expect(text.slice(d.range.start, d.range.end)).toBe("batch");
    expect(d.message).toContain("for service");
    expect(d.hint).toContain("'batch' is a pattern for job");
  });

  it('"FIN2006": an unknown base pattern is reported at its name even when no service uses the pattern', () => {
    const ds = diagnosticsOf({ "main.fin": PLATFORM + `pattern web is nope for service {}\n` });
    expect(ds).toEqual([{ code: "FIN2006", text: "nope", line: PLATFORM.split("\n").length }]);
  });

  it("the parser keeps both `is` and `for` (in the tree, with exact offsets), and fmt keeps the header", () => {
    const text = "pattern strict-api is payment-api for service {\n  replicas 3\n}\n";
    const d = parse("a.fin", text).ast.declarations[0]!;
    expect([d.base, d.target].map((n) => n && text.slice(n.start, n.end))).toEqual(["payment-api", "service"]);
    expect(formatSource(text)?.text).toBe(text);
  });
});
