import type { Disposition } from "./found.js";

/**
 * The table `finc import` ends with: one row per input object, in input order —
 * `file#document  Kind namespace/name  outcome  what it became (or why not)`.
 */
export function importTable(rows: readonly Disposition[], shown: (file: string) => string = (f) => f): string {
  const cells = rows.map((r) => [`${shown(r.origin.file)}#${r.origin.doc}`, `${r.origin.kind} ${r.origin.namespace ? `${r.origin.namespace}/` : ""}${r.origin.name}`, r.outcome, r.detail]);
  const head = ["input", "object", "outcome", "became"];
  const width = [0, 1, 2].map((i) => Math.max(head[i]!.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((x, i) => (i < 3 ? x.padEnd(width[i]!) : x)).join("  ").trimEnd();
  const count = (o: string) => rows.filter((r) => r.outcome === o).length;
  return [line(head), ...cells.map(line), `${rows.length} objects: ${count("mapped")} mapped, ${count("partly mapped")} partly mapped, ${count("not mapped")} not mapped.`].join("\n") + "\n";
}
