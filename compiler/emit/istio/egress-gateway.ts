import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { serviceEgress } from "../../model/egress-model.js";
import { egressGatewayHost, egressGatewayOf, type EgressGatewayModel } from "../../model/egress-gateway.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { hostName, principal } from "./common.js";
import { objectName, portSpec } from "./service-entry.js";

/**
 * `egress-gateway`: every external host leaves through the Istio egress gateway, as Istio's
 * "Egress Gateways" task does it with mutual TLS between sidecar and gateway (the application's
 * own TLS, e.g. to api.stripe.com, travels unchanged inside it — no TLS origination):
 *
 * in each client namespace (visible there only, `exportTo: ["."]`)
 * - the host's ServiceEntry (service-entry.ts), so the sidecar knows it (REGISTRY_ONLY);
 * - a DestinationRule `egress-gateway` for the gateway's Service with one subset per host:
 *   ISTIO_MUTUAL on the gateway's port 443 with the host as SNI — the gateway learns the host,
 *   and the workload's identity, from that mTLS handshake;
 * - a VirtualService per host bound to `mesh`: 443 matched by SNI (TLS), other ports by port (TCP),
 *   routed to the gateway's subset for that host;
 *
 * in the gateway's namespace (once for the platform)
 * - a Gateway `<platform>-egress` with a server per host on 443 terminating the sidecars' mTLS
 *   (`ISTIO_MUTUAL`, matched by SNI);
 * - per host a ServiceEntry (the gateway resolves the host) and a VirtualService bound to that
 *   Gateway forwarding the inner stream, as TCP, to the host's own port;
 * - an AuthorizationPolicy on the gateway's pods: per host (`connection.sni`) only the service
 *   accounts of the workloads that declared it, so no other workload can use the exit.
 *
 * Address blocks, in-cluster Services and the API server are not hosts: their direct
 * NetworkPolicy rules stay (egress-policy.ts).
 */
export function egressGatewayDocuments(model: PlatformModel): EmittedDocument[] {
  const gw = egressGatewayOf(model);
  if (!gw) return [];
  const hosts = gatewayHosts(model);
  if (!hosts.size) return [];
  const docs: EmittedDocument[] = [];
  const origin = model.platform.fields["egress-gateway"] ?? model.platform.origin;
  const namespaces = [...new Set([...hosts.values()].flatMap((h) => h.clients.map((c) => c.namespace)))].sort();
  for (const ns of namespaces) docs.push(...clientDocuments(model, gw, ns, hosts, origin));
  docs.push(...gatewayDocuments(model, gw, hosts, origin));
  return docs;
}

interface GatewayHost {
  readonly port: number;
  readonly clients: { namespace: string; name: string; origin: SourceRange }[];
}

/** Every external host of the platform, its port (one per host, FIN4058) and the workloads that declared it, sorted by host. */
function gatewayHosts(model: PlatformModel): Map<string, GatewayHost> {
  const out = new Map<string, GatewayHost>();
  for (const s of model.services)
    for (const d of serviceEgress(model, s)) {
      if (d.kind !== "host" || d.host.startsWith("*.")) continue;
      const h = out.get(d.host) ?? { port: d.port, clients: [] };
      h.clients.push({ namespace: s.namespace, name: s.name, origin: s.fields["egress"] ?? s.fields["scale"] ?? s.origin });
      out.set(d.host, h);
    }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const GATEWAY_PORT = 443;

function clientDocuments(model: PlatformModel, gw: EgressGatewayModel, ns: string, hosts: Map<string, GatewayHost>, origin: SourceRange): EmittedDocument[] {
  const mine = [...hosts].filter(([, h]) => h.clients.some((c) => c.namespace === ns));
  const gwHost = egressGatewayHost(gw);
  const docs: EmittedDocument[] = [document(`${ns}/destinationrule-egress-gateway.yaml`, {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: metadata("egress-gateway", ns, labels(model, "egress-gateway", "egress")),
    spec: {
      host: gwHost,
      exportTo: ["."],
      subsets: mine.map(([host]) => ({ name: hostName(host), trafficPolicy: { portLevelSettings: [{ port: { number: GATEWAY_PORT }, tls: { mode: "ISTIO_MUTUAL", sni: host } }] } })),
    },
  }, origin)];
  for (const [host, h] of mine) {
    const route = [{ destination: { host: gwHost, subset: hostName(host), port: { number: GATEWAY_PORT } } }];
    const name = objectName("egress", host);
    docs.push(document(`${ns}/virtualservice-${name}.yaml`, {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: metadata(name, ns, labels(model, hostName(host), "egress")),
      spec: {
        hosts: [host],
        gateways: ["mesh"],
        exportTo: ["."],
        // TLS carries the host in its SNI; any other protocol only has its port.
        ...(h.port === 443
          ? { tls: [{ match: [{ gateways: ["mesh"], port: 443, sniHosts: [host] }], route }] }
          : { tcp: [{ match: [{ gateways: ["mesh"], port: h.port }], route }] }),
      },
    }, h.clients.find((c) => c.namespace === ns)!.origin));
  }
  return docs;
}

function gatewayDocuments(model: PlatformModel, gw: EgressGatewayModel, hosts: Map<string, GatewayHost>, origin: SourceRange): EmittedDocument[] {
  const ns = gw.namespace;
  const gwName = `${model.platform.name}-egress`;
  const l = labels(model, gwName, "egress");
  const docs: EmittedDocument[] = [document(`${ns}/gateway-${gwName}.yaml`, {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: metadata(gwName, ns, l),
    spec: {
      selector: { ...gw.labels },
      servers: [...hosts.keys()].map((host) => ({ port: { number: GATEWAY_PORT, name: `tls-${hostName(host, 59)}`, protocol: "TLS" }, hosts: [host], tls: { mode: "ISTIO_MUTUAL" } })),
    },
  }, origin)];
  for (const [host, h] of hosts) {
    const name = objectName("egress", host);
    const at = h.clients[0]!.origin;
    docs.push(
      document(`${ns}/serviceentry-${name}.yaml`, {
        apiVersion: "networking.istio.io/v1",
        kind: "ServiceEntry",
        metadata: metadata(name, ns, labels(model, hostName(host), "egress")),
        spec: { hosts: [host], exportTo: ["."], location: "MESH_EXTERNAL", ports: [portSpec(h.port)], resolution: "DNS" },
      }, at),
      document(`${ns}/virtualservice-${name}.yaml`, {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: metadata(name, ns, labels(model, hostName(host), "egress")),
        spec: {
          hosts: [host],
          gateways: [gwName],
          exportTo: ["."],
          // The gateway terminated the sidecar's mTLS: what is inside (the app's TLS) goes on as a byte stream.
          tcp: [{ match: [{ gateways: [gwName], port: GATEWAY_PORT }], route: [{ destination: { host, port: { number: h.port } } }] }],
        },
      }, at),
    );
  }
  docs.push(document(`${ns}/authorizationpolicy-${gwName}.yaml`, {
    apiVersion: "security.istio.io/v1",
    kind: "AuthorizationPolicy",
    metadata: metadata(gwName, ns, l),
    spec: {
      selector: { matchLabels: { ...gw.labels } },
      action: "ALLOW",
      rules: [...hosts].map(([host, h]) => ({
        from: [{ source: { principals: [...new Set(h.clients.map((c) => principal(c.namespace, c.name)))].sort() } }],
        when: [{ key: "connection.sni", values: [host] }],
      })),
    },
  }, origin));
  return docs;
}
