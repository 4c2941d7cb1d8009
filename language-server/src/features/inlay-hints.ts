import { InlayHintKind, type InlayHint, type Range } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import { KIND_SPECS } from "../../../compiler/semantic/schema/index.js";
import type { DeclInfo } from "../../../compiler/semantic/declarations.js";
import { valueText } from "./hover.js";

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

/** Fields whose effective value comes from the pattern chain (the compiler's layers), in some environment. */
export function inherited(program: Program, d: DeclInfo): Inherited[] {
  const spec = KIND_SPECS[d.kind];
  const perEnv = program.checked.values.get(d);
  if (!spec || !perEnv) return [];
  const byField = new Map<string, Inherited[]>();
  for (const values of perEnv.values()) {
    for (const [field, layer] of Object.entries(values.layers)) {
      if (byField.has(field)) continue;
      const repeatable = spec.fields[field]?.repeatable === true;
      if (!repeatable && layer.layer !== "pattern") continue;
      const fromPatterns = values.sources(field).filter((s) => s.layer === "pattern");
      if (fromPatterns.length) byField.set(field, fromPatterns.map((s) => ({ field, value: shorten(valueText(program, s.range)), pattern: s.pattern ?? "?" })));
    }
  }
  return [...byField.values()].flat();
}

function shorten(s: string): string {
  return s.length > MAX_VALUE ? s.slice(0, MAX_VALUE - 1) + "…" : s;
}
