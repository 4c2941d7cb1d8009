import type { FoundDatabase, FoundWorkload } from "./found.js";
import type { InputObject } from "./yaml-input.js";

/**
 * Calls guessed from config values that name another Service of the input — `cart:7070`,
 * `http://catalog.shop.svc.cluster.local:3550/v1`, `redis://redis-cart:6379` — used only when
 * no NetworkPolicy or AuthorizationPolicy of the input says who calls whom. Each is marked
 * `// inferred from env FOO` in the .fin output: a reviewer confirms or deletes it.
 */
export function inferCallsFromEnv(
  workloads: readonly FoundWorkload[],
  databases: readonly FoundDatabase[],
  services: readonly InputObject[],
  serviceOf: ReadonlyMap<InputObject, FoundWorkload>,
  addCall: (from: FoundWorkload, to: string, reason: string, inferred: boolean) => void,
): void {
  for (const w of workloads) {
    for (const { key, value } of w.config) {
      for (const host of hostsIn(value)) {
        const target = resolveHost(host, w.namespace, services, serviceOf, databases);
        if (target && target.decl !== "worker") addCall(w, target.name, `env ${key}`, true);
      }
    }
  }
}

/** Host names in a value: each comma/space-separated token without scheme, user info, port and path. */
export function hostsIn(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((t) => t.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^[^@/]*@/, "").replace(/[/?#].*$/, "").replace(/:\d+$/, ""))
    .filter((h) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9-]+)*$/.test(h));
}

function resolveHost(
  host: string,
  namespace: string,
  services: readonly InputObject[],
  serviceOf: ReadonlyMap<InputObject, FoundWorkload>,
  databases: readonly FoundDatabase[],
): { name: string; decl: string } | undefined {
  const [name, ns = namespace, ...rest] = host.split(".");
  if (rest.length && !["svc", "svc.cluster.local"].includes(rest.join("."))) return undefined;
  const svc = services.find((s) => s.name === name && (s.namespace ?? "default") === ns);
  const w = svc && serviceOf.get(svc);
  if (w) return { name: w.name, decl: w.decl };
  const db = databases.find((d) => d.namespace === ns && (name === `${d.name}-rw` || name === `${d.name}-ro` || name === `${d.name}-r`));
  return db ? { name: db.name, decl: "database" } : undefined;
}
