import { NON_PUBLIC_V4, serviceEgress, type EgressDestination } from "../../model/egress-model.js";
import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { egressGatewayOf, type EgressGatewayModel } from "../../model/egress-gateway.js";

const tcp = (ports: Iterable<number>) => [...new Set(ports)].sort((a, b) => a - b).map((port) => ({ protocol: "TCP", port }));

/**
 * The NetworkPolicy egress rules for a service's destinations outside the call graph:
 * - external hosts: a NetworkPolicy cannot name a DNS host, and the host's addresses change
 *   (CDNs, cloud endpoints), so the rule admits every *public* address on the host's ports —
 *   0.0.0.0/0 except the private, shared (100.64/10), link-local (cloud metadata) and loopback
 *   ranges, so the rule opens no path to pods, nodes or the instance metadata service. DNS is
 *   open already (the namespace's allow-dns). With the mesh, the ServiceEntries name the hosts,
 *   and under REGISTRY_ONLY nothing else gets out through the sidecar;
 * - Services in other namespaces (`kafka-kafka-bootstrap.kafka.svc`): that namespace on the port;
 * - address blocks: exactly the block;
 * - the API server (`kubernetes-api yes`): its addresses are the cluster's own and often private
 *   (EKS puts its control-plane ENIs in the VPC) and unknown at build time, and the Service
 *   `kubernetes.default` is DNAT-ed to them before policy applies, so the rule admits its
 *   ports (443 managed, 6443 kubeadm) on any address.
 * With `egress-gateway`, external hosts leave through the Istio egress gateway instead: the rule
 * admits the gateway's pods (its namespace and labels) on the port they listen on, and no public
 * address at all (emit/istio/egress-gateway.ts routes the hosts there).
 */
export function egressRules(model: PlatformModel, s: ServiceModel): Record<string, unknown>[] {
  return egressRulesFor(serviceEgress(model, s), egressGatewayOf(model));
}

export function egressRulesFor(destinations: readonly EgressDestination[], gateway?: EgressGatewayModel): Record<string, unknown>[] {
  const rules: Record<string, unknown>[] = [];
  const hostPorts = destinations.flatMap((d) => (d.kind === "host" ? [d.port] : []));
  if (hostPorts.length && gateway)
    rules.push({
      to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": gateway.namespace } }, podSelector: { matchLabels: { ...gateway.labels } } }],
      ports: tcp([gateway.podPort]),
    });
  else if (hostPorts.length) rules.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...NON_PUBLIC_V4] } }], ports: tcp(hostPorts) });
  const byNamespace = new Map<string, number[]>();
  const byCidr = new Map<string, number[]>();
  for (const d of destinations) {
    if (d.kind === "cluster") byNamespace.set(d.namespace, [...(byNamespace.get(d.namespace) ?? []), d.port]);
    if (d.kind === "cidr") byCidr.set(d.cidr, [...(byCidr.get(d.cidr) ?? []), d.port]);
  }
  for (const [ns, ports] of [...byNamespace].sort(([a], [b]) => (a < b ? -1 : 1)))
    rules.push({ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } }], ports: tcp(ports) });
  for (const [cidr, ports] of [...byCidr].sort(([a], [b]) => (a < b ? -1 : 1))) rules.push({ to: [{ ipBlock: { cidr } }], ports: tcp(ports) });
  const api = destinations.find((d) => d.kind === "kubernetes-api");
  if (api) rules.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(api.ports) });
  return rules;
}
