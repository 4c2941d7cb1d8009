import { pgNames } from "./database-names.js";
import type { DatabaseModel, DatabaseOutput, PlatformModel, ServiceModel } from "./platform-model.js";

/**
 * `${ledger-db.host}` in a config string: a database output known at compile time.
 * Only a `${` followed by a lower-case name is a reference, so `${HOME}` (a shell or
 * application placeholder) passes through untouched.
 */
export interface ConfigReference {
  /** Offset of `${` in the (unquoted) value, and the length up to and including `}`. */
  readonly index: number;
  readonly length: number;
  readonly database: string;
  /** Offset of the database name and of the output name in the value. */
  readonly databaseIndex: number;
  readonly output: string;
  readonly outputIndex: number;
}

const REFERENCE = /\$\{([a-z][a-z0-9-]*)(?:\.([a-z0-9-]*))?\}/g;

export function configReferences(value: string): ConfigReference[] {
  if (!value.includes("${")) return [];
  return [...value.matchAll(REFERENCE)].map((m) => ({
    index: m.index,
    length: m[0].length,
    database: m[1]!,
    databaseIndex: m.index + 2,
    output: m[2] ?? "",
    outputIndex: m.index + 3 + m[1]!.length,
  }));
}

/** Outputs a plain config value may interpolate: addresses, known when finc compiles. */
export const INTERPOLATED_OUTPUTS: readonly DatabaseOutput[] = ["host", "port", "name", "read-host"];

/**
 * The same addresses the connection secrets use (pgNames), so a composed URL and
 * `secret X from db.url` always point at the same Service.
 */
function outputValue(db: DatabaseModel, output: string): string | undefined {
  switch (output) {
    case "host": return pgNames.primaryHost(db);
    case "read-host": return pgNames.readHost(db);
    case "port": return String(db.port);
    case "name": return db.database;
    default: return undefined;
  }
}

export function interpolate(value: string, databases: readonly DatabaseModel[]): string {
  const refs = configReferences(value);
  if (!refs.length) return value;
  let out = "";
  let at = 0;
  for (const r of refs) {
    const db = databases.find((d) => d.name === r.database);
    const resolved = db ? outputValue(db, r.output) : undefined;
    // An unresolved reference is a checker error (FIN2004/FIN3012/FIN3028): keep the text as written.
    out += value.slice(at, r.index) + (resolved ?? value.slice(r.index, r.index + r.length));
    at = r.index + r.length;
  }
  return out + value.slice(at);
}

/** Resolves the interpolated config values of every workload against this environment's databases. */
export function resolveConfigInterpolation(model: PlatformModel): PlatformModel {
  if (!model.services.some((s) => s.config.some((c) => c.value.includes("${")))) return model;
  const services = model.services.map((s): ServiceModel => {
    if (!s.config.some((c) => c.value.includes("${"))) return s;
    return { ...s, config: s.config.map((c) => (c.value.includes("${") ? { ...c, value: interpolate(c.value, model.databases) } : c)) };
  });
  return { ...model, services };
}
