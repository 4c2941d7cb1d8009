import type { PlatformModel } from "../../model/platform-model.js";
import { activeProfile } from "../../model/profiling.js";
import { document, type EmittedDocument } from "../output.js";
import { labels, metadata, selector } from "./labels.js";

/** The object name of a workload's profiling door (NetworkPolicy, AuthorizationPolicy, PeerAuthentication). */
export const profilingName = (workload: string) => `${workload}-profiling`;

/** The profiler's pods: any pod of its namespace (its scraper's labels differ by chart and release). */
export const fromProfiler = (namespace: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } });

/**
 * Per workload with `profile pprof` on here: a NetworkPolicy admitting the profiling namespace
 * alone, to the pprof port alone, on top of the namespace's default deny. Nothing else admits
 * that port: the call graph's policy lists the serving ports, the gateway's rule the routed ones.
 */
export function profilingNetworkPolicyDocuments(model: PlatformModel): EmittedDocument[] {
  const docs: EmittedDocument[] = [];
  for (const s of model.services) {
    const p = activeProfile(model, s);
    if (!p) continue;
    docs.push(document(`${s.namespace}/networkpolicy-${profilingName(s.name)}.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata(profilingName(s.name), s.namespace, labels(model, s.name, "profiling")),
      spec: {
        podSelector: { matchLabels: selector(s.name) },
        policyTypes: ["Ingress"],
        ingress: [{ from: [fromProfiler(p.namespace)], ports: [{ protocol: "TCP", port: p.port }] }],
      },
    }, p.origin, { "/spec/ingress/0/from": model.platform.profiling?.origin }));
  }
  return docs;
}
