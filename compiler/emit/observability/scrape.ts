import type { SourceRange } from "../../diagnostics/diagnostic.js";
import type { MonitoringModel } from "../../model/observability-model.js";
import { containerPortOf, type NamespaceModel, type PlatformModel, type ServiceModel } from "../../model/platform-model.js";
import { principal } from "../istio/common.js";
import { labels, metadata, selector } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { servesTraffic } from "../../model/workload-kind.js";
import { workerScrapeDocuments } from "./worker-scrape.js";
import { isManagedMonitoring, scraperPeers } from "../../model/cloud-monitoring.js";

/** The Prometheus Operator's label on the Prometheus pods it runs. */
const PROMETHEUS_POD = { "app.kubernetes.io/name": "prometheus" };
/** Envoy's Prometheus endpoint in sidecars and waypoints (plain HTTP, outside the mTLS capture). */
const ENVOY_METRICS = { port: "http-envoy-prom", number: 15090, path: "/stats/prometheus" };
/**
 * Where Istio's documented Prometheus setup (the `sidecar.istio.io/userVolumeMount` and
 * OUTPUT_CERTS annotations on the Prometheus pods) writes the workload certificate: the
 * scrape of a sidecar-fronted port is mTLS with Prometheus's own mesh identity.
 */
const PROM_CERTS = "/etc/prom-certs";
/** The label Argo Rollouts puts on every pod of a ReplicaSet it manages (Prometheus spells it rollouts_pod_template_hash). */
const ROLLOUT_HASH_LABEL = "rollouts-pod-template-hash";

export function metricsPort(s: ServiceModel): number | undefined {
  // The pod's port: the scrape's NetworkPolicy and AuthorizationPolicy match the pod, not a Service.
  const p = s.ports.find((x) => x.name === "metrics");
  return p ? containerPortOf(p) : undefined;
}

/** `release: <release>`: the label kube-prometheus-stack's rule and monitor selectors match. */
export function monitoringLabels(model: PlatformModel, m: MonitoringModel, name: string, component: string): Record<string, string> {
  return labels(model, name, component, isManagedMonitoring(m) ? {} : { release: m.release });
}

const fromPrometheus = (m: MonitoringModel) => scraperPeers(m, PROMETHEUS_POD);

/**
 * A service with a port named `metrics`: a ServiceMonitor for it, and the two doors through
 * the platform's default deny — a NetworkPolicy admitting the Prometheus pods (only them,
 * only to that port) and, with the mesh, an AuthorizationPolicy for Prometheus's identity.
 */
export function serviceScrapeDocuments(model: PlatformModel, m: MonitoringModel, s: ServiceModel): EmittedDocument[] {
  const port = metricsPort(s);
  if (port === undefined) return [];
  // A worker has no Service to monitor: a PodMonitor (worker-scrape.ts).
  // A managed collector carries no Istio certificates and reads no ServiceMonitor TLS files: it scrapes the pods, as for a worker.
  if (!servesTraffic(s) || isManagedMonitoring(m)) return workerScrapeDocuments(model, m, s, port, fromPrometheus(m));
  const f = model.platform.fields;
  const mesh = model.platform.mesh === "istio";
  const sidecar = mesh && model.platform.meshMode !== "ambient";
  const endpoint = {
    port: "metrics",
    path: "/metrics",
    interval: `${m.intervalSeconds}s`,
    scrapeTimeout: `${Math.min(10, m.intervalSeconds)}s`,
    ...(sidecar
      ? {
          scheme: "https",
          // Istio workload certificates carry only a SPIFFE URI SAN, which Prometheus cannot
          // verify; the client certificate still proves Prometheus's identity to the sidecar.
          tlsConfig: { caFile: `${PROM_CERTS}/root-cert.pem`, certFile: `${PROM_CERTS}/cert-chain.pem`, keyFile: `${PROM_CERTS}/key.pem`, insecureSkipVerify: true },
        }
      : {}),
  };
  const docs = [
    document(`${s.namespace}/servicemonitor-${s.name}.yaml`, {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: metadata(s.name, s.namespace, monitoringLabels(model, m, s.name, "monitoring")),
      // A rollout's analysis tells the new pods' series from the old ones' by this label (rollouts/analysis.ts).
      spec: { selector: { matchLabels: selector(s.name) }, ...(s.scaling?.rollout?.conditions.length ? { podTargetLabels: [ROLLOUT_HASH_LABEL] } : {}), endpoints: [endpoint] },
    }, s.fields["port"] ?? s.origin, { "/spec/endpoints/0/port": s.fields["port"], "/spec/endpoints/0/interval": f["monitoring"] }),
    metricsNetworkPolicy(model, s, port, fromPrometheus(m), s.fields["port"] ?? s.origin),
  ];
  // In ambient mode ztunnel enforces this policy and cannot see HTTP, so it names the port only.
  if (mesh)
    docs.push(metricsAuthorizationPolicy(model, s,
      { from: [{ source: { principals: [principal(m.namespace, m.serviceAccount)] } }], to: [{ operation: { ports: [String(port)], ...(sidecar ? { methods: ["GET"], paths: ["/metrics"] } : {}) } }] },
      s.fields["port"] ?? s.origin, { "/spec/rules/0/from": f["monitoring"] }));
  return docs;
}

/** `<workload>-metrics`: Prometheus's pods (`from`), and nothing else, may reach the metrics port. */
export function metricsNetworkPolicy(model: PlatformModel, s: ServiceModel, port: number, from: Record<string, unknown>[], origin: SourceRange): EmittedDocument {
  const name = `${s.name}-metrics`;
  return document(`${s.namespace}/networkpolicy-${name}.yaml`, {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: metadata(name, s.namespace, labels(model, s.name, "network-policy")),
    spec: { podSelector: { matchLabels: selector(s.name) }, policyTypes: ["Ingress"], ingress: [{ from, ports: [{ protocol: "TCP", port }] }] },
  }, origin, { "/spec/ingress/0/from": model.platform.fields["monitoring"] });
}

/** `<workload>-metrics`: the Istio ALLOW rule for the scrape (who and what depends on the mesh mode and the monitor kind). */
export function metricsAuthorizationPolicy(model: PlatformModel, s: ServiceModel, rule: Record<string, unknown>, origin: SourceRange, sourceMap: Record<string, SourceRange | undefined>): EmittedDocument {
  const name = `${s.name}-metrics`;
  return document(`${s.namespace}/authorizationpolicy-${name}.yaml`, {
    apiVersion: "security.istio.io/v1",
    kind: "AuthorizationPolicy",
    metadata: metadata(name, s.namespace, labels(model, s.name, "authorization")),
    spec: { selector: { matchLabels: selector(s.name) }, action: "ALLOW", rules: [rule] },
  }, origin, sourceMap);
}

/**
 * With the mesh, the SLOs and dashboards read Istio's request metrics from the Envoy proxies
 * that serve the namespace (sidecars, or in ambient mode its waypoint): a PodMonitor for them
 * and a NetworkPolicy admitting Prometheus to their metrics port.
 */
export function meshScrapeDocuments(model: PlatformModel, m: MonitoringModel, ns: NamespaceModel): EmittedDocument[] {
  if (model.platform.mesh !== "istio") return [];
  const ambient = model.platform.meshMode === "ambient";
  const proxies = ambient
    ? { matchLabels: { "gateway.networking.k8s.io/gateway-name": "waypoint" } }
    : { matchExpressions: [{ key: "security.istio.io/tlsMode", operator: "Exists" }] };
  const origin = model.platform.fields["monitoring"] ?? model.platform.origin;
  return [
    document(`${ns.name}/podmonitor-istio-proxies.yaml`, {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: metadata("istio-proxies", ns.name, monitoringLabels(model, m, "istio-proxies", "monitoring")),
      spec: {
        selector: proxies,
        // The sidecar is in the destination pod: a rollout's analysis selects the new pods by their hash (rollouts/analysis.ts).
        ...(!ambient && model.services.some((s) => s.namespace === ns.name && s.scaling?.rollout?.conditions.length) ? { podTargetLabels: [ROLLOUT_HASH_LABEL] } : {}),
        podMetricsEndpoints: [{
          port: ENVOY_METRICS.port,
          path: ENVOY_METRICS.path,
          interval: `${m.intervalSeconds}s`,
          // Only the standard request metrics the SLOs and dashboards use: Envoy exposes thousands of series.
          metricRelabelings: [{ sourceLabels: ["__name__"], action: "keep", regex: "istio_(requests_total|request_duration_milliseconds_(bucket|count|sum)|tcp_.*)" }],
        }],
      },
    }, origin),
    document(`${ns.name}/networkpolicy-allow-prometheus-envoy.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata("allow-prometheus-envoy", ns.name, labels(model, "allow-prometheus-envoy", "network-policy")),
      spec: { podSelector: ambient ? proxies : {}, policyTypes: ["Ingress"], ingress: [{ from: fromPrometheus(m), ports: [{ protocol: "TCP", port: ENVOY_METRICS.number }] }] },
    }, origin),
  ];
}
