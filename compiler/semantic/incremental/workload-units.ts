import type { Diagnostic, SourceRange } from "../../diagnostics/diagnostic.js";
import { nameSpace, type DeclInfo, type DeclarationTable } from "../declarations.js";
import type { FieldValues } from "../read-fields.js";
import { fieldData, fieldValues, type FieldData } from "./field-values.js";
import { footprintOf, moveOf, shiftFootprint, type Footprint } from "./footprint.js";
import { NOT_MAPPABLE, ownedCopy, type OwnedRange } from "./map-value.js";
import type { PositionMap } from "./position-map.js";
import type { KeyPart, Lookup } from "./tracked-table.js";

export type { KeyPart } from "./tracked-table.js";

/** What computing a unit did, in order: replaying it is indistinguishable from computing it. */
export type UnitEvent = { readonly diagnostic: Diagnostic } | { readonly range: SourceRange; readonly target: DeclInfo };

/**
 * One workload's typed fields and model entity in one override context (no overrides: shared by
 * every environment), with the diagnostics and references its reading (`read`) and checking
 * (`checked`) produced. Pure function of `key` (its text, its patterns', its overrides') and of
 * the declarations it looked up (`lookups`), given the same table names and platform.
 */
export interface Unit {
  readonly values: FieldValues;
  readonly entity: unknown;
  readonly read: readonly UnitEvent[];
  readonly checked: readonly UnitEvent[];
}

/** A reference event the cache owns: its target is re-resolved (and replaced) on every reuse. */
interface OwnedReference {
  readonly range: SourceRange;
  target: DeclInfo;
}

/** Mutable where a reuse updates it: the previous cache is taken over (`UnitCache.claim`), so its entries are too. */
interface Entry extends Unit {
  key: readonly KeyPart[];
  lookups: readonly Lookup[];
  /** Where the values', entity's and events' ranges lie: most entries move as a whole (or not at all). */
  footprint: Footprint;
  /**
   * Every source range in the values, entity and events, each object owned by this entry alone
   * (`ownedCopy`): a reuse moves them in place instead of copying the unit. The previous
   * program's models therefore change with the next compile (`UnitCache.claim`).
   */
  readonly ranges: readonly OwnedRange[];
  readonly references: readonly OwnedReference[];
}

/** Kept by a program for the next compile: only the units this compile used (memory stays one program's worth). */
export interface UnitCache {
  /** The file texts the entries' offsets are in. */
  readonly texts: ReadonlyMap<string, string>;
  /** Everything every unit may read besides its key and lookups: table names and the platform's text. */
  readonly context: readonly string[];
  readonly entries: ReadonlyMap<string, Entry>;
  /** How many units this compile reused (the rest it computed). */
  readonly reused: number;
  /**
   * Set once a compile has taken this cache over: its entries are moved in place into that
   * compile's offsets, so a second compile from the same cache (after one that threw) must
   * not map them again; it computes every unit afresh.
   */
  readonly claim: { taken: boolean };
}

export interface UnitStore {
  /** The cached unit moved to this compile's offsets, or undefined when it must be computed. */
  reuse(id: string, key: readonly KeyPart[]): Unit | undefined;
  store(id: string, key: readonly KeyPart[], lookups: readonly Lookup[], unit: Unit): void;
  result(): UnitCache;
}

export function unitStore(options: {
  readonly previous: UnitCache | undefined;
  readonly map: PositionMap;
  readonly texts: ReadonlyMap<string, string>;
  readonly context: readonly string[];
  readonly table: DeclarationTable;
  readonly lookupKey: (d: DeclInfo) => readonly KeyPart[];
}): UnitStore {
  const { previous, map, table } = options;
  const usable = previous !== undefined && !previous.claim.taken && sameStrings(previous.context, options.context);
  if (usable) previous.claim.taken = true;
  const entries = new Map<string, Entry>();
  /** Ids already reused: an entry is moved once (two declarations may share an id). */
  const taken = new Set<string>();
  let reused = 0;

  const target = (t: DeclInfo): DeclInfo | undefined => {
    const now = table.lookup(nameSpace(t.kind), t.name);
    return now && now.kind === t.kind && map.carries(t.nameRange, now.nameRange) ? now : undefined;
  };

  return {
    reuse(id, key) {
      const old = usable && !taken.has(id) ? previous.entries.get(id) : undefined;
      if (!old || !sameKey(old.key, key, map)) return undefined;
      // Kept in this compile's offsets: the next compile maps from these.
      const lookups: Lookup[] = [];
      for (const l of old.lookups) {
        const found = table.lookup(l.space, l.name);
        const now = found && options.lookupKey(found);
        if (now ? !l.found || !sameKey(l.found, now, map) : l.found) return undefined;
        lookups.push({ space: l.space, name: l.name, found: now });
      }
      const move = moveOf(old.footprint, map);
      if (!move) return undefined;
      const targets: DeclInfo[] = [];
      for (const r of old.references) {
        const t = target(r.target);
        if (!t) return undefined;
        targets.push(t);
      }
      if (move.kind === "each") for (const r of old.ranges) if (!map.range(r)) return undefined;
      // Nothing can fail from here on: move the entry into this compile's offsets, in place.
      taken.add(id);
      let footprint = old.footprint;
      if (move.kind === "shift") {
        const { file, delta } = move;
        for (const r of old.ranges) {
          if (r.file !== file) continue;
          r.start += delta;
          r.end += delta;
        }
        footprint = shiftFootprint(old.footprint, move);
      } else if (move.kind === "each") {
        for (const r of old.ranges) {
          const m = map.range(r)!;
          r.start = m.start;
          r.end = m.end;
        }
        footprint = footprintOf(old.ranges);
      }
      old.references.forEach((r, i) => (r.target = targets[i]!));
      old.key = key;
      old.lookups = lookups;
      old.footprint = footprint;
      entries.set(id, old);
      reused++;
      return old;
    },
    store(id, key, lookups, unit) {
      // Copied so that the entry owns every range it holds (and no syntax node: plain data only).
      const ranges: OwnedRange[] = [];
      const data = ownedCopy(fieldData(unit.values), ranges);
      const entity = ownedCopy(unit.entity, ranges);
      const references: OwnedReference[] = [];
      const own = (list: readonly UnitEvent[]): UnitEvent[] | typeof NOT_MAPPABLE => {
        const out: UnitEvent[] = [];
        for (const e of list) {
          if ("diagnostic" in e) {
            const diagnostic = ownedCopy(e.diagnostic, ranges);
            if (diagnostic === NOT_MAPPABLE) return NOT_MAPPABLE;
            out.push({ diagnostic: diagnostic as Diagnostic });
          } else {
            const range = ownedCopy(e.range, ranges);
            if (range === NOT_MAPPABLE) return NOT_MAPPABLE;
            const r: OwnedReference = { range: range as SourceRange, target: e.target };
            references.push(r);
            out.push(r);
          }
        }
        return out;
      };
      const read = own(unit.read);
      const checked = own(unit.checked);
      // Not plain data (cannot be moved): computed again next time.
      if (data === NOT_MAPPABLE || entity === NOT_MAPPABLE || read === NOT_MAPPABLE || checked === NOT_MAPPABLE) return;
      const values = fieldValues(data as FieldData);
      entries.set(id, { values, entity, read, checked, key, lookups, footprint: footprintOf(ranges), ranges, references });
    },
    result: () => ({ texts: options.texts, context: options.context, entries, reused, claim: { taken: false } }),
  };
}

/** `old` (in the previous compile's offsets) is `now`: strings equal, ranges carried over onto each other. */
function sameKey(old: readonly KeyPart[], now: readonly KeyPart[], map: PositionMap): boolean {
  if (old.length !== now.length) return false;
  for (let i = 0; i < old.length; i++) {
    const a = old[i]!;
    const b = now[i]!;
    if (typeof a === "string" || typeof b === "string") {
      if (a !== b) return false;
      continue;
    }
    if (!map.carries(a, b)) return false;
  }
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
