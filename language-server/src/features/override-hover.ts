import type { Program } from "../../../compiler/program.js";
import type { DeclInfo } from "../../../compiler/semantic/declarations.js";
import type { Member } from "../../../compiler/syntax/ast.js";
import { outputsFor } from "../outputs.js";

/** A value as a hover shows it: short JSON, `(unset)` for nothing. */
const shown = (v: unknown): string => {
  if (v === undefined) return "(unset)";
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
};

/**
 * Hover on `override <kind>/<name>` (or one of its lines): the object it patches in the shown
 * environment, and each step's value before and after, as the build applies them.
 */
export function overrideHover(program: Program, d: DeclInfo, environment: string | undefined, member?: Member): string {
  const parts = [`\`\`\`fin\noverride ${d.name}${d.node.target ? ` for ${d.node.target.text}` : ""}\n\`\`\``];
  const env = d.node.target?.text ?? environment;
  const outputs = env ? outputsFor(program, env) : undefined;
  if (!env || !outputs) return [...parts, "*A typed patch on an emitted object, applied after every target.*"].join("\n\n");
  const inside = (r: { start: number; end: number }, s: { start: number; end: number }): boolean => r.start >= s.start && r.end <= s.end;
  const steps = (outputs.overrideSteps ?? []).filter((s) => s.op.range.file === d.file && inside(s.op.range, member ?? d.node));
  const docs = [...new Set(steps.map((s) => s.document))];
  if (!docs.length) {
    parts.push(`Nothing applied in \`${env}\`${program.diagnostics.some((x) => x.severity === "error") ? " (the spec has errors)" : ""}.`);
    return parts.join("\n\n");
  }
  parts.push(`Patches \`${docs.map((p) => `${env}/${p}`).join("`, `")}\` in \`${env}\`, after every target has run:`);
  parts.push(steps.map((s) => `- \`${s.op.path.join(".")}\`${s.op.action === "append" ? " (append)" : ""}: \`${shown(s.before)}\` → \`${shown(s.op.action === "delete" ? undefined : s.op.action === "append" ? s.op.value : s.after)}\``).join("\n"));
  return parts.join("\n\n");
}
