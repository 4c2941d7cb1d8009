import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { containerPortOf } from "../../model/platform-model.js";
import { isCatchAll } from "../../model/catch-all-host.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { dnsAnnotations, groupBy, hostName, ingressGateway, meshOn, type ExposedRoute } from "../istio/common.js";
import { document, type EmittedDocument } from "../output.js";

/**
 * Google's front ends and health checkers: the source addresses of an external Application Load
 * Balancer's connections to NEG endpoints (pod IPs), which the pods' NetworkPolicy must admit
 * (Google documents the same two ranges for the firewall rule the GKE Ingress controller creates).
 */
export const GCLB_RANGES = ["130.211.0.0/22", "35.191.0.0/16"] as const;

/** The Compute SSL policy the FrontendConfig names: created outside finc (Cluster requirements), TLS 1.2 minimum. */
export const gceSslPolicy = (model: PlatformModel): string => `${model.platform.name}-tls12`;

const gceDirect = (model: PlatformModel): boolean => model.platform.ingress === "gce" && !meshOn(model);

/** Where the load balancer's packets come from as the exposed pods see them (none with the mesh: the gateway's identity is admitted). */
export function gceSourceRanges(model: PlatformModel): readonly string[] {
  return gceDirect(model) ? GCLB_RANGES : [];
}

/** Service annotations: container-native load balancing (NEGs, pod IPs as endpoints) and the service's BackendConfig. */
export function gceServiceAnnotations(model: PlatformModel, s: ServiceModel): Record<string, string> {
  if (!gceDirect(model) || !s.expose.length) return {};
  return { "cloud.google.com/neg": '{"ingress": true}', "cloud.google.com/backend-config": JSON.stringify({ default: s.name }) };
}

/** The health check from the service's HTTP readiness probe (the load balancer's default `/` may 404). */
function healthCheck(s: ServiceModel): Record<string, unknown> | undefined {
  const probe = s.probes.readiness;
  if (!probe || probe.check) return undefined;
  const port = s.ports.find((p) => p.name === probe.port);
  return { type: "HTTP", requestPath: probe.path, ...(port ? { port: containerPortOf(port) } : {}) };
}

function backendConfig(model: PlatformModel, name: string, namespace: string, check: Record<string, unknown> | undefined, origin: ExposedRoute["origin"]): EmittedDocument {
  return document(`${namespace}/backendconfig-${name}.yaml`, {
    apiVersion: "cloud.google.com/v1",
    kind: "BackendConfig",
    metadata: metadata(name, namespace, labels(model, name, "ingress")),
    spec: {
      ...(check ? { healthCheck: check } : {}),
      // `ingress gce waf "<policy>"`: the Cloud Armor security policy in front of the backend.
      ...(model.platform.waf ? { securityPolicy: { name: model.platform.waf } } : {}),
    },
  }, origin);
}

/**
 * `ingress gce` (GKE Ingress, external Application Load Balancer): one Ingress per namespace (each
 * Ingress is a load balancer of its own, and it can only route to its namespace's Services) with a
 * Google-managed certificate per TLS host, a FrontendConfig redirecting HTTP to HTTPS under a TLS 1.2
 * SSL policy, and a BackendConfig per exposed service. With the mesh the load balancer fronts the
 * Istio gateway (plain HTTP, as behind an ALB: istio/gateway.ts), from the gateway's namespace.
 */
export function gceDocuments(model: PlatformModel, routes: readonly ExposedRoute[]): EmittedDocument[] {
  const docs: EmittedDocument[] = [];
  const mesh = meshOn(model);
  const g = ingressGateway(model);
  const byNs = groupBy(routes, (r) => (mesh ? g.namespace : r.service.namespace));
  for (const [ns, rs] of byNs) {
    const origin = rs[0]!.origin;
    const hosts = [...new Set(rs.map((r) => r.host))];
    const tlsHosts = hosts.filter((h) => !isCatchAll(h) && rs.some((r) => r.host === h && r.tls));
    for (const h of tlsHosts)
      docs.push(document(`${ns}/managedcertificate-${hostName(h)}.yaml`, {
        apiVersion: "networking.gke.io/v1",
        kind: "ManagedCertificate",
        metadata: metadata(hostName(h), ns, labels(model, hostName(h), "certificates")),
        spec: { domains: [h] },
      }, rs.find((r) => r.host === h)!.origin));
    const frontend = `${model.platform.name}-https`.slice(0, 63);
    docs.push(document(`${ns}/frontendconfig-${frontend}.yaml`, {
      apiVersion: "networking.gke.io/v1beta1",
      kind: "FrontendConfig",
      metadata: metadata(frontend, ns, labels(model, frontend, "ingress")),
      spec: { sslPolicy: gceSslPolicy(model), ...(tlsHosts.length ? { redirectToHttps: { enabled: true, responseCodeName: "MOVED_PERMANENTLY_DEFAULT" } } : {}) },
    }, model.platform.fields["ingress"] ?? origin));
    if (mesh) docs.push(backendConfig(model, g.service, ns, { type: "HTTP", requestPath: "/healthz/ready", port: 15021 }, origin));
    else for (const s of new Set(rs.map((r) => r.service))) docs.push(backendConfig(model, s.name, ns, healthCheck(s), rs.find((r) => r.service === s)!.origin));
    const name = `${model.platform.name}-ingress`.slice(0, 63);
    docs.push(document(`${ns}/ingress-${name}.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: metadata(name, ns, labels(model, name, "ingress"), {
        ...dnsAnnotations(model, hosts),
        // GKE reads the class from the annotation (the API server refuses it next to `ingressClassName`).
        "kubernetes.io/ingress.class": "gce",
        "networking.gke.io/v1beta1.FrontendConfig": frontend,
        ...(tlsHosts.length ? { "networking.gke.io/managed-certificates": tlsHosts.map((h) => hostName(h)).join(",") } : {}),
      }),
      spec: {
        rules: [...groupBy(rs, (r) => r.host)].map(([host, hr]) => ({
          ...(isCatchAll(host) ? {} : { host }),
          http: {
            paths: mesh
              ? [{ path: "/", pathType: "Prefix", backend: { service: { name: g.service, port: { number: 80 } } } }]
              : hr.map((r) => ({ path: r.path, pathType: "Prefix", backend: { service: { name: r.service.name, port: { number: r.port } } } })),
          },
        })),
      },
    }, origin, Object.fromEntries([...groupBy(rs, (r) => r.host).values()].map((hr, i) => [`/spec/rules/${i}`, hr[0]!.origin]))));
  }
  return docs;
}
