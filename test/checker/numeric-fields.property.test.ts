import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { readFileSync } from "node:fs";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { KIND_SPECS } from "../../compiler/semantic/schema/index.js";
import type { FieldSpec } from "../../compiler/semantic/schema/field-spec.js";
import { compileSources, VIRTUAL } from "../helpers/compile.js";
import { schemaPath, schemasAvailable } from "../helpers/schemas.js";

/**
 * Issue 8 item 5: every numeric field of the schema, driven with boundary values in every unit,
 * either fails with a diagnostic whose range lies inside the file, or emits documents that
 * validate against the upstream schemas with real int32/int64 formats (the shared helper
 * accepts any number there) and hold no number that is not a safe integer where an integer is.
 * The fields are enumerated from the field specs, so a new numeric field is covered by itself.
 */

// ---- the numeric slots of the schema --------------------------------------------------------

/** Numbers outside strings, as the lexer reads them: digits, an optional fraction, a unit. */
const TOKEN = /("(?:[^"\\]|\\.)*")|(?<=^|[\s,[])([0-9]+(?:\.[0-9]+)?)([a-zA-Z]+|%|\/[a-z]+)?/g;

interface Slot {
  readonly kind: string;
  readonly field: string;
  /** The field's value with one number cut out: `before` + <number><unit> + `after`. */
  readonly before: string;
  readonly after: string;
  readonly unit: string;
}

function slotsOf(kind: string, field: string, value: string): Slot[] {
  const out: Slot[] = [];
  for (const m of value.matchAll(TOKEN)) {
    if (m[1] !== undefined) continue;
    const start = m.index;
    out.push({ kind, field, before: value.slice(0, start), after: value.slice(start + m[0].length), unit: m[3] ?? "" });
  }
  return out;
}

const FIELDS: { kind: string; field: string; spec: FieldSpec; samples: string[] }[] = Object.entries(KIND_SPECS).flatMap(([kind, k]) =>
  Object.entries(k.fields).map(([field, spec]) => ({ kind, field, spec, samples: [spec.example, ...(spec.numbers ?? []).flatMap((r) => (r.example ? [r.example] : []))] })),
);
const SLOTS: Slot[] = FIELDS.flatMap((f) => f.samples.flatMap((s) => slotsOf(f.kind, f.field, s)));

// ---- a spec around one field ------------------------------------------------------------------

const IMAGE = '"registry.example.com/team/api:1.0.0"';
/** Each declaration's own lines: a field under test replaces its line here, others are added. */
const BASE: Record<string, Record<string, string>> = {
  platform: { environments: "dev, prod", mesh: "istio sidecar cni", monitoring: "prometheus" },
  secretstore: { provider: "vault", server: '"https://vault.example.com"' },
  namespace: {},
  service: { image: IMAGE, port: "http 8080, metrics 9102", replicas: "2 to 6", probe: "readiness /ready, liveness /healthz" },
  database: { storage: "10Gi", credentials: 'from vault "db/ledger"' },
  issuer: { acme: '"https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"' },
};
const HEADS: Record<string, string> = { platform: "platform p", secretstore: "secretstore vault", namespace: "namespace apps", service: "service api", database: "database ledger", issuer: "issuer letsencrypt" };

function specWith(kind: string, field: string, value: string): string {
  return Object.entries(BASE)
    .map(([k, lines]) => {
      const all = { ...lines, ...(k === kind ? { [field]: value } : {}) };
      return `${HEADS[k]} {\n${Object.entries(all).map(([f, v]) => `  ${f} ${v}\n`).join("")}}\n`;
    })
    .join("");
}

// ---- the schemas, with real integer formats ------------------------------------------------------

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const goRegExp = Object.assign((pattern: string, flags: string) => (pattern.includes("(?i)") ? new RegExp(pattern.replaceAll("(?i)", ""), flags + "i") : new RegExp(pattern, flags)), { code: "new RegExp" });
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, code: { regExp: goRegExp } });
addFormats(ajv);
ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1 });
ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
for (const f of ["double", "float", "byte", "int-or-string", "quantity"]) ajv.addFormat(f, true);
const validators = new Map<string, ValidateFunction>();

function schemaErrors(doc: { apiVersion?: unknown; kind?: unknown }): string[] {
  const path = typeof doc.apiVersion === "string" && typeof doc.kind === "string" ? schemaPath(doc.apiVersion, doc.kind) : undefined;
  if (!path) return [];
  let v = validators.get(path);
  if (!v) validators.set(path, (v = ajv.compile(JSON.parse(readFileSync(path, "utf8")) as object)));
  const kind = String(doc.kind);
  return v(doc) ? [] : (v.errors ?? []).map((e) => `${kind}${e.instancePath} ${e.message ?? ""}`);
}

/** Every number: finite, and a safe integer when it is integral (YAML would write 1e20 as a float). */
function unsafeNumbers(value: unknown, at = ""): string[] {
  if (typeof value === "number") return Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value)) ? [] : [`${at} = ${value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => unsafeNumbers(v, `${at}/${i}`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => unsafeNumbers(v, `${at}/${k}`));
  return [];
}

// ---- the property --------------------------------------------------------------------------------

const VALUES = ["0", "1", "2", "-1", "2147483647", "2147483648", "9007199254740992", "1e21", "99999999999999999999", "0.5", "1.5", "0.0001", "65535", "65536"];
/** The sweep over every slot keeps to the values that sit on the edges of most ranges (fast). */
const EDGES = ["0", "1", "2147483648", "99999999999999999999", "0.5"];
const UNITS = ["", "m", "Ki", "Mi", "Gi", "Ti", "k", "M", "G", "T", "ms", "s", "h", "d", "w", "%", "/s", "/m", "/h"];

function badRanges(diagnostics: readonly Diagnostic[], text: string): string[] {
  return diagnostics.flatMap((d) => {
    if (d.range.file !== `${VIRTUAL}/main.fin`) return d.range.file.includes("/stdlib/") ? [] : [`${d.code} in ${d.range.file}`];
    return d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= text.length ? [] : [`${d.code} at ${d.range.start}–${d.range.end} of ${text.length}`];
  });
}

/** How many values built and were validated (so that the property is not vacuous). */
let validated = 0;

/** Builds one field value; returns what is wrong with the outcome (nothing: a diagnostic, or valid output). */
function problems(slot: Slot, number: string, unit: string): string[] {
  const value = `${slot.before}${number}${unit}${slot.after}`;
  const text = specWith(slot.kind, slot.field, value);
  const program = compileSources({ "main.fin": text });
  const wrong = badRanges(program.diagnostics, text);
  if (program.diagnostics.some((d) => d.severity === "error")) return wrong;
  const out = buildOutputs(program, { root: VIRTUAL, environments: ["dev"] });
  wrong.push(...badRanges(out.diagnostics, text));
  if (out.diagnostics.some((d) => d.severity === "error")) return wrong;
  validated++;
  for (const d of out.documents.get("dev") ?? []) {
    const doc = d.object as { apiVersion?: unknown; kind?: unknown };
    wrong.push(...unsafeNumbers(doc, `${d.path}:`));
    if (schemasAvailable) wrong.push(...schemaErrors(doc).map((e) => `${d.path}: ${e}`));
  }
  return wrong.map((w) => `${slot.kind}.${slot.field} ${value}: ${w}`);
}

describe("every numeric field, driven with boundary values", () => {
  it("the field specs declare a range for every field that takes a number, and every range has a number to drive", () => {
    const undeclared = FIELDS.filter((f) => slotsOf(f.kind, f.field, f.spec.example).length > 0 && !f.spec.numbers?.length).map((f) => `${f.kind}.${f.field}`);
    expect(undeclared).toEqual([]);
    const undriven = FIELDS.filter((f) => f.spec.numbers?.length && !f.samples.some((s) => slotsOf(f.kind, f.field, s).length)).map((f) => `${f.kind}.${f.field}`);
    expect(undriven).toEqual([]);
    expect(SLOTS.length).toBeGreaterThan(40);
  });

  it("the base spec builds cleanly, so that what fails below is the value under test", () => {
    const program = compileSources({ "main.fin": specWith("service", "grace", "30s") });
    expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("each number with its own unit at every boundary: a diagnostic inside the file, or valid output", () => {
    const before = validated;
    const wrong = SLOTS.flatMap((slot) => EDGES.flatMap((v) => problems(slot, v, slot.unit)));
    expect(wrong).toEqual([]);
    // Not vacuous: many values are in range, build, and have their output validated.
    expect(validated - before).toBeGreaterThan(SLOTS.length / 2);
    // One build per slot and edge value: it grows with every numeric field (about 40 s on a quiet machine).
  }, 180_000);

  it("random slots, boundary values and units (seeded): a diagnostic inside the file, or valid output", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SLOTS), fc.constantFrom(...VALUES), fc.constantFrom(...UNITS), (slot, v, unit) => {
        expect(problems(slot, v, unit)).toEqual([]);
      }),
      { seed: 20250805, numRuns: 200 },
    );
  });
});
