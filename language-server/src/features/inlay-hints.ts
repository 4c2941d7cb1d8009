import { InlayHintKind, type InlayHint, type Range } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import { KIND_SPECS, PATTERN_FIELDS } from "../../../compiler/semantic/schema/index.js";
import { memberName, termText, type Member } from "../../../compiler/syntax/ast.js";
import type { DeclInfo } from "../../../compiler/semantic/declarations.js";

const MAX_VALUE = 32;

/**
 * For each field a declaration inherits from its pattern chain without setting it, one hint
 * at the end of the declaration's `{` line: `replicas 3 to 12 at cpu 70% (from payment-api)`.
 * Repeatable fields accumulate, so their pattern lines are shown even when the declaration adds more.
 */
export function inlayHints(program: Program, path: string, range: Range): InlayHint[] {
  const file = program.files.get(path);
  if (!file) return [];
  const src = file.source;
  const out: InlayHint[] = [];
  for (const d of program.declarations.all) {
    if (d.file !== path || !KIND_SPECS[d.kind]) continue;
    const braceLine = src.positionOf(d.node.body.start).line;
    if (braceLine < range.start.line || braceLine > range.end.line) continue;
    const position = { line: braceLine, character: src.lineText(braceLine).replace(/\s*(\/\/.*)?$/, "").length };
    for (const h of inherited(program, d)) {
      out.push({
        position,
        label: `${h.field} ${h.value} (from ${h.pattern})`,
        kind: InlayHintKind.Parameter,
        paddingLeft: true,
        tooltip: `Inherited from pattern '${h.pattern}'. Set \`${h.field}\` in the declaration to override it.`,
      });
    }
  }
  return out;
}

interface Inherited {
  readonly field: string;
  readonly value: string;
  readonly pattern: string;
}

export function inherited(program: Program, d: DeclInfo): Inherited[] {
  const spec = KIND_SPECS[d.kind];
  const chain = program.checked.patterns.get(d) ?? [];
  if (!spec || chain.length === 0) return [];
  const own = new Set(d.node.body.members.map(memberName));
  const byField = new Map<string, Inherited[]>();
  for (const p of chain) {
    for (const m of p.node.body.members) {
      const field = memberName(m);
      const f = spec.fields[field];
      if (!f || field in PATTERN_FIELDS) continue;
      if (!f.repeatable && own.has(field)) continue;
      const entry = { field, value: shorten(valueOf(m)), pattern: p.name };
      byField.set(field, f.repeatable ? [...(byField.get(field) ?? []), entry] : [entry]);
    }
  }
  return [...byField.values()].flat();
}

function valueOf(m: Member): string {
  return m.terms.map(termText).join(", ") + (m.block ? " { … }" : "");
}

function shorten(s: string): string {
  return s.length > MAX_VALUE ? s.slice(0, MAX_VALUE - 1) + "…" : s;
}
