import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compileSources, PLATFORM, REPO, STDLIB, VIRTUAL } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import { formatSource } from "../../compiler/format/format.js";

/**
 * Issue 8, item 8: the whole pipeline over random and mutated specs. Complements
 * test/syntax/fuzz.test.ts (parser and checker over token soup): here the inputs start from the
 * real example and stdlib and include what breaks programs rather than grammars — deep nesting,
 * huge numbers, random bytes and unicode, CR line endings — and each run goes on through the
 * emitters, the formatter and the schema validator. Every run is seeded: a failure reproduces.
 *
 * Properties: no exception escapes; every diagnostic's range lies inside one of the input files
 * (or the stdlib); a build without errors emits schema-valid documents; the CLI exits 0, 1 or 2.
 */

const EXAMPLE = resolve(REPO, "examples/payments");
// Without the database's `init` line: its SQL file is not among the in-memory inputs (FIN4056 would fail every run).
const example: Record<string, string> = Object.fromEntries(readdirSync(EXAMPLE).filter((f) => f.endsWith(".fin")).map((f) => [f, readFileSync(join(EXAMPLE, f), "utf8").replace(/^\s*init\s+"[^"]*"\n/m, "")]));
const stdlib: string[] = readdirSync(join(STDLIB, "fintech")).map((f) => readFileSync(join(STDLIB, "fintech", f), "utf8"));

const NUMBERS = ["0", "-1", "2147483648", "9223372036854775808", "99999999999999999999", "1e400", "0.0000000001", "99999999999999999999Gi", "0Mi", "99999999999999999999s", "4294967296/s", "1000%"];
const junk = fc.oneof(
  fc.constantFrom("[", "]", "{", "}", ",", ".", "=", '"', "//", "\r", "\r\n", "\n", "\t", "\u0000", "\uFEFF", "\u2028", "é", "😀", "$", "is", "for", "import", "service", "replicas", "to", "at"),
  fc.constantFrom(...NUMBERS),
  fc.integer({ min: 30, max: 3000 }).map((n) => "[".repeat(n)),
  fc.integer({ min: 30, max: 3000 }).map((n) => "x {\n".repeat(n)),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString("latin1")),
);

/** A mutation: at a position (a fraction of the text), delete, duplicate or insert. */
const mutation = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  len: fc.nat({ max: 60 }),
  op: fc.constantFrom("delete", "duplicate", "insert", "number"),
  insert: junk,
});

type Mutation = { at: number; len: number; op: string; insert: string };

function mutate(text: string, ms: readonly Mutation[]): string {
  for (const m of ms) {
    const at = Math.floor(m.at * text.length);
    const cut = text.slice(at, at + m.len);
    if (m.op === "delete") text = text.slice(0, at) + text.slice(at + m.len);
    else if (m.op === "duplicate") text = text.slice(0, at) + cut + cut + text.slice(at + m.len);
    else if (m.op === "insert") text = text.slice(0, at) + m.insert + text.slice(at);
    else {
      // Replace the next number with a boundary value.
      const re = /\d+/g;
      re.lastIndex = at;
      const hit = re.exec(text) ?? /\d+/.exec(text);
      if (hit) text = text.slice(0, hit.index) + NUMBERS[m.len % NUMBERS.length]! + text.slice(hit.index + hit[0].length);
    }
  }
  return text;
}

/** Runs whose outputs went through the schema validator (so that property is not vacuous). */
let validated = 0;

/** Every property of one in-process run: compile, check ranges, build, validate, format. */
function runPipeline(files: Record<string, string>): void {
  const program = compileSources(files);
  for (const d of program.diagnostics) {
    const name = d.range.file.startsWith(`${VIRTUAL}/`) ? d.range.file.slice(VIRTUAL.length + 1) : undefined;
    const text = name !== undefined ? files[name] : program.getSourceFile(d.range.file)?.text;
    expect(text, `${d.code} names a file that is not an input: ${d.range.file}`).toBeDefined();
    expect(Number.isInteger(d.range.start) && Number.isInteger(d.range.end), `${d.code} ${d.message}`).toBe(true);
    expect(d.range.start).toBeGreaterThanOrEqual(0);
    expect(d.range.end).toBeGreaterThanOrEqual(d.range.start);
    expect(d.range.end).toBeLessThanOrEqual(text!.length);
    expect(d.code).toMatch(/^FIN\d{4}$/);
  }
  if (!hasErrors(program.diagnostics)) {
    const outputs = buildOutputs(program);
    if (!hasErrors(outputs.diagnostics) && schemasAvailable) {
      validated++;
      for (const [env, docs] of outputs.documents) {
        for (const doc of docs) {
          const errors = validateManifest(doc.object as { apiVersion?: unknown; kind?: unknown });
          expect(errors, `${env}/${doc.path}`).toEqual([]);
        }
      }
    }
  }
  for (const text of Object.values(files)) {
    const formatted = formatSource(text);
    if (formatted) expect(formatSource(formatted.text)?.changed).toBe(false);
  }
}

describe("the pipeline never throws and reports honest ranges", () => {
  it("on the example with random mutations (tokens, brackets, huge numbers, bytes, unicode, deep nesting)", () => {
    const names = Object.keys(example);
    fc.assert(
      fc.property(fc.nat({ max: names.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 5 }), (which, ms) => {
        const files = { ...example, [names[which]!]: mutate(example[names[which]!]!, ms) };
        runPipeline(files);
      }),
      { seed: 8, numRuns: Number(process.env["FUZZ_RUNS"] ?? 120) },
    );
    if (schemasAvailable) expect(validated).toBeGreaterThan(5);
  }, 120_000);

  it("on a stdlib pattern file mutated and used by a small spec", () => {
    const before = validated;
    const user = `${PLATFORM}import "./lib"\nservice api is lib {\n  namespace apps\n  image "r.io/api:1.0"\n  port http 8080\n}\n`;
    fc.assert(
      fc.property(fc.nat({ max: stdlib.length - 1 }), fc.array(mutation, { maxLength: 4 }), (which, ms) => {
        const lib = mutate(stdlib[which]!.replace(/pattern [a-z-]+ for/, "pattern lib for"), ms);
        runPipeline({ "main.fin": user, "lib.fin": lib });
      }),
      { seed: 9, numRuns: 60 },
    );
    if (schemasAvailable) expect(validated - before).toBeGreaterThan(0);
  }, 60_000);

  it("on whole files of random bytes, random unicode, CR-only line endings and deep nesting", () => {
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 4000 }).map((b) => Buffer.from(b).toString("latin1")),
      fc.uint8Array({ maxLength: 4000 }).map((b) => Buffer.from(b).toString("utf8")),
      fc.string({ unit: "grapheme", maxLength: 500 }),
      fc.constant(Object.values(example).join("\n").replaceAll("\n", "\r")),
      fc.integer({ min: 1, max: 20_000 }).map((n) => `${PLATFORM}service a {\n  command ${"[".repeat(n)}${"]".repeat(n % 7 === 0 ? n : 0)}\n}\n`),
      fc.integer({ min: 1, max: 5_000 }).map((n) => `${PLATFORM}${"{".repeat(n)}${"}".repeat(n % 2 ? n : 0)}`),
    );
    fc.assert(fc.property(file, (text) => runPipeline({ "main.fin": text })), { seed: 10, numRuns: 150 });
  }, 120_000);
});

describe("the CLI exits 0, 1 or 2 only", () => {
  const dir = mkdtempSync(join(tmpdir(), "finc-robust-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const FINC = resolve(REPO, "dist/finc.cjs");

  it("on a handful of mutated specs, through dist/finc.cjs (spawning is slow: few runs)", () => {
    const specs = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 4 }), { seed: 11, numRuns: 4 }).map((ms) => mutate(example["services.fin"]!, ms));
    specs.push(`${PLATFORM}service a {\n  command ${"[".repeat(10_000)}\n}\n`, "\u0000\u0001\u0002garbage\r\r\r");
    specs.forEach((text, i) => {
      const spec = join(dir, `spec-${i}`);
      spawnSync("mkdir", ["-p", spec]);
      writeFileSync(join(spec, "platform.fin"), example["platform.fin"]!);
      writeFileSync(join(spec, "services.fin"), text);
      for (const args of [["check", spec], ["build", spec, "--out", join(dir, `out-${i}`)], ["fmt", "--check", spec]]) {
        const r = spawnSync(process.execPath, [FINC, ...args], { encoding: "utf8" });
        expect([0, 1, 2], `finc ${args.join(" ")}: ${r.stderr.slice(0, 500)}`).toContain(r.status);
        expect(r.stderr).not.toContain("internal error");
      }
    });
  }, 120_000);
});
