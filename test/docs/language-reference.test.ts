import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { KIND_SPECS, META_KINDS } from "../../compiler/semantic/schema/index.js";
import { examplesOf, forms, META_DOCS, renderLanguageReference } from "../../scripts/gen-language-reference.js";
import { REPO, summarize } from "../helpers/compile.js";
import { compileExample, contextSpec, exampleSpec } from "./example-context.js";

/**
 * Issue 10 item 8: docs/language.md is generated from the field specs, lists every kind and
 * field, and every example in it compiles. The file is checked in, so it must be exactly what
 * the generator writes (`npm run docs`), or it would go stale.
 */
const FIELDS = Object.entries(KIND_SPECS).flatMap(([kind, k]) => Object.entries(k.fields).map(([field, spec]) => ({ kind, field, spec })));
const reference = readFileSync(resolve(REPO, "docs/language.md"), "utf8");

describe("docs/language.md", () => {
  it("is what `npm run docs` generates from the field specs (run it after changing a field)", () => {
    expect(reference === renderLanguageReference(), "docs/language.md is out of date: run `npm run docs`").toBe(true);
  });

  it("has a section for every declaration kind, and an entry with its example for every field", () => {
    expect(FIELDS.length).toBeGreaterThan(100);
    for (const kind of [...Object.keys(KIND_SPECS), ...META_KINDS]) expect(reference).toContain(`## \`${kind}\`\n`);
    const missing = FIELDS.filter(({ kind, field, spec }) => {
      const section = reference.split(`<a id="${kind}-${field}"></a>\n`)[1]?.split("<a id=")[0] ?? "";
      return !section.startsWith(`#### \`${field}\``) || !section.includes(spec.doc) || !section.includes("```fin\n" + `${field} ${spec.example}\n`);
    });
    expect(missing.map((f) => `${f.kind}.${f.field}`)).toEqual([]);
  });

  it("shows each range the spec declares, by its bound (replicas 0–10000, a port 1–65535)", () => {
    expect(reference).toContain("A port number: between 1 and 65535; it lands in containerPort");
    expect(reference).toContain("Replicas: between 0 and 10000");
  });

  it("the README's language section links it", () => {
    const readme = readFileSync(resolve(REPO, "README.md"), "utf8");
    const section = readme.split("\n## The language\n")[1]!.split("\n## ")[0]!;
    expect(section.includes("](docs/language.md)")).toBe(true);
  });
});

describe("the field specs the reference is generated from", () => {
  it("document every kind and every field: a doc, a syntax and an example", () => {
    expect(Object.entries(KIND_SPECS).filter(([, k]) => !k.doc.trim()).map(([kind]) => kind)).toEqual([]);
    const undocumented = FIELDS.filter(({ spec }) => !spec.doc?.trim() || !spec.syntax?.trim() || !spec.example?.trim()).map((f) => `${f.kind}.${f.field}`);
    expect(undocumented).toEqual([]);
  });

  it("split a syntax into its top-level forms only (brackets keep theirs)", () => {
    expect(forms("istio [sidecar [cni] | cni | ambient] | none")).toEqual(["istio [sidecar [cni] | cni | ambient]", "none"]);
    expect(forms("<n>")).toEqual(["<n>"]);
  });
});

describe("every example in the reference compiles", () => {
  it("the context the examples refer to (vault, letsencrypt, payments, ledger, fraud, ledger-db) is clean", () => {
    const program = compileExample(contextSpec());
    expect(program.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });

  for (const kind of META_KINDS) {
    it(`the ${kind} example`, () => {
      const context = contextSpec();
      const program = compileExample(context + META_DOCS[kind]!.example);
      expect(program.diagnostics.map((d) => `${d.code} ${summarize(program, d).text}: ${d.message}`)).toEqual([]);
    });
  }

  for (const { kind, field, example } of FIELDS.flatMap((f) => examplesOf(f.spec).map((example) => ({ ...f, example })))) {
    it(`${kind}.${field} ${example}`, () => {
      const { text, line } = exampleSpec(kind, field, example);
      expect(line).toBeGreaterThan(0);
      const program = compileExample(text);
      const atExample = program.diagnostics.map((d) => ({ ...summarize(program, d), message: d.message })).filter((d, i) => d.line === line && program.diagnostics[i]!.range.file.endsWith("/main.fin"));
      expect(atExample).toEqual([]);
      // The example is read: the declaration has the field's value.
      expect(program.diagnostics.filter((d) => d.code === "FIN2003")).toEqual([]);
    });
  }
});
