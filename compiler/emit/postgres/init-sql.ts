import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { INIT_SQL_KEY } from "../../semantic/database-init.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";

/** The ConfigMap holding a database's `init` SQL (one key, `init.sql`). */
export const initConfigMapName = (db: DatabaseModel) => `${db.name}-init`;

/** `init "<file.sql>"` once the program has read and checked it (semantic/database-init.ts). */
export function initSql(db: DatabaseModel): string | undefined {
  return db.mode === "operator" ? db.init?.sql : undefined;
}

/** `bootstrap.initdb.postInitApplicationSQLRefs`: the operator runs the SQL once, as the superuser in the application database, right after initdb. */
export function postInitApplicationSqlRefs(db: DatabaseModel): Record<string, unknown> {
  return initSql(db) === undefined ? {} : { postInitApplicationSQLRefs: { configMapRefs: [{ name: initConfigMapName(db), key: INIT_SQL_KEY }] } };
}

/**
 * The SQL as a ConfigMap. Only read at the Cluster's creation: editing the file later changes the
 * ConfigMap but runs nothing (use a migration for changes to an existing database).
 */
export function initSqlDocuments(model: PlatformModel, db: DatabaseModel): EmittedDocument[] {
  const sql = initSql(db);
  if (sql === undefined) return [];
  const name = initConfigMapName(db);
  return [document(`${db.namespace}/configmap-${name}.yaml`, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: metadata(name, db.namespace, labels(model, db.name, "database-init")),
    data: { [INIT_SQL_KEY]: sql },
  }, db.fields["init"] ?? db.origin, { [`/data/${INIT_SQL_KEY}`]: db.init?.range })];
}
