import type { SourceRange } from "../../diagnostics/diagnostic.js";

/**
 * How one file's offsets moved since the previous compile: the language server's incremental
 * re-parse replaced old [start, oldEnd) and moved everything after it by `delta`.
 * `from` is the previous text, so a map is only ever applied to results of that very text.
 */
export interface FileEdit {
  readonly from: string;
  readonly start: number;
  readonly oldEnd: number;
  readonly delta: number;
}

/** From the previous compile's offsets to this one's. */
export interface PositionMap {
  /** Old range → new range, or undefined when the range lies in (or across) text that changed. */
  range(range: SourceRange): SourceRange | undefined;
  /** How a file moved: "same" (unchanged text), an edit, or undefined (changed otherwise, or new). */
  file(path: string): "same" | FileEdit | undefined;
  /** `range(old)` equals `now`, without making the mapped range (cache keys compare many ranges per compile). */
  carries(old: SourceRange, now: SourceRange): boolean;
}

/**
 * Builds the map from the previous compile's file texts to this compile's files. A file with
 * the same text maps to itself; a re-parsed file maps through its edit; any other changed file
 * (or a file the previous compile did not have) is unmappable: results that point into it are recomputed.
 */
export function positionMap(
  previousTexts: ReadonlyMap<string, string>,
  current: ReadonlyMap<string, { readonly text: string; readonly edit?: FileEdit }>,
): PositionMap {
  const moves = new Map<string, FileEdit | "same">();
  for (const [file, now] of current) {
    const before = previousTexts.get(file);
    if (before === undefined) continue;
    if (before === now.text) moves.set(file, "same");
    else if (now.edit && now.edit.from === before) moves.set(file, now.edit);
  }
  return {
    file: (path) => moves.get(path),
    carries(old, now) {
      const m = moves.get(old.file);
      if (m === undefined || old.file !== now.file) return false;
      if (m === "same" || old.end <= m.start) return old.start === now.start && old.end === now.end;
      return old.start >= m.oldEnd && old.start + m.delta === now.start && old.end + m.delta === now.end;
    },
    range(r) {
      const m = moves.get(r.file);
      if (m === undefined) return undefined;
      if (m === "same" || r.end <= m.start) return r;
      if (r.start >= m.oldEnd) return m.delta === 0 ? r : { file: r.file, start: r.start + m.delta, end: r.end + m.delta };
      return undefined;
    },
  };
}

/** Nothing moved (a check without a previous one, or of identical texts). */
export const identityMap: PositionMap = { range: (r) => r, file: () => "same", carries: (old, now) => old.file === now.file && old.start === now.start && old.end === now.end };
