import type { Diagnostic, SourceRange } from "../../diagnostics/diagnostic.js";
import { nameSpace, type DeclInfo, type DeclarationTable } from "../declarations.js";
import type { FieldValues } from "../read-fields.js";
import { fieldData, fieldValues, mapFieldData, shiftFieldData, type FieldData } from "./field-values.js";
import { footprintOf, moveOf, shiftFootprint, type Footprint } from "./footprint.js";
import { mapDiagnostic, mapValue, NOT_MAPPABLE, shiftPlain } from "./map-value.js";
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

interface Entry extends Unit {
  readonly key: readonly KeyPart[];
  readonly lookups: readonly Lookup[];
  /** Where the values' and entity's ranges lie: most entries move as a whole (or not at all). */
  readonly footprint: Footprint;
  readonly data: FieldData;
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
  const usable = previous !== undefined && sameStrings(previous.context, options.context);
  const entries = new Map<string, Entry>();
  let reused = 0;

  const target = (t: DeclInfo): DeclInfo | undefined => {
    const now = table.lookup(nameSpace(t.kind), t.name);
    const at = map.range(t.nameRange);
    return now && at && now.kind === t.kind && now.file === t.file && now.nameRange.start === at.start && now.nameRange.end === at.end ? now : undefined;
  };
  const events = (list: readonly UnitEvent[]): UnitEvent[] | undefined => {
    const out: UnitEvent[] = [];
    for (const e of list) {
      if ("diagnostic" in e) {
        const diagnostic = mapDiagnostic(e.diagnostic, map.range);
        if (!diagnostic) return undefined;
        out.push({ diagnostic });
      } else {
        const range = map.range(e.range);
        const t = target(e.target);
        if (!range || !t) return undefined;
        out.push({ range, target: t });
      }
    }
    return out;
  };

  return {
    reuse(id, key) {
      const old = usable ? previous.entries.get(id) : undefined;
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
      let data: FieldData | undefined = old.data;
      let entity = old.entity;
      let footprint = old.footprint;
      if (move.kind === "shift") {
        data = shiftFieldData(old.data, move.file, move.delta);
        entity = shiftPlain(old.entity, move.file, move.delta);
        footprint = shiftFootprint(old.footprint, move);
      } else if (move.kind === "each") {
        data = mapFieldData(old.data, map.range);
        entity = mapValue(old.entity, map.range);
        if (data && entity !== NOT_MAPPABLE) footprint = footprintOf([data, entity]);
      }
      const read = events(old.read);
      const checked = events(old.checked);
      if (!data || entity === NOT_MAPPABLE || !read || !checked) return undefined;
      const values: FieldValues = data === old.data ? old.values : fieldValues(data);
      const unit: Unit = { values, entity, read, checked };
      entries.set(id, { ...unit, key, lookups, footprint, data });
      reused++;
      return unit;
    },
    store(id, key, lookups, unit) {
      // Kept over plain data from the start, so a later reuse "as is" holds no syntax nodes either.
      const data = fieldData(unit.values);
      entries.set(id, { ...unit, values: fieldValues(data), key, lookups, footprint: footprintOf([data, unit.entity]), data });
    },
    result: () => ({ texts: options.texts, context: options.context, entries, reused }),
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
    const m = map.range(a);
    if (!m || m.file !== b.file || m.start !== b.start || m.end !== b.end) return false;
  }
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
