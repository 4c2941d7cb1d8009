import { InlayHintKind, type InlayHint, type InlayHintLabelPart, type Range } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import { KIND_SPECS } from "../../../compiler/semantic/schema/index.js";
import type { DeclInfo } from "../../../compiler/semantic/declarations.js";
import { valueText } from "./hover.js";

const MAX_VALUE = 120;

/** Fields named in the hint itself; the rest are behind a "+N" part. */
const VISIBLE_FIELDS = 4;

/**
 * One compact hint per declaration, at the end of its `{` line, naming the fields it inherits
 * from its pattern chain without setting them: `payment-api: replicas, cpu, memory, probe, +5`.
 * Each field is a label part whose tooltip is its inherited value (VS Code shows label parts'
 * tooltips on hover), so a declaration with nine inherited fields no longer stacks nine hints
 * that the editor cuts to two and "…". Repeatable fields accumulate, so their pattern lines are
 * listed even when the declaration adds more.
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
    const hints = inherited(program, d);
    if (!hints.length) continue;
    const position = { line: braceLine, character: src.lineText(braceLine).replace(/\s*(\/\/.*)?$/, "").length };
    const fields = [...new Set(hints.map((h) => h.field))];
    const valuesOf = (field: string): string => hints.filter((h) => h.field === field).map((h) => `${h.field} ${h.value}  (from ${h.pattern})`).join("\n");
    const patterns = [...new Set(hints.map((h) => h.pattern))].join(", ");
    const label: InlayHintLabelPart[] = [{ value: `${patterns}: ` }];
    fields.slice(0, VISIBLE_FIELDS).forEach((f, i) => {
      if (i > 0) label.push({ value: ", " });
      label.push({ value: f, tooltip: `${valuesOf(f)}\n\nSet \`${f}\` in the declaration to override it.` });
    });
    const rest = fields.slice(VISIBLE_FIELDS);
    if (rest.length) label.push({ value: ", " }, { value: `+${rest.length}`, tooltip: rest.map(valuesOf).join("\n") });
    out.push({ position, label, kind: InlayHintKind.Parameter, paddingLeft: true });
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
