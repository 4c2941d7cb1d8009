import type { PlatformModel, SecretEnv, SecretStoreModel, ServiceModel } from "./platform-model.js";

/** Facts about Vault agent-injector delivery that both the checker and the emitters need. */

export function agentStore(model: PlatformModel, sec: SecretEnv): SecretStoreModel | undefined {
  if (sec.source.kind !== "store") return undefined;
  const name = sec.source.store;
  const store = model.secretStores.find((s) => s.name === name);
  return store?.delivery === "vault-agent" && store.provider === "vault" ? store : undefined;
}

/** The secrets of a service that the Vault agent delivers. */
export function agentSecrets(model: PlatformModel, s: ServiceModel): SecretEnv[] {
  return s.secrets.filter((sec) => agentStore(model, sec) !== undefined);
}

/** `https://vault.vault.svc:8200` → host, port (scheme default when absent). */
export function vaultAddress(server: string): { host: string; port: number } | undefined {
  try {
    const u = new URL(server.includes("://") ? server : `https://${server}`);
    const port = u.port ? Number(u.port) : u.protocol === "http:" ? 80 : 443;
    return { host: u.hostname, port };
  } catch {
    return undefined;
  }
}

/** An in-cluster Service name (`vault.vault.svc`, `vault.vault.svc.cluster.local`) → its namespace. */
export function inClusterNamespace(host: string): string | undefined {
  return /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/.exec(host)?.[1];
}

/** Whether a NetworkPolicy can allow the agent to reach the store: an in-cluster Service or a declared `cidr`. */
export function vaultReachableByPolicy(store: SecretStoreModel): boolean {
  const addr = vaultAddress(store.server);
  return !!addr && (inClusterNamespace(addr.host) !== undefined || store.cidr !== undefined);
}
