import type { PlatformModel, SecretEnv, SecretStoreModel, ServiceModel } from "../../model/platform-model.js";
import { isBatch } from "../../model/workload-kind.js";
import { agentSecrets, agentStore, inClusterNamespace, vaultAddress } from "../../model/vault.js";
import { formatDuration } from "../../model/units.js";
import { agentFileAnnotations } from "./pod-volumes.js";

/**
 * `delivery vault-agent` on a Vault secret store: the Vault Agent Injector (vault-k8s)
 * renders a service's secrets from that store into the pod, so no ExternalSecret and no
 * Kubernetes Secret holds them.
 *
 * - One file per secret, `/vault/secrets/<ENV>`, holding the value alone
 *   (`agent-inject-secret-<ENV>` names the KV v2 path, `agent-inject-template-<ENV>` picks
 *   the key), read by the application from there (no env var: a `*_TOKEN`/`*_PASSWORD` variable
 *   holding a path would look like a leaked secret to policy scanners, and the path is fixed).
 * - The agent logs in with Kubernetes auth (`role`) using a projected, audience-bound
 *   service-account token (audience `vault`) that is mounted only into the agent containers
 *   (`agent-service-account-token-volume-name`): the app container still gets no token
 *   (`automountServiceAccountToken: false`). The Vault role must accept audience `vault`.
 * - Without any `refresh` (store or secret line), only the init container runs
 *   (`agent-pre-populate-only`); otherwise a sidecar re-renders KV secrets at the shortest
 *   refresh (`template-static-secret-render-interval`).
 * - With Istio sidecars, init containers start before Envoy: the agent's init container runs
 *   first (`agent-init-first`, ahead of `istio-init`), and the Vault port is excluded from
 *   the sidecar's redirection (`excludeOutboundPorts`) for the case where Istio CNI has
 *   already set the redirection up. Ambient mode needs neither (ztunnel is node-level).
 */

export const VAULT_TOKEN_VOLUME = "vault-token";
export const VAULT_TOKEN_AUDIENCE = "vault";

/** The shortest refresh among the agent's secrets (the line's, else its store's); undefined when none asks for one. */
function renderInterval(model: PlatformModel, secrets: SecretEnv[]): number | undefined {
  const periods = secrets.flatMap((sec) => {
    const src = sec.source as { refreshMs?: number };
    const r = src.refreshMs ?? agentStore(model, sec)?.refreshMs;
    return r === undefined ? [] : [r];
  });
  return periods.length ? Math.min(...periods) : undefined;
}

function kvDataPath(store: SecretStoreModel, path: string): string {
  return `${(store.path ?? "secret").replace(/\/+$/, "")}/data/${path.replace(/^\/+/, "")}`;
}

/** The pod-template annotations that make the injector render the service's agent secrets. */
export function vaultAgentAnnotations(model: PlatformModel, s: ServiceModel): Record<string, string> {
  const secrets = agentSecrets(model, s);
  if (!secrets.length) return {};
  const store = agentStore(model, secrets[0]!)!;
  // A job's pod reads its secrets at start, and an agent sidecar would keep it from completing: init container only.
  const interval = isBatch(s) ? undefined : renderInterval(model, secrets);
  const a: Record<string, string> = {
    "vault.hashicorp.com/agent-inject": "true",
    "vault.hashicorp.com/service": store.server,
    "vault.hashicorp.com/role": store.role ?? store.name,
    "vault.hashicorp.com/agent-service-account-token-volume-name": VAULT_TOKEN_VOLUME,
    "vault.hashicorp.com/agent-run-as-same-user": "true",
    "vault.hashicorp.com/agent-pre-populate-only": interval === undefined ? "true" : "false",
    ...(interval !== undefined ? { "vault.hashicorp.com/template-static-secret-render-interval": formatDuration(interval) } : {}),
  };
  if (model.platform.mesh === "istio" && model.platform.meshMode !== "ambient") {
    a["vault.hashicorp.com/agent-init-first"] = "true";
    const port = vaultAddress(store.server)?.port;
    if (port !== undefined) a["traffic.sidecar.istio.io/excludeOutboundPorts"] = String(port);
  }
  for (const sec of secrets) {
    const src = sec.source as { path: string; key: string };
    const st = agentStore(model, sec)!;
    const path = kvDataPath(st, src.path);
    a[`vault.hashicorp.com/agent-inject-secret-${sec.env}`] = path;
    a[`vault.hashicorp.com/agent-inject-template-${sec.env}`] = `{{- with secret ${JSON.stringify(path)} -}}{{ index .Data.data ${JSON.stringify(src.key)} }}{{- end -}}`;
    // `secret file …`: at its own path and mode instead of /vault/secrets/<ENV>.
    Object.assign(a, agentFileAnnotations(sec));
  }
  return a;
}

/** The projected token the agent logs in with: audience-bound, short-lived, mounted only into the agent. */
export function vaultTokenVolume(model: PlatformModel, s: ServiceModel): Record<string, unknown>[] {
  if (!agentSecrets(model, s).length) return [];
  return [{ name: VAULT_TOKEN_VOLUME, projected: { sources: [{ serviceAccountToken: { path: "token", audience: VAULT_TOKEN_AUDIENCE, expirationSeconds: 3600 } }] } }];
}

/**
 * The egress peer and port of the Vault servers the agent talks to: the namespace of an
 * in-cluster Service, or the store's `cidr`; undefined for an external host without `cidr`
 * (a NetworkPolicy cannot name a DNS host: FIN4016).
 */
export function vaultEgress(store: SecretStoreModel): { to: Record<string, unknown>[]; ports: { protocol: string; port: number }[] } | undefined {
  const addr = vaultAddress(store.server);
  if (!addr) return undefined;
  const ns = inClusterNamespace(addr.host);
  const ports = [{ protocol: "TCP", port: addr.port }];
  if (ns) return { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } }], ports };
  if (store.cidr) return { to: [{ ipBlock: { cidr: store.cidr } }], ports };
  return undefined;
}

/** The egress rules a service needs to reach the Vault servers its agent logs in to. */
export function vaultEgressRules(model: PlatformModel, s: ServiceModel): Record<string, unknown>[] {
  const stores = [...new Set(agentSecrets(model, s).map((sec) => agentStore(model, sec)!))];
  return stores.flatMap((st) => {
    const e = vaultEgress(st);
    return e ? [e] : [];
  });
}
