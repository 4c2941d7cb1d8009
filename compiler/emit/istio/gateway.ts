import type { PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { http01Issuers } from "../../model/acme-solver.js";
import { istioHttp01Documents } from "../ingress/acme.js";
import { dnsAnnotations, exposedRoutes, groupBy, hostName, meshOn, tlsSecretName } from "./common.js";
import { gatewayServiceDocuments } from "./load-balancer.js";
import { cloudLoadBalancerIngress, ingressGateway } from "../../model/mesh.js";
import { httpRoute } from "./traffic.js";
import { healthCheckGatewayDocuments } from "./health-check-gateway.js";

/**
 * `ingress istio`: one Gateway in the ingress gateway's namespace with an HTTPS server
 * per TLS host (certificate from cert-manager, HTTP redirected to HTTPS) and a
 * VirtualService per host and namespace routing its paths to the exposing services.
 * A TLS host certified over ACME HTTP-01 is not redirected by the Gateway: its
 * VirtualService on port 80 serves the challenge and redirects the rest (ingress/acme.ts),
 * and its application routes match port 443 only. The gateway's LoadBalancer Service
 * comes with it (load-balancer.ts).
 */
export function gatewayDocuments(model: PlatformModel): EmittedDocument[] {
  const routes = exposedRoutes(model);
  if (!routes.length) return [];
  const gw = ingressGateway(model);
  const gwNs = gw.namespace;
  const gwName = model.platform.name;
  const byHost = groupBy(routes, (r) => r.host);
  // Behind an ALB or a GKE load balancer (`ingress alb|gce`), which terminates TLS and sends no SNI: plain HTTP on 80, no redirect (the load balancer redirects).
  const tlsHosts = cloudLoadBalancerIngress(model.platform.ingress) ? [] : [...byHost].filter(([, rs]) => rs.some((r) => r.tls)).map(([h]) => h);
  const http01 = http01Issuers(model.platform, model.issuers ?? []);
  // TLS hosts whose certificate is solved over HTTP-01: port 80 must reach the solver.
  const acmeHosts = tlsHosts.filter((h) => byHost.get(h)!.some((r) => r.tls && http01.has(r.tls)));
  const redirectHosts = tlsHosts.filter((h) => !acmeHosts.includes(h));
  const plainHosts = [...byHost.keys()].filter((h) => !redirectHosts.includes(h));
  const servers: Record<string, unknown>[] = tlsHosts.map((h) => ({
    port: { number: 443, name: `https-${hostName(h, 57)}`, protocol: "HTTPS" },
    hosts: [h],
    tls: { mode: "SIMPLE", credentialName: tlsSecretName(h), minProtocolVersion: "TLSV1_2" },
  }));
  if (redirectHosts.length) servers.push({ port: { number: 80, name: "http-redirect", protocol: "HTTP" }, hosts: redirectHosts, tls: { httpsRedirect: true } });
  if (plainHosts.length) servers.push({ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: plainHosts });
  const docs: EmittedDocument[] = [document(`${gwNs}/gateway-${gwName}.yaml`, {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: metadata(gwName, gwNs, labels(model, gwName, "gateway"), dnsAnnotations(model, [...byHost.keys()])),
    spec: { selector: { ...gw.labels }, servers },
  }, model.platform.fields["ingress"] ?? model.platform.origin)];
  docs.push(...gatewayServiceDocuments(model));
  docs.push(...healthCheckGatewayDocuments(model)); // multi-cluster: what Route 53 health checks call
  docs.push(...istioHttp01Documents(model, gwName, acmeHosts.map((h) => ({ host: h, origin: byHost.get(h)!.find((r) => r.tls)!.origin }))));
  for (const [key, rs] of groupBy(routes, (r) => `${r.host}|${r.service.namespace}`)) {
    const [host, ns] = key.split("|") as [string, string];
    const http = rs.map((r) => ({
      name: `${r.service.name}${r.path === "/" ? "" : r.path.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`.replace(/-+$/, ""),
      match: [{ ...(acmeHosts.includes(host) ? { port: 443 } : {}), uri: { prefix: r.path } }],
      ...(meshOn(model) ? httpRoute(r.service, r.port) : { route: [{ destination: { host: `${r.service.name}.${ns}.svc.cluster.local`, port: { number: r.port } } }] }),
    }));
    const vsName = `ingress-${hostName(host, 55)}`;
    docs.push(document(`${ns}/virtualservice-${vsName}.yaml`, {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: metadata(vsName, ns, labels(model, hostName(host), "ingress")),
      spec: { hosts: [host], gateways: [`${gwNs}/${gwName}`], http },
    }, rs[0]!.origin, Object.fromEntries(rs.map((r, i) => [`/spec/http/${i}`, r.origin]))));
  }
  return docs;
}
