import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { isDnsLabel } from "./schema/common-fields.js";

/**
 * The DNS label closest to a name the user wrote: `SHOP` → `shop`, `Bad_Name` → `bad-name`.
 * Undefined when nothing of it is left (`_1`).
 */
export function toDnsLabel(name: string, max: number): string | undefined {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, max)
    .replace(/-+$/, "");
  return isDnsLabel(label, max) ? label : undefined;
}

/**
 * FIN3008 for a declared name that is not a lower-case DNS label (every name finc declares ends
 * up in a Kubernetes name, label or path), with a quick fix to the closest label.
 */
export function checkDnsName(name: string, range: SourceRange, max: number, report: (d: Diagnostic) => void): void {
  if (isDnsLabel(name, max)) return;
  const fixed = toDnsLabel(name, max);
  report(diag("FIN3008", range, { name, max }, fixed && fixed !== name ? { fixes: [{ title: `Change to '${fixed}'`, edits: [{ range, newText: fixed }] }] } : {}));
}
