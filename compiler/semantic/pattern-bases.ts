import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { DeclInfo, DeclarationTable } from "./declarations.js";
import { closestFix, didYouMean } from "./did-you-mean.js";

/** The kind a declaration's pattern chain is for: a pattern's `for <kind>`, otherwise its own kind. */
export const chainKind = (d: DeclInfo): string | undefined => (d.kind === "pattern" ? d.node.target?.text : d.kind);

/**
 * The patterns of a cycle that `start` reaches through `is`, or undefined. The walk stops
 * at a missing base, so an unknown name is a FIN2006, not a cycle.
 */
export function patternCycle(start: DeclInfo, table: DeclarationTable): DeclInfo[] | undefined {
  const path: DeclInfo[] = [];
  let current: DeclInfo | undefined = start;
  while (current?.node.base) {
    const at = path.indexOf(current);
    if (at >= 0) return path.slice(at);
    path.push(current);
    current = table.lookup("pattern", current.node.base.text);
  }
  return undefined;
}

/**
 * Checks every pattern's own `is <base>` once, whether or not a declaration uses it:
 * the base exists and is a pattern for the same kind (FIN2006), and the chain ends (FIN2016).
 * A cycle is reported once, at the `is` of its member declared last (the one that closes it).
 */
export function checkPatternBases(table: DeclarationTable, refer: (r: SourceRange, t: DeclInfo) => void, report: (d: Diagnostic) => void): void {
  const order = new Map(table.all.map((d, i) => [d, i]));
  for (const p of table.all) {
    if (p.kind !== "pattern" || !p.node.base) continue;
    const base = p.node.base;
    const range = { file: p.file, start: base.start, end: base.end };
    const target = table.lookup("pattern", base.text);
    const kind = chainKind(p);
    if (!target) {
      if (p.stdlib) continue;
      const candidates = table.all.filter((d) => d.kind === "pattern" && d !== p && chainKind(d) === kind).map((d) => d.name);
      report(diag("FIN2006", range, { name: base.text, kind: kind ?? "?", didYouMean: didYouMean(base.text, candidates) || "Declare it, or import the stdlib module that defines it, e.g. import \"fintech/payment-api\"." }, closestFix(range, base.text, candidates)));
      continue;
    }
    if (!p.stdlib) refer(range, target);
    const baseKind = chainKind(target);
    if (kind && baseKind && baseKind !== kind) {
      report(diag("FIN2006", range, { name: base.text, kind, didYouMean: `'${base.text}' is a pattern for ${baseKind}: a pattern can only extend a pattern for the same kind (${kind}).` }));
      continue;
    }
    const cycle = patternCycle(p, table);
    if (!cycle) continue;
    const closing = cycle.reduce((a, b) => ((order.get(b) ?? 0) > (order.get(a) ?? 0) ? b : a));
    if (closing !== p) continue;
    const names = [...cycle.slice(cycle.indexOf(p)), ...cycle.slice(0, cycle.indexOf(p)), p].map((d) => `'${d.name}'`).join(" → ");
    report(diag("FIN2016", range, { name: p.name, cycle: names, base: base.text }));
  }
}
