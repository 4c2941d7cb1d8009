import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { shiftDiagnostic } from "./shift-diagnostic.js";

/**
 * The credential scan's results per declaration text, kept from one compile to the next (the
 * language server compiles on every keystroke). Diagnostics are stored relative to the
 * declaration's first line, so a declaration that only moved hits. Only the entries the last
 * compile used survive the next one: the cache never holds more than one program's worth.
 */
export interface ScanCache {
  /** `at`: where the declaration's first line starts in `file` now. */
  get(key: string, file: string, at: number): Diagnostic[] | undefined;
  set(key: string, file: string, at: number, found: readonly Diagnostic[]): void;
}

let previous = new Map<string, readonly Diagnostic[]>();

export function nextScanCache(): ScanCache {
  const older = previous;
  const current = new Map<string, readonly Diagnostic[]>();
  previous = current;
  return {
    get(key, file, at) {
      const hit = current.get(key) ?? older.get(key);
      if (!hit) return undefined;
      current.set(key, hit);
      return hit.map((d) => shiftDiagnostic(d, file, at));
    },
    set(key, file, at, found) {
      current.set(key, found.map((d) => shiftDiagnostic(d, file, -at)));
    },
  };
}
