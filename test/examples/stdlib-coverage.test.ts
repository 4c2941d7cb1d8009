import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type Program } from "../../compiler/program.js";
import type { Declaration } from "../../compiler/syntax/ast.js";
import { REPO, STDLIB } from "../helpers/compile.js";

/**
 * Issue 10 item 9, "a stdlib that pays for itself": every pattern of stdlib/fintech is
 * documented, used by an example, and an example that starts from a pattern overrides few of
 * its fields.
 */
const FINTECH = join(STDLIB, "fintech");
const MODULES = readdirSync(FINTECH).filter((n) => n.endsWith(".fin")).map((n) => n.replace(/\.fin$/, "")).sort();
const EXAMPLES = readdirSync(resolve(REPO, "examples"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const programs = new Map<string, Program>(EXAMPLES.map((e) => [e, createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples", e)] })]));

const declarations = (p: Program, stdlib: boolean): Declaration[] => [...p.files.values()].filter((f) => f.stdlib === stdlib).flatMap((f) => f.ast.declarations);
const patterns = new Map<string, Declaration>();
for (const p of programs.values()) for (const d of declarations(p, true)) if (d.keyword.text === "pattern" && d.name) patterns.set(d.name.text, d);
const PATTERN_RULES = new Set(["require", "minimum"]);

/** The fields a pattern sets, with those of the patterns it extends. */
function patternFields(name: string, seen = new Set<string>()): Set<string> {
  const p = patterns.get(name);
  if (!p || seen.has(name)) return new Set();
  seen.add(name);
  const own = p.body.members.map((m) => m.path.map((n) => n.text).join(".")).filter((f) => !PATTERN_RULES.has(f));
  return new Set([...own, ...(p.base ? patternFields(p.base.text, seen) : [])]);
}

describe("stdlib/fintech", () => {
  it("has the shapes of a payments, banking and trading platform", () => {
    expect(MODULES).toEqual(expect.arrayContaining(["public-api", "internal-api", "grpc-service", "ledger-consumer", "settlement-batch", "reporting-job", "card-data-service", "ledger-db", "cache"]));
  });

  for (const module of MODULES) {
    it(`${module}: is imported by an example, and each of its patterns is documented and used`, () => {
      const importers = EXAMPLES.filter((e) => [...programs.get(e)!.files.values()].some((f) => f.source.path === join(FINTECH, `${module}.fin`)));
      expect(importers, `no example imports fintech/${module}`).not.toEqual([]);
      const own = [...programs.get(importers[0]!)!.files.values()].find((f) => f.source.path === join(FINTECH, `${module}.fin`))!.ast.declarations;
      expect(own.length).toBeGreaterThan(0);
      for (const d of own) {
        expect(d.keyword.text).toBe("pattern");
        // A doc comment that explains the choices: several sentences, not a title.
        expect((d.doc ?? "").length, `pattern ${d.name?.text} has no doc comment explaining its choices`).toBeGreaterThan(150);
        const users = EXAMPLES.flatMap((e) => declarations(programs.get(e)!, false).filter((u) => u.base?.text === d.name?.text));
        const extenders = [...patterns.values()].filter((p) => p.base?.text === d.name?.text);
        expect(users.length + extenders.length, `no example declaration uses pattern ${d.name?.text}`).toBeGreaterThan(0);
      }
    });
  }
});

describe("starting from a pattern, the new examples override at most one of its fields", () => {
  for (const example of ["retail-bank", "trading"]) {
    it(example, () => {
      const overrides: string[] = [];
      let based = 0;
      for (const d of declarations(programs.get(example)!, false)) {
        if (!d.base || !patterns.has(d.base.text)) continue;
        based++;
        const inherited = patternFields(d.base.text);
        const mine = d.body.members.map((m) => m.path.map((n) => n.text).join(".")).filter((f) => inherited.has(f));
        if (mine.length > 1) overrides.push(`${d.name?.text} overrides ${mine.join(", ")} of ${d.base.text}`);
      }
      expect(based).toBeGreaterThan(2);
      expect(overrides).toEqual([]);
    });
  }
});
