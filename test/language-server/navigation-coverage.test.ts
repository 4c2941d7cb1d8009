import { describe, expect, it } from "vitest";
import type { Program } from "../../compiler/program.js";
import { KIND_SPECS } from "../../compiler/semantic/schema/index.js";
import type { Atom, Member, Term } from "../../compiler/syntax/ast.js";
import { documentHighlight } from "../../language-server/src/features/document-highlight.js";
import { rename } from "../../language-server/src/features/rename.js";
import { exampleSpec, compileExample } from "../docs/example-context.js";
import { VIRTUAL } from "../helpers/compile.js";

/**
 * Every reference form, enumerated from the field specs: each field's documented example is
 * set on a declaration of its kind next to declarations named like the words the examples use
 * (a store `vault`, an issuer `letsencrypt`, a namespace `payments`, services `ledger` and
 * `fraud`, a database `ledger-db`). Every bare word of the value that names one of them must be a
 * resolved reference — what definition, references, rename and document highlight walk. A field
 * added with a reference the checker does not record fails here. Forms no example shows are
 * listed in EXTRA_FORMS.
 */
const DECLARED: Record<string, string> = { vault: "secretstore", letsencrypt: "issuer", payments: "namespace", ledger: "service", fraud: "service", "ledger-db": "database" };

/** Reference forms the examples do not show: database outputs, environment overrides, patterns. */
const EXTRA_FORMS: readonly { kind: string; line: string }[] = [
  { kind: "service", line: "secret DATABASE_URL from ledger-db.url" },
  { kind: "service", line: "calls ledger-db" },
  { kind: "service", line: "expose \"api.example.com\" path / tls letsencrypt" },
];

/** Fields whose value is a free name that may coincide with a declaration's: not a reference. */
const NOT_REFERENCES = new Set(["database.name"]);

const words = (t: Term): Atom[] => t.atoms.flatMap((a) => (a.kind === "List" ? a.items.flatMap(words) : [a]));

/** The language reference's example context (test/docs/example-context.ts) with `line` on a declaration of `kind` (`subject`). */
function specFor(kind: string, line: string): string {
  const space = line.indexOf(" ");
  return exampleSpec(kind, line.slice(0, space), line.slice(space + 1)).text;
}

/** The bare words of `line`'s member that name a declared test declaration, and whether each is a reference. */
function unresolvedNames(program: Program, kind: string, line: string): string[] {
  const file = `${VIRTUAL}/main.fin`;
  const ast = program.files.get(file)!.ast;
  const decl = kind === "platform" ? ast.declarations.find((d) => d.keyword.text === "platform")! : ast.declarations.find((d) => d.name?.text === "subject")!;
  const field = line.split(" ")[0]!;
  const member = decl.body.members.filter((m: Member) => m.path[0]?.text === field).pop()!;
  const refs = new Set(program.checked.references.filter((r) => r.range.file === file).map((r) => `${r.range.start}:${r.target.name}`));
  const missing: string[] = [];
  for (const atom of member.terms.flatMap(words)) {
    if (atom.kind !== "Word") continue;
    const text = atom.parts.map((p) => p.text).join(".");
    const name = atom.parts[0]!.text;
    // Words the field spec lists as its own values are keywords (`provider vault`), not names.
    if (!(name in DECLARED) || name === field || KIND_SPECS[kind]?.fields[field]?.values?.includes(name)) continue;
    if (!refs.has(`${atom.start}:${name}`)) missing.push(text);
  }
  return missing;
}

describe("navigation covers every reference form of the field specs", () => {
  const cases: { kind: string; line: string }[] = [];
  for (const [kind, spec] of Object.entries(KIND_SPECS)) {
    for (const [field, f] of Object.entries(spec.fields)) if (f.example) cases.push({ kind, line: `${field} ${f.example}` });
  }
  cases.push(...EXTRA_FORMS);

  it("enumerates the reference forms (the examples name the declared words)", () => {
    const withNames = cases.filter((c) => c.line.split(/[\s,]+/).slice(1).some((w) => w.split(".")[0]! in DECLARED));
    expect(withNames.length).toBeGreaterThan(10);
  });

  for (const c of cases.filter((c) => !NOT_REFERENCES.has(`${c.kind}.${c.line.split(" ")[0]}`))) {
    it(`${c.kind}: ${c.line}`, () => {
      const program = compileExample(specFor(c.kind, c.line));
      expect(unresolvedNames(program, c.kind, c.line)).toEqual([]);
    });
  }

  it("renaming a secret store renames its uses in `alerting … from` too, leaving no FIN2004 behind", () => {
    const spec = specFor("platform", 'alerting slack "#oncall" from vault "monitoring/slack" key "webhook-url"');
    const program = compileExample(spec);
    const file = `${VIRTUAL}/main.fin`;
    const edit = rename(program, file, spec.indexOf("secretstore vault") + "secretstore ".length, "vault-eu");
    const edits = Object.values(edit.changes ?? {}).flat();
    // The store's name, the alerting use and the database credentials' use.
    expect(edits.length).toBe(3);
    const src = program.getSourceFile(file)!;
    let renamed = spec;
    for (const e of [...edits].sort((a, b) => src.offsetOf(b.range.start.line, b.range.start.character) - src.offsetOf(a.range.start.line, a.range.start.character))) {
      renamed = renamed.slice(0, src.offsetOf(e.range.start.line, e.range.start.character)) + e.newText + renamed.slice(src.offsetOf(e.range.end.line, e.range.end.character));
    }
    const after = compileExample(renamed);
    expect(after.diagnostics.filter((d) => d.code === "FIN2004")).toEqual([]);
  });
});

describe("document highlight", () => {
  it("highlights the declaration (write) and its uses (read) in the file, not the same word in a string", () => {
    const spec = specFor("platform", 'alerting slack "#oncall" from vault "vault/slack" key "webhook-url"');
    const program = compileExample(spec);
    const file = `${VIRTUAL}/main.fin`;
    const src = program.getSourceFile(file)!;
    const at = spec.indexOf('from vault "vault/slack"') + "from ".length;
    const highlights = documentHighlight(program, file, at).map((h) => ({ kind: h.kind, offset: src.offsetOf(h.range.start.line, h.range.start.character) }));
    const expected = [
      { kind: 3, offset: spec.indexOf("secretstore vault") + "secretstore ".length },
      { kind: 2, offset: at },
      { kind: 2, offset: spec.indexOf('credentials from vault') + "credentials from ".length },
    ];
    expect(highlights.sort((a, b) => a.offset - b.offset)).toEqual(expected.sort((a, b) => a.offset - b.offset));
    expect(documentHighlight(program, file, spec.indexOf('"vault/slack"') + 2)).toEqual([]);
  });
});
