import type { SourceRange } from "../diagnostics/diagnostic.js";
import { parseDuration } from "../model/units.js";

/**
 * Typed application config: `config { LOG_LEVEL enum debug info warn error = info }`.
 * A key may declare a type in one layer (a pattern, say) and get its value in another
 * (the service, an environment); the merged key is checked in every environment.
 * `KEY = "v"` without a type is an untyped string, as it always was.
 */
export const CONFIG_TYPES = ["string", "int", "bool", "duration", "url", "enum"] as const;

import type { ConfigType } from "../model/config-type.js";

export type { ConfigType };

export interface ConfigValue {
  /** The value as it goes into the ConfigMap. */
  readonly text: string;
  readonly atom: "String" | "Number" | "Word";
  readonly unit: string;
  readonly range: SourceRange;
}

/** One config entry as written on one line (or one comma-separated item). */
export interface ConfigRead {
  readonly key: string;
  readonly keyRange: SourceRange;
  /** The whole entry: the source-map origin of the ConfigMap key. */
  readonly range: SourceRange;
  readonly type?: ConfigType;
  readonly typeRange?: SourceRange;
  readonly value?: ConfigValue;
  readonly doc?: string;
}

/** The effective entry of a key: the last type declared and the last value set, layer by layer. */
export interface MergedConfig {
  readonly key: string;
  readonly range: SourceRange;
  readonly type?: ConfigType;
  readonly typeRange?: SourceRange;
  readonly value?: ConfigValue;
  readonly doc?: string;
}

export function mergeConfig(entries: readonly ConfigRead[]): MergedConfig[] {
  const byKey = new Map<string, MergedConfig>();
  for (const e of entries) {
    const prior = byKey.get(e.key);
    const type = e.type ?? prior?.type;
    const typeRange = e.type ? e.typeRange : prior?.typeRange;
    const value = e.value ?? prior?.value;
    const doc = e.doc ?? prior?.doc;
    byKey.delete(e.key);
    byKey.set(e.key, {
      key: e.key,
      range: e.value ? e.range : (prior?.range ?? e.range),
      ...(type ? { type } : {}),
      ...(typeRange ? { typeRange } : {}),
      ...(value ? { value } : {}),
      ...(doc ? { doc } : {}),
    });
  }
  return [...byKey.values()];
}

export function describeConfigType(t: ConfigType): string {
  switch (t.kind) {
    case "string": return "a string";
    case "int": return "a whole number";
    case "bool": return "true or false";
    case "duration": return "a duration";
    case "url": return "an absolute URL";
    case "enum": return `one of ${t.values.join(", ")}`;
  }
}

const INT = /^-?[0-9]+$/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/;

function isUrl(s: string): boolean {
  if (!URL_SCHEME.test(s)) return false;
  try {
    return new URL(s).host !== "";
  } catch {
    return false;
  }
}

/** undefined when the value fits the type; otherwise the hint to show. */
export function configValueProblem(t: ConfigType, v: ConfigValue): string | undefined {
  switch (t.kind) {
    case "string":
      return undefined;
    case "int":
      return (v.atom === "Number" ? v.unit === "" && INT.test(v.text) : v.atom === "String" && INT.test(v.text)) ? undefined : "Write a whole number such as 10000.";
    case "bool":
      return v.text === "true" || v.text === "false" ? undefined : "Write true or false.";
    case "duration": {
      const m = /^([0-9]+(?:\.[0-9]+)?)([a-z]+)$/.exec(v.text);
      return m && parseDuration(Number(m[1]), m[2]!) !== undefined ? undefined : "Durations have a unit: 300ms, 30s, 5m, 6h, 30d.";
    }
    case "url":
      return isUrl(v.text) ? undefined : 'Write an absolute URL in quotes, e.g. "https://ledger:8080".';
    case "enum":
      return t.values.includes(v.text) ? undefined : `Allowed values: ${t.values.join(", ")}.`;
  }
}

