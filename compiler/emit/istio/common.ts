import { containerPortOf, type PlatformModel, type ServiceModel } from "../../model/platform-model.js";
import { hostLabel } from "../../model/generated-names.js";
import { isCatchAll } from "../../model/catch-all-host.js";
import { clusterRoutingAnnotations } from "./cluster-dns.js";

/** Where the ingress controllers run (the Istio gateway: the platform's `gateway` field). */
export { ingressController, ingressGateway } from "../../model/mesh.js";

/** The SPIFFE identity Istio gives a workload's service account. */
export function principal(namespace: string, serviceAccount: string): string {
  return `cluster.local/ns/${namespace}/sa/${serviceAccount}`;
}

export function fqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.cluster.local`;
}

/** `api.example.com` → `api-example-com`; other hosts get a hash suffix so that no two hosts share a name (model/generated-names.ts). */
export function hostName(host: string, max = 63): string {
  return hostLabel(host, max);
}

export function tlsSecretName(host: string): string {
  return `${hostName(host, 59)}-tls`;
}

export function meshOn(model: PlatformModel): boolean {
  return model.platform.mesh === "istio";
}

/** The port a route sends traffic to: the one named in `expose … port <name>`, else the first. */
export function routePort(s: ServiceModel, portName?: string): number {
  return (s.ports.find((p) => p.name === portName) ?? s.ports[0])?.port ?? 8080;
}

/** The pod port behind that route (`port http 80 -> 8080` → 8080): what policies on the pod admit. */
export function routeContainerPort(s: ServiceModel, portName?: string): number {
  const p = s.ports.find((x) => x.name === portName) ?? s.ports[0];
  return p ? containerPortOf(p) : 8080;
}

/** Go duration text with seconds as the largest unit (Istio's duration fields reject `1m`/`1h` in some versions). */
export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export interface ExposedRoute {
  readonly service: ServiceModel;
  readonly host: string;
  readonly path: string;
  readonly port: number;
  readonly tls?: string;
  readonly origin: ServiceModel["expose"][number]["origin"];
}

/** Every `expose` of every service, longest path first (the most specific route wins). */
export function exposedRoutes(model: PlatformModel): ExposedRoute[] {
  const out: ExposedRoute[] = [];
  for (const s of model.services)
    for (const e of s.expose) out.push({ service: s, host: e.host, path: e.path, port: routePort(s, e.port), ...(e.tls ? { tls: e.tls } : {}), origin: e.origin });
  return out.sort((a, b) => (a.host !== b.host ? (a.host < b.host ? -1 : 1) : b.path.length - a.path.length || (a.path < b.path ? -1 : 1)));
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}

/** external-dns annotations for the hosts of a Gateway or Ingress. */
export function dnsAnnotations(model: PlatformModel, hosts: readonly string[]): Record<string, string> {
  const dns = model.platform.dns ?? { provider: "external-dns", ttlSeconds: 300 };
  // The catch-all host `*` has no DNS name to publish.
  const named = hosts.filter((h) => !isCatchAll(h));
  if (dns.provider === "none" || !named.length) return {};
  return { "external-dns.alpha.kubernetes.io/hostname": [...new Set(named)].sort().join(","), "external-dns.alpha.kubernetes.io/ttl": String(dns.ttlSeconds), ...clusterRoutingAnnotations(model) };
}
