import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { Member } from "../syntax/ast.js";
import type { DeclInfo, DeclarationTable } from "./declarations.js";
import { closestFix, didYouMean } from "./did-you-mean.js";
import { KIND_SPECS, PATTERN_FIELDS } from "./schema/index.js";

/** Where a field's effective value comes from. */
export type Layer = "pattern" | "declaration" | "environment";

export interface FieldSource {
  readonly member: Member;
  readonly file: string;
  readonly layer: Layer;
  /** The pattern (layer "pattern") or environment (layer "environment") the member is written in. */
  readonly from?: string;
}

export interface PatternRules {
  readonly required: { field: string; pattern: DeclInfo; range: SourceRange }[];
  /** `minimum replicas 3 [in prod staging]`: without `in`, the bound holds in every environment. */
  readonly minimums: { field: string; value: number; environments?: string[]; pattern: DeclInfo; range: SourceRange }[];
}

/** Environment overrides, indexed env → declaration name → members re-rooted at the field. */
export type Overrides = Map<string, Map<DeclInfo, FieldSource[]>>;

/** The pattern chain of a declaration, most generic first; reports unknown or mismatched patterns. */
export function patternChain(decl: DeclInfo, table: DeclarationTable, report: (d: Diagnostic) => void): DeclInfo[] {
  const chain: DeclInfo[] = [];
  const kind = decl.kind === "pattern" ? decl.node.target?.text : decl.kind;
  let current = decl;
  const seen = new Set<DeclInfo>([decl]);
  while (current.node.base) {
    const base = current.node.base;
    const p = table.lookup("pattern", base.text);
    const range = { file: current.file, start: base.start, end: base.end };
    // A cycle among patterns is reported once, at the pattern closing it (checkPatternBases, FIN2016).
    if (p && seen.has(p)) break;
    if (!p || (p.node.target?.text ?? kind) !== kind) {
      const candidates = table.all.filter((d) => d.kind === "pattern" && d.node.target?.text === kind).map((d) => d.name);
      report(diag("FIN2006", range, { name: base.text, kind: kind ?? "?", didYouMean: didYouMean(base.text, candidates) || "Import the stdlib module that defines it, e.g. import \"fintech/payment-api\"." }, closestFix(range, base.text, candidates)));
      break;
    }
    chain.unshift(p);
    seen.add(p);
    current = p;
  }
  return chain;
}

export function collectOverrides(table: DeclarationTable, environments: readonly string[], report: (d: Diagnostic) => void): Overrides {
  const out: Overrides = new Map();
  for (const env of table.all.filter((d) => d.kind === "environment")) {
    if (!environments.includes(env.name)) {
      report(diag("FIN2008", env.nameRange, { name: env.name, didYouMean: environments.length ? ` (${didYouMean(env.name, environments).replace(/\.$/, "")})` : "" }, closestFix(env.nameRange, env.name, environments)));
      continue;
    }
    let byDecl = out.get(env.name);
    if (!byDecl) out.set(env.name, (byDecl = new Map()));
    for (const m of env.node.body.members) {
      const target = m.path[0]!;
      const decl = findTarget(table, target.text);
      if (!decl) {
        const names = table.all.filter((d) => d.kind !== "pattern" && d.kind !== "environment").map((d) => d.name);
        const range = { file: env.file, start: target.start, end: target.end };
        report(diag("FIN2009", range, { name: target.text, didYouMean: didYouMean(target.text, names) }, closestFix(range, target.text, names)));
        continue;
      }
      const rerooted: readonly Member[] = m.path.length > 1 ? [{ ...m, path: m.path.slice(1) }] : (m.block?.members ?? []);
      if (m.path.length === 1 && !m.block) {
        report(diag("FIN3001", { file: env.file, start: m.start, end: m.end }, { field: target.text, expected: "a field to override", found: "a declaration name alone", hint: `Write \`${target.text}.<field> <value>\` or \`${target.text} { <field> <value> }\`.` }));
      }
      const list = byDecl.get(decl) ?? [];
      list.push(...rerooted.map((member) => ({ member, file: env.file, layer: "environment" as const, from: env.name })));
      byDecl.set(decl, list);
    }
  }
  return out;
}

/** The declaration an environment override names: `api.replicas …`, `payments { … }`. */
export function findTarget(table: DeclarationTable, name: string): DeclInfo | undefined {
  for (const space of ["workload", "namespace", "platform", "secretstore"]) {
    const d = table.lookup(space, name);
    if (d) return d;
  }
  // `platform.<field>` overrides the platform's fields even when a namespace shares its name.
  return name === "platform" ? table.all.find((d) => d.kind === "platform" && !d.stdlib) : undefined;
}

/**
 * The members that set each field of a declaration in one environment: the pattern
 * chain first, then the declaration, then the environment's overrides. A repeatable
 * field accumulates; any other field takes the last layer that sets it.
 */
export function effectiveFields(
  decl: DeclInfo,
  chain: readonly DeclInfo[],
  overrides: readonly FieldSource[],
  report: (d: Diagnostic) => void,
): Map<string, FieldSource[]> {
  const spec = KIND_SPECS[decl.kind]!;
  const fields = new Map<string, FieldSource[]>();
  const layer = (sources: readonly FieldSource[], checkDuplicates: boolean): void => {
    const seenHere = new Map<string, FieldSource>();
    for (const src of sources) {
      const name = src.member.path.map((p) => p.text).join(".");
      if (src.layer === "pattern" && name in PATTERN_FIELDS) continue;
      const f = spec.fields[name];
      const refused = f ? undefined : spec.refused?.[name];
      if (refused) {
        const range = { file: src.file, start: src.member.path[0]!.start, end: src.member.path[src.member.path.length - 1]!.end };
        report(diag(refused.code, range, { message: refused.message, hint: refused.hint }));
        continue;
      }
      if (!f) {
        const first = src.member.path[0]!;
        const candidate = didYouMean(name, Object.keys(spec.fields));
        const range = { file: src.file, start: first.start, end: src.member.path[src.member.path.length - 1]!.end };
        const fixName = candidate.startsWith("Did you mean '") ? candidate.slice(14, -2) : undefined;
        report(diag("FIN2003", range, { field: name, kind: decl.kind, didYouMean: candidate }, fixName ? { fixes: [{ title: `Change to '${fixName}'`, edits: [{ range, newText: fixName }] }] } : {}));
        continue;
      }
      const prior = seenHere.get(name);
      if (prior && !f.repeatable && checkDuplicates) {
        const p = src.member.path[0]!;
        report(diag("FIN2007", { file: src.file, start: p.start, end: p.end }, { field: name, repeatable: Object.entries(spec.fields).filter(([, s]) => s.repeatable).map(([n]) => n).join(", ") || `none in a ${decl.kind}` }, { related: [{ message: "first set here", range: { file: prior.file, start: prior.member.start, end: prior.member.end } }] }));
      }
      seenHere.set(name, src);
      if (!f.repeatable) fields.set(name, [src]);
      else if (src.layer === "environment" && f.replaceInEnvironment && !replaced.has(name)) {
        // e.g. hosts differ per environment: the environment's list replaces the base list.
        replaced.add(name);
        fields.set(name, [src]);
      } else fields.set(name, [...(fields.get(name) ?? []), src]);
    }
  };
  const replaced = new Set<string>();
  for (const p of chain) layer(p.node.body.members.map((member) => ({ member, file: p.file, layer: "pattern" as const, from: p.name })), true);
  layer(decl.node.body.members.map((member) => ({ member, file: decl.file, layer: "declaration" as const })), true);
  layer(overrides, true);
  return fields;
}

export function patternRules(chain: readonly DeclInfo[], report: (d: Diagnostic) => void): PatternRules {
  const rules: PatternRules = { required: [], minimums: [] };
  for (const p of chain) {
    for (const m of p.node.body.members) {
      const name = m.path[0]!.text;
      const range = { file: p.file, start: m.start, end: m.end };
      if (name === "require") {
        for (const t of m.terms) {
          const a = t.atoms[0];
          if (a?.kind === "Word") rules.required.push({ field: a.parts[0]!.text, pattern: p, range });
        }
      } else if (name === "minimum") {
        const [f, v, kw, ...envs] = m.terms[0]?.atoms ?? [];
        const inEnvs = kw?.kind === "Word" && kw.parts[0]!.text === "in" ? envs.flatMap((e) => (e.kind === "Word" ? [e.parts[0]!.text] : [])) : undefined;
        if (f?.kind === "Word" && v?.kind === "Number" && (!kw || inEnvs?.length)) rules.minimums.push({ field: f.parts[0]!.text, value: v.value, pattern: p, range, ...(inEnvs ? { environments: inEnvs } : {}) });
        else report(diag("FIN3001", range, { field: "minimum", expected: "a field and a number", found: "something else", hint: "Write `minimum replicas 2` or `minimum replicas 3 in prod`." }));
      }
    }
  }
  return rules;
}
