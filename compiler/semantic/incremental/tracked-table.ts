import type { DeclInfo, DeclarationTable } from "../declarations.js";
import type { SourceRange } from "../../diagnostics/diagnostic.js";

/** Part of a cache key: a string, or a range of source text (equal when the position map carries it over). */
export type KeyPart = string | SourceRange;

/** One name lookup made while computing a cached result, with what it found (see `declarationKey`). */
export interface Lookup {
  readonly space: string;
  readonly name: string;
  readonly found: readonly KeyPart[] | undefined;
}

export interface Reads {
  readonly lookups: Lookup[];
  /** Set when `all` was read: a result that scans every declaration is not cached. */
  volatile: boolean;
}

/**
 * The declaration table, recording what the code running inside `track` looks up: a cached
 * result depends on the declarations it found (by text) and on the table's names (the
 * fingerprint). Outside `track` it is the table itself.
 */
export function trackedTable(base: DeclarationTable, keyOf: (d: DeclInfo) => readonly KeyPart[]): {
  readonly table: DeclarationTable;
  track<T>(compute: () => T): { result: T; reads: Reads };
} {
  let current: Reads | undefined;
  const table: DeclarationTable = {
    get all() {
      if (current) current.volatile = true;
      return base.all;
    },
    lookup(space, name) {
      const found = base.lookup(space, name);
      current?.lookups.push({ space, name, found: found && keyOf(found) });
      return found;
    },
    names: (space) => base.names(space),
  };
  return {
    table,
    track(compute) {
      const outer = current;
      const reads: Reads = { lookups: [], volatile: false };
      current = reads;
      try {
        return { result: compute(), reads };
      } finally {
        if (outer) {
          outer.lookups.push(...reads.lookups);
          outer.volatile ||= reads.volatile;
        }
        current = outer;
      }
    },
  };
}
