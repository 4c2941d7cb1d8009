import { healthCheckTargets } from "../../model/dns-health-checks.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { ingressGateway } from "../../model/mesh.js";
import { dnsAnnotations, fqdn, hostName, meshOn } from "./common.js";
import { httpRoute } from "./traffic.js";

/**
 * What this cluster's Route 53 health checks call (model/dns-health-checks.ts): a Gateway
 * `<platform>-health-check` on the same gateway pods serving `<cluster>.<host>` for each checked
 * host over HTTP on port 80 (model/dns-health-checks.ts says why not HTTPS), and per
 * host a VirtualService that routes exactly the checked path to the host's service, nothing else
 * (the rest of the application is not reachable under the per-cluster name). external-dns
 * publishes these names as plain records of this cluster's load balancer (no routing policy: each
 * name belongs to one cluster). Nothing where the cluster gets no health checks.
 */
export function healthCheckGatewayDocuments(model: PlatformModel): EmittedDocument[] {
  const { targets } = healthCheckTargets(model);
  if (!targets.length) return [];
  const gw = ingressGateway(model);
  const name = `${model.platform.name}-health-check`;
  // One HTTP server for every checked name: port 80 of the gateway's load balancer, no certificate.
  const servers = [{ port: { number: 80, name: "http-health-check", protocol: "HTTP" }, hosts: targets.map((t) => t.checkHost) }];
  const plain = dnsAnnotations({ ...model, cluster: undefined }, targets.map((t) => t.checkHost));
  const at = model.platform.fields["ingress"] ?? model.platform.origin;
  const docs: EmittedDocument[] = [document(`${gw.namespace}/gateway-${name}.yaml`, {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: metadata(name, gw.namespace, labels(model, name, "gateway"), plain),
    spec: { selector: { ...gw.labels }, servers },
  }, at)];
  for (const t of targets) {
    const ns = t.service.namespace;
    const vsName = `health-check-${hostName(t.host, 50)}`;
    const route = meshOn(model) ? httpRoute(t.service, t.port.port) : { route: [{ destination: { host: fqdn(t.service.name, ns), port: { number: t.port.port } } }] };
    docs.push(document(`${ns}/virtualservice-${vsName}.yaml`, {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: metadata(vsName, ns, labels(model, hostName(t.host), "ingress")),
      spec: { hosts: [t.checkHost], gateways: [`${gw.namespace}/${name}`], http: [{ name: "health-check", match: [{ uri: { exact: t.path } }], ...route }] },
    }, t.origin));
  }
  return docs;
}
