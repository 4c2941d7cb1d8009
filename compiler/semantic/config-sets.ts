import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { Declaration, Member } from "../syntax/ast.js";
import type { DeclInfo, DeclarationTable } from "./declarations.js";
import { closestFix, didYouMean } from "./did-you-mean.js";
import type { FieldSource } from "./effective-fields.js";

/** The names of `config from <set>, <set> …`, or undefined when the member is an ordinary config line. */
export function configSetNames(m: Member): { text: string; range: { start: number; end: number } }[] | undefined {
  const [first, ...rest] = m.terms;
  const [kw, name, ...extra] = first?.atoms ?? [];
  if (m.block || kw?.kind !== "Word" || kw.parts.length !== 1 || kw.parts[0]!.text !== "from" || name?.kind !== "Word" || extra.length) return undefined;
  const names = [name, ...rest.map((t) => (t.atoms.length === 1 ? t.atoms[0] : undefined))];
  if (names.some((a) => a?.kind !== "Word")) return undefined;
  return names.map((a) => ({ text: a!.kind === "Word" ? a!.parts.map((p) => p.text).join(".") : "", range: { start: a!.start, end: a!.end } }));
}

/** One synthetic `config { … }` member per set, so each set's entries are read (and cached) once. */
const asConfig = new WeakMap<Declaration, Member>();
function setMember(set: DeclInfo): Member {
  let m = asConfig.get(set.node);
  if (!m) {
    const kw = set.node.keyword;
    m = { kind: "Member", path: [{ text: "config", start: kw.start, end: kw.end }], terms: [], block: set.node.body, start: set.node.start, end: set.node.end };
    asConfig.set(set.node, m);
  }
  return m;
}

/**
 * Replaces each `config from <set>` line with the set's entries. Within one layer (a pattern,
 * the declaration, one environment) the sets come first, in the order named, then the layer's
 * own config lines: a workload's own keys win over its sets wherever the `from` line is written.
 */
export function expandConfigSets(
  fields: Map<string, FieldSource[]>,
  table: DeclarationTable,
  refer: (r: SourceRange, t: DeclInfo) => void,
  report: (d: Diagnostic) => void,
): Map<string, FieldSource[]> {
  const sources = fields.get("config");
  if (!sources?.some((s) => configSetNames(s.member))) return fields;
  const out: FieldSource[] = [];
  let group: { key: string; sets: FieldSource[]; own: FieldSource[] } | undefined;
  const flush = (): void => {
    if (group) out.push(...group.sets, ...group.own);
  };
  for (const src of sources) {
    const key = `${src.layer}|${src.from ?? ""}|${src.file}`;
    if (group?.key !== key) {
      flush();
      group = { key, sets: [], own: [] };
    }
    const names = configSetNames(src.member);
    if (!names) {
      group.own.push(src);
      continue;
    }
    for (const n of names) {
      const range = { file: src.file, ...n.range };
      const set = table.lookup("configset", n.text);
      if (!set) {
        const known = table.names("configset");
        report(diag("FIN2004", range, { expected: "config set", name: n.text, didYouMean: didYouMean(n.text, known) || "Declare it: `configset <name> { KEY = \"value\" }`." }, closestFix(range, n.text, known)));
        continue;
      }
      refer(range, set);
      group.sets.push({ member: setMember(set), file: set.file, layer: src.layer, ...(src.from ? { from: src.from } : {}) });
    }
  }
  flush();
  const expanded = new Map(fields);
  if (out.length) expanded.set("config", out);
  else expanded.delete("config");
  return expanded;
}
