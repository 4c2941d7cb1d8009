import type { DatabaseModel } from "./platform-model.js";

/** CloudNativePG's PostgreSQL operand images (a tag per major version). */
export const CNPG_IMAGE = "ghcr.io/cloudnative-pg/postgresql";

/** The image a database's instances (and its restore drills) run: `image` when given, else CloudNativePG's for its version. */
export function postgresImage(db: DatabaseModel): string {
  return db.image?.ref ?? `${CNPG_IMAGE}:${db.version}`;
}
