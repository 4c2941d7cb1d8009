import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { containerPortOf, type PlatformModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { labels, metadata, selector } from "./labels.js";
import { names } from "./names.js";
import { vaultEgressRules } from "./vault-agent.js";
import { ingressController } from "../../model/mesh.js";
import { egressRules } from "./egress-policy.js";
import { routeContainerPort } from "../istio/common.js";
import { externalSources } from "../../model/service-exposure.js";
import { albSourceRanges } from "../ingress/alb.js";
import { gceSourceRanges } from "../ingress/gce.js";
import { agicSourceRanges } from "../ingress/agic.js";
import { profilingNetworkPolicyDocuments } from "./profiling-policy.js";

interface Workload {
  readonly name: string;
  readonly namespace: string;
  /** The pod ports its callers reach (a policy matches after the Service's port → targetPort translation): all but the `metrics` port, which only Prometheus scrapes (observability/scrape.ts). */
  readonly ports: readonly number[];
  readonly calls: readonly string[];
  /** The ports the ingress routes to (`expose … port <name>`, else the first); empty when not exposed. */
  readonly routedPorts: readonly number[];
  readonly origin: SourceRange;
  readonly callsOrigin?: SourceRange;
  /** `service-type load-balancer|node-port`: the ipBlocks its traffic comes from (service-exposure.ts), admitted on the callable ports. */
  readonly externalSources?: readonly string[];
  /** Egress rules beyond the call graph (the Vault servers of a Vault agent, `egress` lines, Kafka, SQS, the API server). */
  readonly extraEgress?: readonly Record<string, unknown>[];
}


export function workloadsOf(model: PlatformModel): Workload[] {
  return [
    ...model.services.map((s) => {
      const vault = [...vaultEgressRules(model, s), ...egressRules(model, s)];
      const routedPorts = [...new Set(s.expose.map((e) => routeContainerPort(s, e.port)))].sort((a, b) => a - b);
      return { name: s.name, namespace: s.namespace, ports: s.ports.filter((p) => p.name !== "metrics").map(containerPortOf), calls: s.calls, routedPorts, origin: s.origin, ...(s.fields["calls"] ? { callsOrigin: s.fields["calls"] } : {}), ...(vault.length ? { extraEgress: vault } : {}), ...(s.serviceType ? { externalSources: externalSources(s.serviceType) } : {}) };
    }),
    ...model.databases.map((d) => ({ name: d.name, namespace: d.namespace, ports: [d.port], calls: [] as string[], routedPorts: [] as number[], origin: d.origin })),
  ];
}

const peer = (from: Workload, to: Workload) =>
  from.namespace === to.namespace
    ? { podSelector: { matchLabels: selector(to.name) } }
    : { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": to.namespace } }, podSelector: { matchLabels: selector(to.name) } };

/**
 * On top of each namespace's default deny: a workload accepts exactly its declared
 * callers on the ports they call (not the metrics port), the ingress controller on the routed
 * ports, and may call exactly its declared callees on theirs.
 */
export function networkPolicyDocuments(model: PlatformModel): EmittedDocument[] {
  const all = workloadsOf(model);
  const byName = new Map(all.map((w) => [w.name, w]));
  // Callers by callee name, in workload order: one pass instead of scanning every workload per workload (quadratic).
  const callersOf = new Map<string, Workload[]>();
  for (const o of all) {
    for (const c of new Set(o.calls)) {
      if (c === o.name) continue;
      const list = callersOf.get(c);
      if (list) list.push(o);
      else callersOf.set(c, [o]);
    }
  }
  // `ingress alb|gce` without the mesh: the load balancer's own addresses connect to the pods (emit/ingress/alb.ts, gce.ts).
  const lbSources = [...albSourceRanges(model), ...gceSourceRanges(model), ...agicSourceRanges(model)];
  const controllerNs = model.platform.ingress !== "none" && !lbSources.length ? ingressController(model, model.platform.ingress).namespace : undefined;
  const docs = all.map((w) => {
    const callers = callersOf.get(w.name) ?? [];
    const callees = w.calls.map((c) => byName.get(c)).filter((c): c is Workload => !!c && c.name !== w.name);
    const ports = w.ports.map((port) => ({ protocol: "TCP", port }));
    // An empty `ports` list would admit every port: a workload with no callable port admits no caller.
    const ingress: Record<string, unknown>[] = ports.length ? callers.map((c) => ({ from: [peer(w, c)], ports })) : [];
    // Exposed services accept traffic from the namespace the ingress controller runs in.
    if (w.routedPorts.length && controllerNs)
      ingress.push({ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": controllerNs } } }], ports: w.routedPorts.map((port) => ({ protocol: "TCP", port })) });
    if (w.routedPorts.length && lbSources.length)
      ingress.push({ from: lbSources.map((cidr) => ({ ipBlock: { cidr } })), ports: w.routedPorts.map((port) => ({ protocol: "TCP", port })) });
    // A load balancer's or node port's packets come from outside the cluster: only an ipBlock admits them, on the callable ports only.
    if (w.externalSources?.length && ports.length) ingress.push({ from: w.externalSources.map((cidr) => ({ ipBlock: { cidr } })), ports });
    const egress = [
      ...callees.filter((c) => c.ports.length).map((c) => ({ to: [peer(w, c)], ports: c.ports.map((port) => ({ protocol: "TCP", port })) })),
      ...(w.extraEgress ?? []),
    ];
    return document(`${w.namespace}/networkpolicy-${names.networkPolicy(w.name)}.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata(names.networkPolicy(w.name), w.namespace, labels(model, w.name, "network-policy")),
      spec: { podSelector: { matchLabels: selector(w.name) }, policyTypes: ["Ingress", "Egress"], ingress, egress },
    }, w.origin, { "/spec/egress": w.callsOrigin });
  });
  return [...docs, ...profilingNetworkPolicyDocuments(model)];
}
