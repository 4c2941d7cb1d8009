import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { activeProfile } from "../../model/profiling.js";
import { servesTraffic } from "../../model/workload-kind.js";
import { isManagedMonitoring } from "../../model/cloud-monitoring.js";
import { labels, metadata, selector } from "../kubernetes/labels.js";
import { profilingName } from "../kubernetes/profiling-policy.js";
import { metricsPort } from "../observability/scrape.js";
import { document, type EmittedDocument } from "../output.js";

/**
 * The mesh side of `profile pprof`: an ALLOW AuthorizationPolicy for the pprof port alone.
 *
 * Sidecars: a profiler scrapes pod IPs, which its own sidecar (if any) passes through without
 * mTLS, so the port must accept plain text (portLevelMtls PERMISSIVE, every other port STRICT)
 * and the policy admits the profiling namespace's identities or a caller without one
 * (`notPrincipals: ["*"]`); a mesh workload of any other namespace is refused, and the
 * NetworkPolicy (profiling-policy.ts) admits plain text only from the profiling namespace.
 * Ambient: ztunnel carries the scrape with the profiler's identity (enroll its namespace,
 * as Prometheus's), and the policy admits that namespace alone.
 */
export function profilingMeshDocuments(model: PlatformModel): EmittedDocument[] {
  const docs: EmittedDocument[] = [];
  const sidecar = model.platform.meshMode !== "ambient";
  for (const s of model.services) {
    const p = activeProfile(model, s);
    if (!p) continue;
    const name = profilingName(s.name);
    const port = String(p.port);
    const from = sidecar ? [{ source: { namespaces: [p.namespace] } }, { source: { notPrincipals: ["*"] } }] : [{ source: { namespaces: [p.namespace] } }];
    docs.push(document(`${s.namespace}/authorizationpolicy-${name}.yaml`, {
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: metadata(name, s.namespace, labels(model, s.name, "authorization")),
      spec: { selector: { matchLabels: selector(s.name) }, action: "ALLOW", rules: [{ from, to: [{ operation: { ports: [port] } }] }] },
    }, p.origin, { "/spec/rules/0/from": model.platform.profiling?.origin }));
    // One workload-level PeerAuthentication per pod (Istio applies only the oldest of several): a
    // worker's metrics PeerAuthentication already carries this port (observability/worker-scrape.ts).
    if (sidecar && !hasMetricsPeerAuthentication(model, s))
      docs.push(document(`${s.namespace}/peerauthentication-${name}.yaml`, {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: metadata(name, s.namespace, labels(model, s.name, "mesh")),
        spec: { selector: { matchLabels: selector(s.name) }, mtls: { mode: "STRICT" }, portLevelMtls: { [port]: { mode: "PERMISSIVE" } } },
      }, p.origin));
  }
  return docs;
}

/** Does worker-scrape.ts give this workload its own PeerAuthentication (a sidecar worker's metrics port with monitoring)? */
export function hasMetricsPeerAuthentication(model: PlatformModel, s: ServiceModel): boolean {
  return !!model.platform.monitoring && (!servesTraffic(s) || isManagedMonitoring(model.platform.monitoring)) && metricsPort(s) !== undefined && model.platform.mesh === "istio" && model.platform.meshMode !== "ambient";
}

/** The pprof port's plain-text exception, for the PeerAuthentication that worker-scrape.ts writes. */
export function profilingPortLevelMtls(model: PlatformModel, s: ServiceModel): Record<string, { mode: "PERMISSIVE" }> {
  const p = activeProfile(model, s);
  return p ? { [String(p.port)]: { mode: "PERMISSIVE" } } : {};
}
