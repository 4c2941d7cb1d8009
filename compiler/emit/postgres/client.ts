import type { DatabaseModel, DatabaseOutput, PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { pgNames, sslQuery } from "./names.js";

/**
 * What `secret X from <db>.<output>` becomes in the service's ExternalSecret template, given
 * the template expressions of the username and password, and of both as they go into a URL
 * (percent-escaped). URLs always verify the server (`sslmode=verify-full`) against the CA finc
 * mounts into the service (see caMounts).
 */
export function connectionOutputs(db: DatabaseModel, user: string, pass: string, inUrl: { user: string; pass: string }): Record<DatabaseOutput, string> {
  const url = (host: string) => `postgresql://${inUrl.user}:${inUrl.pass}@${host}:${db.port}/${db.database}?${sslQuery(db)}`;
  return {
    url: url(pgNames.primaryHost(db)),
    host: pgNames.primaryHost(db),
    "read-url": url(pgNames.readHost(db)),
    "read-host": pgNames.readHost(db),
    port: String(db.port),
    name: db.database,
    username: user,
    password: pass,
    "ca-file": pgNames.caFile(db),
  };
}

/** The databases a service reads an output of: it gets each one's CA certificate. */
export function databasesUsedBy(model: PlatformModel, s: ServiceModel): DatabaseModel[] {
  const used = new Set(s.secrets.flatMap((sec) => (sec.source.kind === "output" ? [sec.source.database] : [])));
  return model.databases.filter((d) => used.has(d.name));
}

/** Read-only mounts of the CA certificate, in every container of the service (the migration too). */
export function caMounts(model: PlatformModel, s: ServiceModel): Record<string, unknown>[] {
  return databasesUsedBy(model, s).map((db) => ({ name: pgNames.caVolume(db), mountPath: pgNames.caDir(db), readOnly: true }));
}

/** The CA certificate alone (client-ca.ts): pods never reference the Secret that holds the CA's private key. */
export function caVolumes(model: PlatformModel, s: ServiceModel): Record<string, unknown>[] {
  return databasesUsedBy(model, s).map((db) => ({
    name: pgNames.caVolume(db),
    secret: { secretName: pgNames.clientCaSecret(db), items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 0o444 },
  }));
}
