import type { CodeFix, SourceRange } from "../diagnostics/diagnostic.js";

/** Damerau-free Levenshtein distance; inputs are short names. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a distance proportional to the name's length, if any. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const list = [...candidates];
  const c = closest(name, list);
  if (c) return `Did you mean '${c}'?`;
  return list.length ? `Valid names: ${[...list].sort().join(", ")}.` : "";
}

/** A quick fix replacing `range` (a misspelt name) with the closest candidate, as diagnostic options; none when nothing is close. */
export function closestFix(range: SourceRange, name: string, candidates: Iterable<string>): { fixes?: CodeFix[] } {
  const c = closest(name, candidates);
  return c && c !== name ? { fixes: [{ title: `Change to '${c}'`, edits: [{ range, newText: c }] }] } : {};
}
