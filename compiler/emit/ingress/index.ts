import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import type { IssuerModel } from "../../model/traffic-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { sidecarRateLimits } from "../../model/mesh.js";
import { ingressGateway, dnsAnnotations, exposedRoutes, fqdn, groupBy, hostName, meshOn, tlsSecretName, type ExposedRoute } from "../istio/common.js";
import { document, type Emitter, type EmittedDocument } from "../output.js";
import { effectiveSolver } from "../../model/acme-solver.js";
import { solverSpec } from "./acme.js";
import { isCatchAll } from "../../model/catch-all-host.js";
import { albDocuments } from "./alb.js";
import { gceDocuments } from "./gce.js";
import { agicDocuments } from "./agic.js";
import { gatewayRoutes } from "../../model/mesh.js";

const CLASS_CONTROLLER = { nginx: "k8s.io/ingress-nginx", traefik: "traefik.io/ingress-controller" } as const;

/** cert-manager ClusterIssuer: ACME with its HTTP-01 or DNS-01 solver (acme.ts), or a private CA. */
function clusterIssuerDocument(model: PlatformModel, i: IssuerModel): EmittedDocument {
  const solver = effectiveSolver(model.platform, i);
  const spec = i.acme
    ? { acme: { server: i.acme.server, email: i.acme.email, privateKeySecretRef: { name: `${i.name}-account-key` }, solvers: solver ? [solverSpec(model, solver)] : [] } }
    : { ca: { secretName: i.ca?.secret ?? `${i.name}-ca` } };
  return document(`_cluster/clusterissuer-${i.name}.yaml`, {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: metadata(i.name, undefined, labels(model, i.name, "certificates")),
    spec,
  }, i.origin, { "/spec/acme": i.fields["acme"], "/spec/acme/solvers": i.fields["solver"], "/spec/ca": i.fields["ca"] });
}

/** A Certificate for one host, written to the Secret the Gateway or Ingress serves. */
function certificateDocument(model: PlatformModel, host: string, issuer: string, namespace: string, origin: ExposedRoute["origin"]): EmittedDocument {
  return document(`${namespace}/certificate-${hostName(host)}.yaml`, {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: metadata(hostName(host), namespace, labels(model, hostName(host), "certificates")),
    spec: {
      secretName: tlsSecretName(host),
      dnsNames: [host],
      issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: issuer },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      duration: "2160h",
      renewBefore: "720h",
    },
  }, origin, { "/spec/issuerRef/name": origin });
}

/** Controller-specific annotations of the Ingress for one service (they apply to every path of the object). */
function serviceAnnotations(model: PlatformModel, s: ServiceModel): Record<string, string> {
  const a: Record<string, string> = {};
  if (model.platform.ingress === "traefik" && s.rateLimit && !sidecarRateLimits(model)) {
    // Not enforced (FIN4011 says how): recorded, and it gives the service its own Ingress to attach a Middleware to.
    a["finc.dev/rate-limit"] = `${s.rateLimit.amount}/${s.rateLimit.per}`;
  }
  if (model.platform.ingress !== "nginx") return a;
  if (s.rateLimit && !sidecarRateLimits(model)) {
    if (s.rateLimit.per === "s") a["nginx.ingress.kubernetes.io/limit-rps"] = String(Math.max(1, Math.round(s.rateLimit.amount)));
    else a["nginx.ingress.kubernetes.io/limit-rpm"] = String(Math.max(1, Math.ceil(s.rateLimit.per === "m" ? s.rateLimit.amount : s.rateLimit.amount / 60)));
  }
  if (s.traffic?.affinity?.kind === "cookie") Object.assign(a, { "nginx.ingress.kubernetes.io/affinity": "cookie", "nginx.ingress.kubernetes.io/session-cookie-name": s.traffic.affinity.cookie });
  if (meshOn(model)) {
    // Route through the Service's cluster IP so the controller's sidecar applies mTLS and the mesh routes.
    Object.assign(a, { "nginx.ingress.kubernetes.io/service-upstream": "true", "nginx.ingress.kubernetes.io/upstream-vhost": fqdn(s.name, s.namespace) });
  }
  return a;
}

/**
 * `ingress nginx|traefik`: the IngressClass, and Ingresses merging every service exposed
 * on a host (services needing their own annotations — rate limits, affinity, mesh
 * upstreams — get their own Ingress for the same host, which both controllers merge).
 */
function ingressDocuments(model: PlatformModel, controller: "nginx" | "traefik", routes: ExposedRoute[]): EmittedDocument[] {
  const docs: EmittedDocument[] = [document(`_cluster/ingressclass-${controller}.yaml`, {
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    metadata: metadata(controller, undefined, labels(model, controller, "ingress")),
    spec: { controller: CLASS_CONTROLLER[controller] },
  }, model.platform.fields["ingress"] ?? model.platform.origin)];
  const groups = groupBy(routes, (r) => `${r.host}|${r.service.namespace}|${JSON.stringify(serviceAnnotations(model, r.service))}`);
  const perHostNs = groupBy([...groups.keys()], (k) => k.split("|").slice(0, 2).join("|"));
  for (const [key, rs] of groups) {
    const [host, ns] = key.split("|") as [string, string];
    const shared = (perHostNs.get(`${host}|${ns}`)?.length ?? 1) > 1;
    const name = shared ? `${hostName(host)}-${rs[0]!.service.name}`.slice(0, 63) : hostName(host);
    const tls = rs.some((r) => r.tls);
    const annotations: Record<string, string> = {
      ...dnsAnnotations(model, [host]),
      ...(controller === "nginx"
        ? { "nginx.ingress.kubernetes.io/ssl-redirect": String(tls), "nginx.ingress.kubernetes.io/force-ssl-redirect": String(tls) }
        : { "traefik.ingress.kubernetes.io/router.entrypoints": tls ? "websecure" : "web", ...(tls ? { "traefik.ingress.kubernetes.io/router.tls": "true" } : {}) }),
      ...serviceAnnotations(model, rs[0]!.service),
    };
    docs.push(document(`${ns}/ingress-${name}.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: metadata(name, ns, labels(model, hostName(host), "ingress"), annotations),
      spec: {
        ingressClassName: controller,
        ...(tls ? { tls: [{ hosts: [host], secretName: tlsSecretName(host) }] } : {}),
        rules: [{
          // The catch-all host is a rule without `host` (an Ingress host cannot be `*`).
          ...(isCatchAll(host) ? {} : { host }),
          http: { paths: rs.map((r) => ({ path: r.path, pathType: "Prefix", backend: { service: { name: r.service.name, port: { number: r.port } } } })) },
        }],
      },
    }, rs[0]!.origin, Object.fromEntries(rs.map((r, i) => [`/spec/rules/0/http/paths/${i}`, r.origin]))));
  }
  return docs;
}

/** Ingress and certificates (mission area 4): cert-manager issuers and certificates, Ingress for nginx/traefik. */
export const ingressEmitter: Emitter = {
  id: "ingress",
  emit(model: PlatformModel) {
    const routes = exposedRoutes(model);
    const documents: EmittedDocument[] = (model.issuers ?? []).map((i) => clusterIssuerDocument(model, i));
    const controller = model.platform.ingress;
    if (controller === "none" || !routes.length) return { documents, diagnostics: [] };
    // One certificate per host, in the namespace whose Gateway or Ingress serves it.
    const certs = new Map<string, EmittedDocument>();
    for (const r of routes) {
      // ALB and GKE load balancers serve their cloud's certificates, never Secrets (and a gateway behind them serves plain HTTP).
      if (!r.tls || controller === "alb" || controller === "gce") continue;
      // Application Gateway serves the Secret of the Ingress's namespace: the gateway's with the mesh.
      const ns = gatewayRoutes(model.platform) ? ingressGateway(model).namespace : r.service.namespace;
      const key = `${ns}/${r.host}`;
      if (!certs.has(key)) certs.set(key, certificateDocument(model, r.host, r.tls, ns, r.origin));
    }
    documents.push(...certs.values());
    if (controller === "alb") documents.push(...albDocuments(model, routes));
    else if (controller === "gce") documents.push(...gceDocuments(model, routes));
    else if (controller === "application-gateway") documents.push(...agicDocuments(model, routes));
    else if (controller !== "istio") documents.push(...ingressDocuments(model, controller, routes));
    return { documents, diagnostics: [] };
  },
};
