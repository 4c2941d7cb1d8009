import { pointerOf } from "./yaml-input.js";

/**
 * The parts of a value no recogniser read: the outermost subtrees whose pointers are neither
 * read (`read`, with every pointer below them) nor dropped by design (`byDesign`). This is what
 * makes "nothing is silently dropped" checkable: whatever is left becomes an override or a comment.
 */
export function leftovers(value: unknown, base: readonly (string | number)[], read: ReadonlySet<string>, byDesign: readonly RegExp[]): { pointer: string; value: unknown }[] {
  const out: { pointer: string; value: unknown }[] = [];
  const readList = [...read];
  const walk = (v: unknown, path: (string | number)[]) => {
    const p = pointerOf(path);
    if (read.has(p) || byDesign.some((re) => re.test(p))) return;
    const below = readList.some((r) => r.startsWith(p + "/"));
    if (below && v !== null && typeof v === "object") {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, [...path, k]);
      return;
    }
    out.push({ pointer: p, value: v });
  };
  walk(value, [...base]);
  return out;
}
