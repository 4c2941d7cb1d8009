import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { atomText, type Atom, type Member, type Span, type Term } from "../syntax/ast.js";
import { closestFix } from "./did-you-mean.js";
import { parseCpu, parseDuration, parseMemory, parseRate } from "../model/units.js";
import { describeBound, inRange, type ValueRange } from "./schema/value-ranges.js";

/** What a field reader gets: the member being read and a place to report problems. */
export interface FieldContext {
  readonly file: string;
  readonly member: Member;
  readonly field: string;
  readonly kind: string;
  /** The field spec's example value, for hints that show what the field looks like. */
  readonly example?: string;
  report(d: Diagnostic): void;
}

/** A name together with where it was written, for later reference checks. */
export interface Ref {
  readonly name: string;
  readonly range: SourceRange;
}

/**
 * "Example: replicas 2 to 10 at cpu 70%", from the field spec (its store `vault` as `<store>`: the
 * spec's own store may be another provider); a pointer to the syntax when there is none.
 */
function exampleHint(ctx: FieldContext): string {
  return ctx.example ? `Example: ${ctx.field} ${ctx.example.replace(/\b(from|credentials|auth) vault\b/g, "$1 <store>")}` : `Check the syntax of '${ctx.field}' on hover or in docs/language.md.`;
}

export function rangeOf(ctx: { file: string }, span: Span): SourceRange {
  return { file: ctx.file, start: span.start, end: span.end };
}

export function describe(atom: Atom | undefined): string {
  if (!atom) return "nothing";
  switch (atom.kind) {
    case "String": return `the string ${atomText(atom)}`;
    case "Number": return `'${atom.raw}'`;
    case "Word": return `'${atomText(atom)}'`;
    case "Path": return `the path ${atom.value}`;
    case "Operator": return `'${atom.op}'`;
    case "List": return "a list";
  }
}

/** Reads the atoms of one term left to right, reporting type errors at the offending atom. */
export class TermReader {
  private i = 0;
  constructor(
    readonly ctx: FieldContext,
    readonly term: Term,
  ) {}

  get done(): boolean {
    return this.i >= this.term.atoms.length;
  }
  peek(): Atom | undefined {
    return this.term.atoms[this.i];
  }
  peekWord(): string | undefined {
    const a = this.peek();
    return a?.kind === "Word" && a.parts.length === 1 ? a.parts[0]!.text : undefined;
  }
  next(): Atom | undefined {
    return this.term.atoms[this.i++];
  }
  /** Consumes the word if it is next. */
  accept(word: string): boolean {
    if (this.peekWord() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  /** Consumes the operator (`=`, `<` …) if it is next. */
  acceptOperator(op: string): boolean {
    const a = this.peek();
    if (a?.kind === "Operator" && a.op === op) {
      this.i++;
      return true;
    }
    return false;
  }

  mismatch(expected: string, atom: Atom | undefined, hint = ""): undefined {
    const span = atom ?? { start: this.term.end, end: this.term.end };
    const range = atom ? rangeOf(this.ctx, span) : rangeOf(this.ctx, { start: this.ctx.member.end, end: this.ctx.member.end });
    this.ctx.report(diag("FIN3001", range, { field: this.ctx.field, expected, found: describe(atom), hint: hint || exampleHint(this.ctx) }));
    return undefined;
  }

  string(expected = "a string"): { value: string; range: SourceRange } | undefined {
    const a = this.next();
    if (a?.kind === "String") return { value: a.value, range: rangeOf(this.ctx, a) };
    return this.mismatch(expected, a, 'Write it in double quotes: "…".');
  }
  word(expected = "a name"): Ref | undefined {
    const a = this.next();
    if (a?.kind === "Word" && a.parts.length === 1) return { name: a.parts[0]!.text, range: rangeOf(this.ctx, a) };
    return this.mismatch(expected, a);
  }
  /** A possibly dotted reference such as `ledger.url`. */
  reference(expected = "a reference"): { parts: Ref[]; range: SourceRange } | undefined {
    const a = this.next();
    if (a?.kind === "Word") return { parts: a.parts.map((p) => ({ name: p.text, range: rangeOf(this.ctx, p) })), range: rangeOf(this.ctx, a) };
    return this.mismatch(expected, a);
  }
  oneOf<T extends string>(values: readonly T[], what: string): T | undefined {
    const a = this.next();
    if (a?.kind === "Word" && a.parts.length === 1) {
      const w = a.parts[0]!.text;
      if ((values as readonly string[]).includes(w)) return w as T;
      const range = rangeOf(this.ctx, a);
      this.ctx.report(diag("FIN3007", range, { value: w, what, valid: values.join(", ") }, closestFix(range, w, values)));
      return undefined;
    }
    return this.mismatch(`a ${what} (${values.join(", ")})`, a);
  }
  /** A whole number with no unit: a `count` range (`RANGES.port`, `RANGES.replicas` …). */
  count(range: ValueRange): number | undefined {
    const a = this.next();
    if (a?.kind === "Number" && a.unit === "" && Number.isInteger(a.value)) return this.checkRange(a, range, a.value);
    return this.mismatch(`a whole number (${range.what.toLowerCase()})`, a);
  }
  integer(what: string, min: number, max: number): number | undefined {
    return this.count({ kind: "count", what, target: what, min, max, step: 1 });
  }
  /** A number with no unit that may be fractional (a `decimal` range). */
  decimal(range: ValueRange, expected = "a number"): number | undefined {
    const a = this.next();
    if (a?.kind === "Number" && a.unit === "") return this.checkRange(a, range, a.value);
    return this.mismatch(expected, a);
  }
  /** FIN3004 at the number when `value` (in the range's canonical unit) is outside the field's declared range. */
  private checkRange<T extends number>(a: Atom, range: ValueRange, value: T): T | undefined {
    if (inRange(range, value)) return value;
    this.ctx.report(diag("FIN3004", rangeOf(this.ctx, a), { what: range.what, bound: describeBound(range), value: a.kind === "Number" ? a.raw : describe(a), hint: `It lands in ${range.target}.` }));
    return undefined;
  }
  private unitValue<T>(a: Atom | undefined, expected: string, parse: (v: number, u: string) => T | undefined, hint: string, range: ValueRange, canonical: (v: T) => number): T | undefined {
    if (a?.kind === "Number") {
      const v = parse(a.value, a.unit);
      if (v !== undefined) return this.checkRange(a, range, canonical(v)) === undefined ? undefined : v;
      this.ctx.report(diag("FIN3002", rangeOf(this.ctx, a), { value: a.raw, expected, hint }));
      return undefined;
    }
    return this.mismatch(expected, a, hint);
  }
  /** Millicores. */
  cpu(range: ValueRange): number | undefined {
    return this.unitValue(this.next(), "a CPU quantity", parseCpu, "CPU is written in cores (2, 0.5) or millicores (500m).", range, (v) => v);
  }
  memory(range: ValueRange): { bytes: number; raw: string } | undefined {
    const a = this.next();
    const bytes = this.unitValue(a, "a memory quantity", parseMemory, "Memory is written with a unit: 512Mi, 2Gi.", range, (v) => v);
    return bytes === undefined || a?.kind !== "Number" ? undefined : { bytes, raw: a.raw };
  }
  /** Milliseconds. */
  duration(range: ValueRange): number | undefined {
    return this.unitValue(this.next(), "a duration", parseDuration, "Durations have a unit: 300ms, 30s, 5m, 6h, 30d.", range, (v) => v);
  }
  percent(range: ValueRange): number | undefined {
    return this.unitValue(this.next(), "a percentage", (v, u) => (u === "%" ? v : undefined), "Percentages are written 70%, between 0% and 100%.", range, (v) => v);
  }
  /** A rate; its range bounds the amount per period (`100` of `100/s`). */
  rate(range: ValueRange): ReturnType<typeof parseRate> {
    return this.unitValue(this.next(), "a rate", parseRate, "Rates are written 100/s, 6000/m or 10000/h.", range, (v) => v.amount);
  }
  path(): string | undefined {
    const a = this.next();
    if (a?.kind === "Path") return a.value;
    return this.mismatch("a path such as /healthz", a);
  }
  /** Reports anything left over in the term. */
  end(): void {
    const a = this.peek();
    if (a) {
      this.ctx.report(diag("FIN3001", rangeOf(this.ctx, { start: a.start, end: this.term.end }), {
        field: this.ctx.field,
        expected: "the end of the value",
        found: describe(a),
        hint: "Remove the extra words or check the field's syntax on hover.",
      }));
      this.i = this.term.atoms.length;
    }
  }
}

/** Runs `read` on every term of the member. */
export function eachTerm<T>(ctx: FieldContext, read: (r: TermReader) => T | undefined): T[] {
  const out: T[] = [];
  for (const term of ctx.member.terms) {
    const r = new TermReader(ctx, term);
    const v = read(r);
    if (v !== undefined) out.push(v);
    if (v !== undefined) r.end();
  }
  return out;
}

/** Exactly one term; reports an empty value or extra comma-separated items. */
export function single<T>(ctx: FieldContext, read: (r: TermReader) => T | undefined): T | undefined {
  const [first, ...rest] = ctx.member.terms;
  if (!first) {
    ctx.report(diag("FIN3001", rangeOf(ctx, ctx.member), { field: ctx.field, expected: "a value", found: "nothing", hint: exampleHint(ctx) }));
    return undefined;
  }
  const r = new TermReader(ctx, first);
  const v = read(r);
  if (v !== undefined) r.end();
  if (rest.length) {
    const extra = rest[0]!;
    ctx.report(diag("FIN3001", rangeOf(ctx, { start: extra.start, end: rest[rest.length - 1]!.end }), {
      field: ctx.field, expected: "a single value", found: "a list", hint: "Remove the extra comma-separated values.",
    }));
  }
  return v;
}
