import type { DatabaseModel, PlatformModel, ServiceModel } from "../../model/platform-model.js";
import type { TrafficPolicy } from "../../model/traffic-model.js";
import { labels, metadata, selector } from "../kubernetes/labels.js";
import { podTemplate } from "../kubernetes/pod.js";
import { document, type EmittedDocument } from "../output.js";
import { ambient } from "./ambient.js";
import { fqdn, seconds } from "./common.js";
import { CANARY_SUBSET, MESH_ROUTE, meshCanary, STABLE_SUBSET } from "../rollouts/rollout.js";

const SIMPLE = { "round-robin": "ROUND_ROBIN", "least-request": "LEAST_REQUEST", random: "RANDOM" } as const;

/** The label that tells a split's versions apart (Istio's convention). */
export const VERSION_LABEL = "version";

function loadBalancer(t: TrafficPolicy | undefined): Record<string, unknown> | undefined {
  if (t?.affinity?.kind === "cookie") return { consistentHash: { httpCookie: { name: t.affinity.cookie, ttl: "0s" } } };
  if (t?.affinity?.kind === "client-ip") return { consistentHash: { useSourceIp: true } };
  const b = t?.balance;
  if (!b) return undefined;
  return b.kind === "consistent-hash" ? { consistentHash: { httpHeaderName: b.header } } : { simple: SIMPLE[b.kind] };
}

/** DestinationRule: mTLS to the workload, connection pool, outlier detection, load balancing, version subsets. */
export function destinationRuleDocument(model: PlatformModel, w: ServiceModel | DatabaseModel): EmittedDocument[] {
  const t = "traffic" in w ? w.traffic : undefined;
  const f = w.fields;
  // Ambient: ztunnel carries mTLS as HBONE (auto-mTLS); an explicit ISTIO_MUTUAL makes sidecars and
  // gateways speak sidecar-style mTLS to pods that only accept HBONE (istio/istio#53526, fixed in 1.25),
  // so the DestinationRule leaves TLS to the mesh there.
  const trafficPolicy: Record<string, unknown> = ambient(model) ? {} : { tls: { mode: "ISTIO_MUTUAL" } };
  if (t?.connections)
    trafficPolicy["connectionPool"] = {
      tcp: { maxConnections: t.connections.max },
      http: { http2MaxRequests: t.connections.max, ...(t.connections.pending !== undefined ? { http1MaxPendingRequests: t.connections.pending } : {}) },
    };
  if (t?.circuitBreaker)
    trafficPolicy["outlierDetection"] = {
      consecutive5xxErrors: t.circuitBreaker.errors,
      interval: seconds(t.circuitBreaker.intervalMs),
      baseEjectionTime: seconds(t.circuitBreaker.ejectMs),
      maxEjectionPercent: t.circuitBreaker.maxEjectPercent,
    };
  const lb = loadBalancer(t);
  if (lb) trafficPolicy["loadBalancer"] = lb;
  // `rollout canary`: Argo Rollouts adds each subset's rollouts-pod-template-hash label at run time.
  const rollout = "scaling" in w && meshCanary(model, w);
  const subsets = rollout
    ? [STABLE_SUBSET, CANARY_SUBSET].map((name) => ({ name, labels: selector(w.name) }))
    : t?.split?.map((v) => ({ name: v.version, labels: { [VERSION_LABEL]: v.version } }));
  if (!Object.keys(trafficPolicy).length && !subsets) return [];
  return [document(`${w.namespace}/destinationrule-${w.name}.yaml`, {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: metadata(w.name, w.namespace, labels(model, w.name, "traffic")),
    spec: { host: fqdn(w.name, w.namespace), ...(Object.keys(trafficPolicy).length ? { trafficPolicy } : {}), ...(subsets ? { subsets } : {}) },
  }, w.origin, {
    "/spec/trafficPolicy/connectionPool": f["connections"],
    "/spec/trafficPolicy/outlierDetection": f["circuit-breaker"],
    "/spec/trafficPolicy/loadBalancer": f["affinity"] ?? f["balance"],
    "/spec/subsets": f["split"] ?? f["rollout"],
  })];
}

/** Timeout, retries and weighted routes of one HTTP route to the service; `canary`: the stable/canary pair Argo Rollouts weighs. */
export function httpRoute(s: ServiceModel, port?: number, canary = false): Record<string, unknown> {
  const t = s.traffic;
  const host = fqdn(s.name, s.namespace);
  const dest = (subset?: string) => ({ host, ...(subset ? { subset } : {}), ...(port !== undefined ? { port: { number: port } } : {}) });
  const route = canary
    ? [{ destination: dest(STABLE_SUBSET), weight: 100 }, { destination: dest(CANARY_SUBSET), weight: 0 }]
    : t?.split ? t.split.map((v) => ({ destination: dest(v.version), weight: v.weight })) : [{ destination: dest() }];
  return {
    ...(t?.timeoutMs !== undefined ? { timeout: seconds(t.timeoutMs) } : {}),
    ...(t?.retries
      ? { retries: { attempts: t.retries.attempts, ...(t.retries.perTryMs !== undefined ? { perTryTimeout: seconds(t.retries.perTryMs) } : {}), retryOn: t.retries.on.join(",") } }
      : {}),
    route,
  };
}

/** The mesh-internal VirtualService, when the service has a timeout, retries or a split. */
export function meshVirtualServiceDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  const t = s.traffic;
  const canary = meshCanary(model, s);
  if (!canary && (!t || (t.timeoutMs === undefined && !t.retries && !t.split))) return [];
  if (!s.ports.some((p) => p.protocol !== "tcp")) return [];
  const f = s.fields;
  return [document(`${s.namespace}/virtualservice-${s.name}.yaml`, {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: metadata(s.name, s.namespace, labels(model, s.name, "traffic")),
    spec: { hosts: [fqdn(s.name, s.namespace)], http: [{ name: MESH_ROUTE, ...httpRoute(s, undefined, canary) }] },
  }, s.origin, { "/spec/http/0/timeout": f["timeout"], "/spec/http/0/retries": f["retries"], "/spec/http/0/route": f["split"] ?? f["rollout"] })];
}

/** One Deployment per additional version of a split; the primary version is the service's own Deployment. */
export function splitDeploymentDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  const split = s.traffic?.split;
  if (!split) return [];
  const primary = split[0]!;
  return split.slice(1).flatMap((v) => {
    if (!v.image) return [];
    const name = `${s.name}-${v.version}`;
    const versioned = { ...selector(s.name), [VERSION_LABEL]: v.version };
    const replicas = Math.max(1, Math.ceil((s.replicas.min * v.weight) / Math.max(1, primary.weight)));
    return [document(`${s.namespace}/deployment-${name}.yaml`, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: metadata(name, s.namespace, labels(model, s.name, "service", { "app.kubernetes.io/instance": name, [VERSION_LABEL]: v.version })),
      spec: {
        replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: versioned },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: s.update.maxSurge, maxUnavailable: s.update.maxUnavailable } },
        template: podTemplate(model, { ...s, image: v.image }, { ...versioned, "app.kubernetes.io/part-of": model.platform.name }),
      },
    }, s.fields["split"] ?? s.origin, { "/spec/template/spec/containers/0/image": s.fields["split"] })];
  });
}

/** Envoy's local rate limit in the service's sidecar: a token bucket refilled per second, minute or hour. */
export function rateLimitDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  const r = s.rateLimit;
  // Ambient has no sidecar, and Istio does not support EnvoyFilter on waypoints (istio.io, ambient L7 features):
  // nothing would enforce it, so nothing is emitted and the checker warns (FIN4011).
  if (!r || ambient(model)) return [];
  const fill = r.per === "s" ? "1s" : r.per === "m" ? "60s" : "3600s";
  const tokens = Math.max(1, Math.round(r.amount));
  const pct = (key: string) => ({ runtime_key: key, default_value: { numerator: 100, denominator: "HUNDRED" } });
  return [document(`${s.namespace}/envoyfilter-${s.name}-ratelimit.yaml`, {
    apiVersion: "networking.istio.io/v1alpha3",
    kind: "EnvoyFilter",
    metadata: metadata(`${s.name}-ratelimit`, s.namespace, labels(model, s.name, "rate-limit")),
    spec: {
      workloadSelector: { labels: selector(s.name) },
      configPatches: [{
        applyTo: "HTTP_FILTER",
        match: { context: "SIDECAR_INBOUND", listener: { filterChain: { filter: { name: "envoy.filters.network.http_connection_manager" } } } },
        patch: {
          // INSERT_BEFORE with no subFilter already inserted first; INSERT_FIRST says so absolutely, so the
          // patch applies whatever other EnvoyFilters exist (istioctl analyze IST0151).
          operation: "INSERT_FIRST",
          value: {
            name: "envoy.filters.http.local_ratelimit",
            typed_config: {
              "@type": "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
              stat_prefix: "http_local_rate_limiter",
              token_bucket: { max_tokens: tokens, tokens_per_fill: tokens, fill_interval: fill },
              filter_enabled: pct("local_rate_limit_enabled"),
              filter_enforced: pct("local_rate_limit_enforced"),
              response_headers_to_add: [{ append_action: "OVERWRITE_IF_EXISTS_OR_ADD", header: { key: "x-local-rate-limit", value: "true" } }],
            },
          },
        },
      }],
    },
  }, s.fields["limit"] ?? s.origin, { "/spec/configPatches/0/patch/value/typed_config/token_bucket": s.fields["limit"] })];
}
