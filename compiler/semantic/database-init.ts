import { dirname, extname, isAbsolute, relative, sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { CompilerHost } from "../host/compiler-host.js";
import type { DatabaseInit } from "../model/database-bootstrap.js";
import type { DatabaseModel, PlatformModel } from "../model/platform-model.js";
import type { CheckResult } from "./check.js";
import { findCredentials } from "./credential-patterns.js";

/** The ConfigMap key the SQL is stored under (emit/postgres/init-sql.ts). */
export const INIT_SQL_KEY = "init.sql";
/** The API server refuses a ConfigMap whose keys and values add up to more than 1 MiB. */
export const INIT_SQL_MAX_BYTES = 1024 * 1024 - INIT_SQL_KEY.length;

/** `PASSWORD '<literal>'` (CREATE/ALTER ROLE … PASSWORD): a credential in the SQL whatever its shape; `PASSWORD NULL` is none. */
const SQL_PASSWORD = /\bPASSWORD\s+(?:E)?'((?:[^']|'')+)'/gi;

type Problem = { message: string; hint: string };

/** Why the SQL text cannot go into a ConfigMap (which anyone who may read ConfigMaps in the namespace can read), or undefined. */
function sqlProblem(sql: string): Problem | undefined {
  const bytes = Buffer.byteLength(sql, "utf8");
  if (bytes > INIT_SQL_MAX_BYTES) return { message: `the file has ${bytes} bytes; a ConfigMap holds at most 1 MiB.`, hint: "Keep bootstrap SQL small (extensions, schemas, grants); load data with a migration." };
  const lineOf = (at: number) => sql.slice(0, at).split("\n").length;
  for (const m of sql.matchAll(SQL_PASSWORD))
    return { message: `line ${lineOf(m.index)} sets a password in plain text; the file is stored in a ConfigMap, readable by anyone who may read the namespace's ConfigMaps.`, hint: "Create the role without a password here, and set it from the secret store (e.g. a `credentials` of its own, or a migration reading a `secret`)." };
  const found = findCredentials(sql)[0];
  if (found) return { message: `line ${lineOf(found.start)} holds what looks like ${found.label}; the file is stored in a ConfigMap, readable by anyone who may read the namespace's ConfigMaps.`, hint: "Keep credentials in the secret store and out of bootstrap SQL." };
  return undefined;
}

/** Why `init` names no usable file, or undefined; reads the file through the host (in-memory files of the language server and tests win). */
function initProblem(db: DatabaseModel, init: DatabaseInit, host: CompilerHost): Problem | { sql: string } {
  if (db.mode === "standalone") return { message: "a standalone database runs the official image's initdb, which finc does not feed bootstrap SQL to.", hint: "Remove `standalone` (the operator runs the SQL after initdb), or run the SQL as a migration." };
  if (isAbsolute(init.path)) return { message: "the path must be relative to the spec file.", hint: 'Write the path from the spec file\'s directory, e.g. init "sql/init.sql".' };
  const rel = relative(dirname(init.range.file), init.file);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { message: "the file is outside the spec's directory; a spec may only read files of its own tree.", hint: "Move the SQL file next to the spec (or below it)." };
  if (extname(init.file).toLowerCase() !== ".sql") return { message: "the file must be a .sql file.", hint: "Name the file with the .sql extension: it is run as SQL." };
  const sql = host.readFile(init.file);
  if (sql === undefined) return { message: `the file '${init.file}' does not exist (or cannot be read).`, hint: "Create it, or fix the path (relative to the spec file)." };
  return sqlProblem(sql) ?? { sql };
}

/**
 * Reads each database's `init` SQL file once (through the compiler host, so the language server's
 * unsaved buffers and the tests' in-memory files are what is read) and puts its text into every
 * environment's model; a file that cannot be used is FIN4056 at the path and stays out of the model.
 */
export function readDatabaseInits(checked: CheckResult, host: CompilerHost, report: (d: Diagnostic) => void): CheckResult {
  const cache = new Map<string, Problem | { sql: string }>();
  let changed = false;
  const models = new Map<string, PlatformModel>();
  for (const [env, model] of checked.models) {
    const databases = model.databases.map((db) => {
      const init = db.init;
      if (!init) return db;
      const key = `${db.mode}\u0000${init.range.file}\u0000${init.file}\u0000${init.path}`;
      const result = cache.get(key) ?? initProblem(db, init, host);
      cache.set(key, result);
      if ("sql" in result) {
        changed = true;
        return { ...db, init: { ...init, sql: result.sql } };
      }
      report(diag("FIN4056", init.range, { path: init.path, name: db.name, ...result }));
      return db;
    });
    models.set(env, { ...model, databases });
  }
  return changed ? { ...checked, models } : checked;
}
