import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { PlatformModel, SecretStoreModel } from "./platform-model.js";

/**
 * Which secrets of a cloud secret manager (`provider gcp` / `provider azure` stores) are read,
 * and by whom: each service's pod (its own cloud identity), and the External Secrets
 * Operator per namespace and store (the SecretStore authenticates with a ServiceAccount of
 * that namespace). The terraform target grants exactly these; nothing else may be read.
 */
export type CloudProvider = "gcp" | "azure";

/** A secret in a cloud secret manager: its store (GCP project or Key Vault URL) and its name. */
export interface CloudSecretRef {
  readonly store: string;
  /** The store's `server`: the GCP project ID, or the Key Vault URL. */
  readonly server: string;
  readonly name: string;
}

function storeOf(model: PlatformModel, name: string, provider: CloudProvider): SecretStoreModel | undefined {
  const s = model.secretStores.find((x) => x.name === name);
  return s?.provider === provider ? s : undefined;
}

function uniqueSorted(refs: CloudSecretRef[]): CloudSecretRef[] {
  const m = new Map(refs.map((r) => [`${r.store}\u0000${r.name}`, r]));
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/** The secrets of `provider` stores a service's pod uses: its `secret … from <store>` lines and its databases' credentials. */
export function serviceCloudSecrets(model: PlatformModel, serviceName: string, provider: CloudProvider): CloudSecretRef[] {
  const s = model.services.find((x) => x.name === serviceName);
  if (!s) return [];
  const refs: CloudSecretRef[] = [];
  const add = (store: string, name: string) => {
    const st = storeOf(model, store, provider);
    if (st) refs.push({ store, server: st.server, name });
  };
  for (const sec of s.secrets) {
    const src = sec.source;
    if (src.kind === "store") add(src.store, src.path);
    else if (src.kind === "output") {
      const db = model.databases.find((d) => d.name === src.database);
      if (db) add(db.credentials.store, db.credentials.path);
    }
  }
  return uniqueSorted(refs);
}

/** A Kubernetes ServiceAccount bound to a cloud identity, and the secrets that identity may read. */
export interface CloudWorkloadIdentity {
  /** The workload, or `secrets-<store>` for a SecretStore's own ServiceAccount. */
  readonly workload: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly secrets: readonly CloudSecretRef[];
  readonly origin: SourceRange;
}

/** Services reading from a `provider` store get their own cloud identity, granted exactly those secrets. */
export function serviceCloudIdentities(model: PlatformModel, provider: CloudProvider): CloudWorkloadIdentity[] {
  if (model.platform.cloud !== provider) return [];
  return model.services.flatMap((s) => {
    const secrets = serviceCloudSecrets(model, s.name, provider);
    return secrets.length ? [{ workload: s.name, namespace: s.namespace, serviceAccount: s.name, secrets, origin: s.fields["secret"] ?? s.origin }] : [];
  });
}

/** The ServiceAccount a namespace's SecretStore `<store>` authenticates with (workload identity): `<store>-secret-store`. */
export function secretStoreServiceAccount(store: string): string {
  return `${store}-secret-store`;
}

/**
 * What each namespace's SecretStore of a `provider` store syncs (services' secret lines,
 * the credentials of the namespace's databases, the registry credentials copied into every
 * namespace): one identity per namespace and store, granted exactly those secrets.
 * A `scope cluster` store is the operator's own identity (clusterStoreSecrets).
 */
export function secretStoreIdentities(model: PlatformModel, provider: CloudProvider): CloudWorkloadIdentity[] {
  if (model.platform.cloud !== provider) return [];
  const out: CloudWorkloadIdentity[] = [];
  for (const store of model.secretStores.filter((s) => s.provider === provider && s.scope === "namespace")) {
    for (const ns of model.namespaces) {
      const secrets = namespaceSecrets(model, ns.name).filter((r) => r.store === store.name);
      if (secrets.length) out.push({ workload: `secrets-${store.name}`, namespace: ns.name, serviceAccount: secretStoreServiceAccount(store.name), secrets, origin: store.origin });
    }
  }
  return out;
}

/** Everything `scope cluster` stores of `provider` sync, for the External Secrets Operator's own identity. */
export function clusterStoreSecrets(model: PlatformModel, provider: CloudProvider): CloudSecretRef[] {
  if (model.platform.cloud !== provider) return [];
  const cluster = new Set(model.secretStores.filter((s) => s.provider === provider && s.scope === "cluster").map((s) => s.name));
  return uniqueSorted(model.namespaces.flatMap((ns) => namespaceSecrets(model, ns.name)).filter((r) => cluster.has(r.store)));
}

/** Every cloud secret the ExternalSecrets of one namespace read, from any gcp/azure store. */
function namespaceSecrets(model: PlatformModel, namespace: string): CloudSecretRef[] {
  const refs: CloudSecretRef[] = [];
  const add = (store: string, name: string) => {
    const st = model.secretStores.find((x) => x.name === store);
    if (st && (st.provider === "gcp" || st.provider === "azure")) refs.push({ store, server: st.server, name });
  };
  for (const s of model.services.filter((x) => x.namespace === namespace)) for (const sec of s.secrets) if (sec.source.kind === "store") add(sec.source.store, sec.source.path);
  // A service's DATABASE_URL is templated from the database's credentials in the service's namespace.
  for (const s of model.services.filter((x) => x.namespace === namespace))
    for (const sec of s.secrets) {
      const src = sec.source;
      if (src.kind !== "output") continue;
      const db = model.databases.find((d) => d.name === src.database);
      if (db) add(db.credentials.store, db.credentials.path);
    }
  for (const db of model.databases.filter((d) => d.namespace === namespace)) add(db.credentials.store, db.credentials.path);
  const reg = model.platform.registry?.credentials;
  if (reg?.kind === "store") add(reg.store, reg.path);
  return uniqueSorted(refs);
}
