import { serviceEgress } from "../../model/egress-model.js";
import { sidecarMesh } from "../../model/mesh.js";
import type { NamespaceModel, PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { hostName } from "./common.js";

export const objectName = (prefix: string, text: string) => `${prefix}-${hostName(text)}`.slice(0, 63).replace(/-+$/, "");
export const portSpec = (port: number) => (port === 443 ? { number: 443, name: "tls-443", protocol: "TLS" } : { number: port, name: `tcp-${port}`, protocol: "TCP" });

/**
 * With the mesh, each external host or address block a namespace's services reach gets an
 * Istio ServiceEntry, visible only in that namespace (`exportTo: ["."]`): the mesh then knows
 * the destination (telemetry, and passage under REGISTRY_ONLY). Port 443 is TLS (the app does
 * its own TLS; the sidecar routes by SNI), others plain TCP. Wildcard hosts cannot be resolved
 * by the proxy, so they pass through to the address the app resolved (`resolution: NONE`).
 * In-cluster Services (Kafka in its namespace) are in the mesh's registry already.
 *
 * Under `compliance pci-dss` with sidecars, a namespace-wide Sidecar `default` sets the outbound
 * traffic policy to REGISTRY_ONLY: a sidecar forwards only to Services and ServiceEntries, so an
 * undeclared external host is refused by the proxy as well as by the NetworkPolicy. (Ambient
 * mode has no Sidecar resource.) With `egress-gateway`, egress-gateway.ts adds the routes that
 * send these hosts through the Istio egress gateway.
 */
export function egressMeshDocuments(model: PlatformModel, ns: NamespaceModel): EmittedDocument[] {
  const hosts = new Map<string, { ports: Set<number>; origin: NamespaceModel["origin"] }>();
  const cidrs = new Map<string, { ports: Set<number>; origin: NamespaceModel["origin"] }>();
  for (const s of model.services.filter((x) => x.namespace === ns.name)) {
    const origin = s.fields["egress"] ?? s.fields["scale"] ?? s.origin;
    for (const d of serviceEgress(model, s)) {
      const into = d.kind === "host" ? hosts : d.kind === "cidr" ? cidrs : undefined;
      const key = d.kind === "host" ? d.host : d.kind === "cidr" ? d.cidr : "";
      if (!into || !("port" in d)) continue;
      const entry = into.get(key) ?? { ports: new Set<number>(), origin };
      entry.ports.add(d.port);
      into.set(key, entry);
    }
  }
  const sorted = <T>(m: Map<string, T>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
  const docs: EmittedDocument[] = [];
  for (const [host, { ports, origin }] of sorted(hosts)) {
    const name = objectName("egress", host);
    docs.push(document(`${ns.name}/serviceentry-${name}.yaml`, {
      apiVersion: "networking.istio.io/v1",
      kind: "ServiceEntry",
      metadata: metadata(name, ns.name, labels(model, hostName(host), "egress")),
      spec: {
        hosts: [host],
        exportTo: ["."],
        location: "MESH_EXTERNAL",
        ports: [...ports].sort((a, b) => a - b).map(portSpec),
        resolution: host.startsWith("*.") ? "NONE" : "DNS",
      },
    }, origin));
  }
  for (const [cidr, { ports, origin }] of sorted(cidrs)) {
    const name = objectName("egress", `cidr.${cidr.replace(/[.:/]+/g, "-")}`);
    docs.push(document(`${ns.name}/serviceentry-${name}.yaml`, {
      apiVersion: "networking.istio.io/v1",
      kind: "ServiceEntry",
      metadata: metadata(name, ns.name, labels(model, name, "egress")),
      spec: {
        // A TCP ServiceEntry matches on its addresses; the host is only its name in the registry.
        hosts: [`${name}.egress.internal`],
        addresses: [cidr],
        exportTo: ["."],
        location: "MESH_EXTERNAL",
        ports: [...ports].sort((a, b) => a - b).map((port) => ({ number: port, name: `tcp-${port}`, protocol: "TCP" })),
        resolution: "NONE",
      },
    }, origin));
  }
  if (sidecarMesh(model) && model.platform.compliance.includes("pci-dss"))
    docs.push(document(`${ns.name}/sidecar-default.yaml`, {
      apiVersion: "networking.istio.io/v1",
      kind: "Sidecar",
      metadata: metadata("default", ns.name, labels(model, ns.name, "egress")),
      spec: { outboundTrafficPolicy: { mode: "REGISTRY_ONLY" } },
    }, model.platform.fields["compliance"] ?? ns.origin));
  return docs;
}
