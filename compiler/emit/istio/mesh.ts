import type { NamespaceModel, PlatformModel } from "../../model/platform-model.js";
import { labels, metadata, selector } from "../kubernetes/labels.js";
import { workloadsOf } from "../kubernetes/network-policy.js";
import { document, type EmittedDocument } from "../output.js";
import { ambient, ambientNamespaceDocuments, WAYPOINT } from "./ambient.js";
import { ingressController, principal, routeContainerPort } from "./common.js";

/** meshConfig.extensionProviders names the Telemetry resource refers to (Istio's documented defaults). */
const PROVIDER_NAMES = { jaeger: "jaeger", otel: "otel-tracing" } as const;

/**
 * Per namespace: STRICT mTLS, an allow-nothing AuthorizationPolicy (the mesh's default
 * deny), egress to istiod (and the trace collector) past the default-deny NetworkPolicy,
 * and a Telemetry resource when the platform traces.
 */
export function namespaceMeshDocuments(model: PlatformModel, ns: NamespaceModel): EmittedDocument[] {
  const l = labels(model, ns.name, "mesh");
  const docs: EmittedDocument[] = [
    document(`${ns.name}/peerauthentication-default.yaml`, {
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: metadata("default", ns.name, l),
      spec: { mtls: { mode: "STRICT" } },
    }, model.platform.fields["mesh"] ?? ns.origin),
    document(`${ns.name}/authorizationpolicy-allow-nothing.yaml`, {
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: metadata("allow-nothing", ns.name, l),
      spec: {},
    }, model.platform.fields["mesh"] ?? ns.origin),
    document(`${ns.name}/networkpolicy-allow-istiod.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata("allow-istiod", ns.name, l),
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "istio-system" } }, podSelector: { matchLabels: { app: "istiod" } } }],
          ports: [{ protocol: "TCP", port: 15012 }],
        }],
      },
    }, model.platform.fields["mesh"] ?? ns.origin),
  ];
  if (ambient(model)) docs.push(...ambientNamespaceDocuments(model, ns));
  const t = model.platform.tracing;
  if (t) {
    const provider = PROVIDER_NAMES[t.provider];
    const [service, collectorNs] = t.host.split(".");
    const fullHost = t.host.includes(".svc") ? t.host : `${t.host}.svc.cluster.local`;
    docs.push(document(`${ns.name}/telemetry-tracing.yaml`, {
      apiVersion: "telemetry.istio.io/v1",
      kind: "Telemetry",
      metadata: metadata("tracing", ns.name, l, {
        // The provider must exist in the mesh config (istiod install values); this is the entry it expects.
        "finc.dev/mesh-extension-provider": JSON.stringify({ name: provider, opentelemetry: { service: fullHost, port: t.port } }),
      }),
      spec: { tracing: [{ providers: [{ name: provider }], randomSamplingPercentage: t.sampling }] },
    }, model.platform.fields["tracing"] ?? ns.origin, { "/spec/tracing/0/randomSamplingPercentage": model.platform.fields["tracing"] }));
    if (collectorNs && service) {
      docs.push(document(`${ns.name}/networkpolicy-allow-tracing.yaml`, {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: metadata("allow-tracing", ns.name, l),
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": collectorNs } } }], ports: [{ protocol: "TCP", port: t.port }] }],
        },
      }, model.platform.fields["tracing"] ?? ns.origin));
    }
  }
  return docs;
}

/**
 * One ALLOW policy per workload: exactly its declared callers' service accounts on its
 * own ports but the metrics port, and the ingress controller on the routed port when the service is exposed.
 * Together with allow-nothing this is the call graph, enforced with mTLS identities.
 */
export function authorizationPolicyDocuments(model: PlatformModel): EmittedDocument[] {
  const all = workloadsOf(model);
  const docs: EmittedDocument[] = [];
  for (const w of all) {
    // Callers get the ports they call, never the metrics port (only Prometheus's identity, scrape.ts);
    // an empty port list would mean every port, so a workload with no callable port admits no caller.
    const callers = w.ports.length ? all.filter((o) => o.calls.includes(w.name) && o.name !== w.name) : [];
    const rules: Record<string, unknown>[] = [];
    if (callers.length)
      rules.push({
        from: [{ source: { principals: callers.map((c) => principal(c.namespace, c.name)).sort() } }],
        to: [{ operation: { ports: w.ports.map(String) } }],
      });
    const service = model.services.find((s) => s.name === w.name);
    const controller = model.platform.ingress !== "none" ? ingressController(model, model.platform.ingress) : undefined;
    if (service?.expose.length && controller) {
      const ports = [...new Set(service.expose.map((e) => routeContainerPort(service, e.port)))].sort((a, b) => a - b);
      rules.push({ from: [{ source: { principals: [principal(controller.namespace, controller.serviceAccount)] } }], to: [{ operation: { ports: ports.map(String) } }] });
    }
    if (!rules.length) continue;
    if (ambient(model) && service && callers.length) {
      // Ambient: calls to the service's ClusterIP pass its namespace's waypoint, which checks the
      // callers (a policy targeting the Service); the pod's ztunnel then sees the waypoint's identity.
      docs.push(document(`${w.namespace}/authorizationpolicy-${w.name}-waypoint.yaml`, {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        metadata: metadata(`${w.name}-waypoint`, w.namespace, labels(model, w.name, "authorization")),
        spec: { targetRefs: [{ group: "", kind: "Service", name: w.name }], action: "ALLOW", rules: [rules[0]!] },
      }, w.origin, { "/spec/rules": w.callsOrigin }));
      rules.push({ from: [{ source: { principals: [principal(w.namespace, WAYPOINT)] } }], to: [{ operation: { ports: w.ports.map(String) } }] });
    }
    docs.push(document(`${w.namespace}/authorizationpolicy-${w.name}.yaml`, {
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: metadata(w.name, w.namespace, labels(model, w.name, "authorization")),
      spec: { selector: { matchLabels: selector(w.name) }, action: "ALLOW", rules },
    }, w.origin, { "/spec/rules": w.callsOrigin }));
  }
  return docs;
}
