import type { DatabaseModel, PlatformModel, SecretEnv, SecretStoreModel, ServiceModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { ENVIRONMENT_LABEL, labels, metadata } from "./labels.js";
import { names } from "./names.js";
import { serviceSecretName, withImmutableTarget } from "./immutable-secret.js";
import { formatDuration } from "../../model/units.js";
import { agentStore } from "../../model/vault.js";
import { connectionOutputs } from "../postgres/client.js";
import { pgNames } from "../postgres/names.js";
import { secretStoreServiceAccount } from "../../model/cloud-secrets.js";
import { serviceAccountAnnotations } from "../../model/cloud-identity.js";
import { primaryRegion } from "../../model/cloud-model.js";

/**
 * Secrets reach the cluster only through the External Secrets Operator: finc emits
 * SecretStores and ExternalSecrets that name a path in the secret manager, never a value.
 */
const ESO = "external-secrets.io/v1";

/**
 * The store's provider. A namespace's gcp/azure SecretStore authenticates through workload
 * identity as its own ServiceAccount (`<store>-secret-store`, bound by the terraform target to
 * an identity that may read exactly that namespace's secrets); a ClusterSecretStore, and a
 * store whose identity finc cannot name, use the operator's own credentials.
 */
function provider(model: PlatformModel, store: SecretStoreModel, namespace?: string): Record<string, unknown> {
  const sa = namespace !== undefined && storeHasIdentity(model, store, namespace) ? secretStoreServiceAccount(store.name) : undefined;
  const p = model.platform;
  switch (store.provider) {
    case "gcp":
      return { gcpsm: { projectID: store.server, ...(sa ? { auth: { workloadIdentity: { clusterName: p.cluster!, clusterLocation: primaryRegion(model)!, clusterProjectID: p.account!, serviceAccountRef: { name: sa } } } } : {}) } };
    case "azure":
      return { azurekv: { vaultUrl: store.server, authType: "WorkloadIdentity", ...(sa ? { serviceAccountRef: { name: sa } } : {}), ...(p.tenant ? { tenantId: p.tenant } : {}) } };
    default:
      return vaultOrAws(store);
  }
}

/** Does this namespace's copy of the store authenticate as its own ServiceAccount? (GKE needs the cluster, project and location; AKS the client ID.) */
function storeHasIdentity(model: PlatformModel, store: SecretStoreModel, namespace: string): boolean {
  const sa = secretStoreServiceAccount(store.name);
  if (store.provider === "gcp") return !!model.platform.cluster && !!primaryRegion(model) && serviceAccountAnnotations(model, namespace, sa)["iam.gke.io/gcp-service-account"] !== undefined;
  if (store.provider === "azure") return serviceAccountAnnotations(model, namespace, sa)["azure.workload.identity/client-id"] !== undefined;
  return false;
}

/** The ServiceAccounts the namespace's SecretStores authenticate as. */
function storeServiceAccountDocuments(model: PlatformModel, namespace: string): EmittedDocument[] {
  return model.secretStores.filter((store) => store.scope === "namespace" && storeHasIdentity(model, store, namespace)).map((store) => {
    const name = secretStoreServiceAccount(store.name);
    return document(`${namespace}/serviceaccount-${name}.yaml`, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: metadata(name, namespace, labels(model, name, "secret-store"), serviceAccountAnnotations(model, namespace, name)),
      automountServiceAccountToken: false,
    }, store.origin);
  });
}

function vaultOrAws(store: SecretStoreModel): Record<string, unknown> {
  switch (store.provider) {
    case "vault":
      return { vault: { server: store.server, path: store.path ?? "secret", version: "v2", auth: { kubernetes: { mountPath: "kubernetes", role: store.role ?? store.name } } } };
    default:
      return { aws: { service: "SecretsManager", region: store.server } };
  }
}

export function secretStoreDocuments(model: PlatformModel, namespace: string): EmittedDocument[] {
  return [...model.secretStores.filter((store) => store.scope === "namespace").map((store) =>
    document(`${namespace}/secretstore-${store.name}.yaml`, {
      apiVersion: ESO,
      kind: "SecretStore",
      metadata: metadata(names.secretStore(store.name), namespace, labels(model, store.name, "secret-store")),
      spec: { provider: provider(model, store, namespace) },
    }, store.origin, { "/spec/provider": store.fields["server"] }),
  ), ...storeServiceAccountDocuments(model, namespace)];
}

/** `scope cluster`: one ClusterSecretStore, usable only from the platform's own namespaces. */
export function clusterSecretStoreDocuments(model: PlatformModel): EmittedDocument[] {
  return model.secretStores.filter((store) => store.scope === "cluster").map((store) =>
    document(`_cluster/clustersecretstore-${store.name}.yaml`, {
      apiVersion: ESO,
      kind: "ClusterSecretStore",
      metadata: metadata(names.secretStore(store.name), undefined, labels(model, store.name, "secret-store")),
      spec: {
        provider: provider(model, store),
        conditions: [{ namespaces: model.namespaces.map((n) => n.name).sort() }],
      },
    }, store.origin, { "/spec/provider": store.fields["server"], "/spec/conditions": store.fields["scope"] }),
  );
}

const DEFAULT_REFRESH_MS = 3_600_000;

/**
 * How often ESO re-reads: the store's `refresh` (default 1h); for rotated database
 * credentials at most a quarter of the rotation period, so the new credential is in
 * the cluster well before a rotation that keeps the previous one valid for a grace
 * period (Vault static roles with overlap, dual-user rotation) retires the old one.
 */
function refreshMs(model: PlatformModel, store: string, rotateMs?: number): number {
  const base = model.secretStores.find((s) => s.name === store)?.refreshMs ?? DEFAULT_REFRESH_MS;
  return rotateMs !== undefined ? Math.min(base, Math.max(60_000, Math.floor(rotateMs / 4))) : base;
}

export function externalSecret(model: PlatformModel, namespace: string, name: string, component: string, data: { secretKey: string; store: string; path: string; property: string }[], template?: Record<string, unknown>, rotateMs?: number, lineRefreshMs?: number): Record<string, unknown> {
  const stores = [...new Set(data.map((d) => d.store))];
  // One ExternalSecret reads from one store; several stores are a spec error caught earlier only when it matters.
  const store = stores[0] ?? "vault";
  const kind = model.secretStores.find((s) => s.name === store)?.scope === "cluster" ? "ClusterSecretStore" : "SecretStore";
  return {
    apiVersion: ESO,
    kind: "ExternalSecret",
    metadata: metadata(name, namespace, labels(model, name, component)),
    spec: {
      refreshInterval: formatDuration(Math.min(refreshMs(model, store, rotateMs), lineRefreshMs ?? Infinity)),
      secretStoreRef: { kind, name: names.secretStore(store) },
      target: { name, creationPolicy: "Owner", ...(template ? { template } : {}) },
      data: data.map((d) => ({ secretKey: d.secretKey, remoteRef: { key: d.path, property: d.property } })),
    },
  };
}

/** The shortest rotation period of the databases whose credentials a service's secrets use. */
export function rotationOf(model: PlatformModel, s: ServiceModel): number | undefined {
  const periods = s.secrets.flatMap((sec) => {
    if (sec.source.kind !== "output") return [];
    const src = sec.source;
    const r = model.databases.find((d) => d.name === src.database)?.credentials.rotateMs;
    return r === undefined ? [] : [r];
  });
  return periods.length ? Math.min(...periods) : undefined;
}

/** The Secret each of a service's secret env vars lives in: the ESO target, or the SealedSecret's. */
export function secretNameOf(s: ServiceModel, sec: SecretEnv): string {
  return sec.source.kind === "sealed" ? names.sealedSecret(s.name) : serviceSecretName(s);
}

/** Secrets that reach the pod through a Kubernetes Secret (ESO or SealedSecret), not through the Vault agent. */
export function kubernetesSecrets(model: PlatformModel, s: ServiceModel): SecretEnv[] {
  return s.secrets.filter((sec) => !agentStore(model, sec));
}

/** `secret X from sealed "…"`: a SealedSecret the cluster's controller decrypts into `<service>-sealed`. */
export function sealedSecretDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  const sealed = s.secrets.filter((sec) => sec.source.kind === "sealed");
  if (!sealed.length) return [];
  const name = names.sealedSecret(s.name);
  const l = labels(model, name, "secrets");
  const fields: Record<string, SecretEnv["origin"]> = {};
  for (const sec of sealed) fields[`/spec/encryptedData/${sec.env}`] = sec.origin;
  return [document(`${s.namespace}/sealedsecret-${name}.yaml`, {
    apiVersion: "bitnami.com/v1alpha1",
    kind: "SealedSecret",
    metadata: metadata(name, s.namespace, l),
    spec: {
      encryptedData: Object.fromEntries(sealed.map((sec) => [sec.env, (sec.source as { ciphertext: string }).ciphertext])),
      // The decrypted Secret's labels: a copy (the Helm emitter patches one document path at a time), without the
      // environment label — the ciphertext, and so the Secret, is the same in every environment and chart install.
      template: { type: "Opaque", metadata: { name, namespace: s.namespace, labels: Object.fromEntries(Object.entries(l).filter(([k]) => k !== ENVIRONMENT_LABEL)) } },
    },
  }, s.fields["secret"] ?? s.origin, fields)];
}

/** The Secret behind a service's `secret` lines, keyed by env name; database outputs are composed by an ESO template. */
export function serviceSecretDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  const synced = kubernetesSecrets(model, s).filter((sec) => sec.source.kind !== "sealed");
  if (!synced.length) return [];
  const data: { secretKey: string; store: string; path: string; property: string }[] = [];
  const templateData: Record<string, string> = {};
  const fields: Record<string, SecretEnv["origin"]> = {};
  let templated = false;
  s.secrets.forEach((sec, i) => {
    if (!synced.includes(sec) || sec.source.kind === "sealed") return;
    fields[`/spec/data/${data.length}`] = sec.origin;
    if (sec.source.kind === "store") {
      data.push({ secretKey: sec.env, store: sec.source.store, path: sec.source.path, property: sec.source.key });
      templateData[sec.env] = `{{ index . "${sec.env}" }}`;
      return;
    }
    const src = sec.source;
    const db = model.databases.find((d) => d.name === src.database);
    if (!db) return;
    templated = true;
    const user = `db${i}-username`;
    const pass = `db${i}-password`;
    // With the operator the role is the database's owner (postgres/names.ts); standalone, the store's username.
    if (db.mode === "standalone") data.push({ secretKey: user, store: db.credentials.store, path: db.credentials.path, property: "username" });
    data.push({ secretKey: pass, store: db.credentials.store, path: db.credentials.path, property: "password" });
    // In a URL both are percent-escaped; urlquery writes a space as '+', which libpq reads as '+', so spaces become %20 (a '+' itself is already %2B).
    const inUrl = (key: string) => `{{ index . "${key}" | urlquery | replace "+" "%20" }}`;
    const userExpr = db.mode === "standalone" ? `{{ index . "${user}" }}` : pgNames.owner(db);
    const outputs = connectionOutputs(db, userExpr, `{{ index . "${pass}" }}`, { user: db.mode === "standalone" ? inUrl(user) : pgNames.owner(db), pass: inUrl(pass) });
    templateData[sec.env] = src.output === "password" ? `{{ index . "${pass}" }}` : outputs[src.output];
  });
  const template = templated ? { engineVersion: "v2", data: templateData } : undefined;
  // `refresh 5m` on a secret line: the ExternalSecret re-reads at the shortest of those and the store's refresh.
  const lineRefresh = synced.flatMap((sec) => (sec.source.kind === "store" && sec.source.refreshMs !== undefined ? [sec.source.refreshMs] : []));
  const es = withImmutableTarget(externalSecret(model, s.namespace, serviceSecretName(s), "secrets", data, template, rotationOf(model, s), lineRefresh.length ? Math.min(...lineRefresh) : undefined), s);
  return [document(`${s.namespace}/externalsecret-${serviceSecretName(s)}.yaml`, es, s.fields["secret"] ?? s.origin, fields)];
}

export function databaseSecretDocuments(model: PlatformModel, db: DatabaseModel): EmittedDocument[] {
  const name = names.dbCredentials(db.name);
  // The operator bootstraps (and keeps updating) the owner's password from a basic-auth Secret whose username is the owner.
  const operator = db.mode === "operator";
  const template = operator ? { type: "kubernetes.io/basic-auth", engineVersion: "v2", data: { username: pgNames.owner(db), password: "{{ .password }}" } } : undefined;
  return [document(`${db.namespace}/externalsecret-${name}.yaml`, externalSecret(model, db.namespace, name, "database-credentials", [
    ...(operator ? [] : [{ secretKey: "username", store: db.credentials.store, path: db.credentials.path, property: "username" }]),
    { secretKey: "password", store: db.credentials.store, path: db.credentials.path, property: "password" },
  ], template, db.credentials.rotateMs), db.fields["credentials"] ?? db.origin)];
}

export function registrySecretDocuments(model: PlatformModel, namespace: string): EmittedDocument[] {
  const reg = model.platform.registry;
  if (!reg || reg.credentials.kind !== "store") return [];
  const c = reg.credentials;
  return [document(`${namespace}/externalsecret-${names.registrySecret}.yaml`, externalSecret(model, namespace, names.registrySecret, "registry", [
    { secretKey: "dockerconfigjson", store: c.store, path: c.path, property: c.key },
  ], { type: "kubernetes.io/dockerconfigjson", engineVersion: "v2", data: { ".dockerconfigjson": "{{ .dockerconfigjson }}" } }), model.platform.fields["registry"] ?? model.platform.origin)];
}
