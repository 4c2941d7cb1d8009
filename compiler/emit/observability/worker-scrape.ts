import type { MonitoringModel } from "../../model/observability-model.js";
import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { principal } from "../istio/common.js";
import { profilingPortLevelMtls } from "../istio/profiling-authorization.js";
import { labels, metadata, selector } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { metricsAuthorizationPolicy, metricsNetworkPolicy, monitoringLabels } from "./scrape.js";
import { servesTraffic } from "../../model/workload-kind.js";

/** The `service` label of a service's series, from its pods' name label (the Service selects the same). */
export const SERVICE_RELABELING = { sourceLabels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], targetLabel: "service" } as const;

/**
 * A worker has no Service, so its `metrics` port is scraped through a PodMonitor, and the
 * NetworkPolicy admits the Prometheus pods alone, to that port alone.
 *
 * Under sidecars the scrape cannot be mTLS as a ServiceMonitor's is: a PodMonitor's TLS settings
 * take only Secrets, never the files Istio's Prometheus setup writes (/etc/prom-certs). So the
 * worker's PeerAuthentication accepts plain text on the metrics port only (portLevelMtls
 * PERMISSIVE, Istio's documented way for a scraper outside the mesh) and its AuthorizationPolicy
 * allows `GET /metrics` on it — Prometheus has no mesh identity there, so the NetworkPolicy is
 * what names the caller. Every other port of the pod stays STRICT. In ambient mode ztunnel
 * carries the scrape with Prometheus's identity (as for services: enroll the monitoring namespace).
 */
export function workerScrapeDocuments(model: PlatformModel, m: MonitoringModel, s: ServiceModel, port: number, fromPrometheus: Record<string, unknown>[]): EmittedDocument[] {
  const f = model.platform.fields;
  const name = `${s.name}-metrics`;
  const origin = s.fields["metrics"] ?? s.origin;
  const docs = [
    document(`${s.namespace}/podmonitor-${s.name}.yaml`, {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: metadata(s.name, s.namespace, monitoringLabels(model, m, s.name, "monitoring")),
      spec: {
        selector: { matchLabels: selector(s.name) },
        podMetricsEndpoints: [{
          port: "metrics", path: "/metrics", interval: `${m.intervalSeconds}s`, scrapeTimeout: `${Math.min(10, m.intervalSeconds)}s`,
          // A service scraped from its pods (a managed Prometheus): its SLO queries select `service`, which a ServiceMonitor would have set.
          ...(servesTraffic(s) ? { relabelings: [SERVICE_RELABELING] } : {}),
        }],
      },
    }, origin, { "/spec/podMetricsEndpoints/0/port": s.fields["metrics"], "/spec/podMetricsEndpoints/0/interval": f["monitoring"] }),
    metricsNetworkPolicy(model, s, port, fromPrometheus, origin),
  ];
  if (model.platform.mesh !== "istio") return docs;
  const sidecar = model.platform.meshMode !== "ambient";
  if (sidecar)
    docs.push(document(`${s.namespace}/peerauthentication-${name}.yaml`, {
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: metadata(name, s.namespace, labels(model, s.name, "mesh")),
      spec: { selector: { matchLabels: selector(s.name) }, mtls: { mode: "STRICT" }, portLevelMtls: { [String(port)]: { mode: "PERMISSIVE" }, ...profilingPortLevelMtls(model, s) } },
    }, origin));
  docs.push(metricsAuthorizationPolicy(model, s,
    sidecar
      ? { to: [{ operation: { ports: [String(port)], methods: ["GET"], paths: ["/metrics"] } }] }
      : { from: [{ source: { principals: [principal(m.namespace, m.serviceAccount)] } }], to: [{ operation: { ports: [String(port)] } }] },
    origin, { "/spec/rules/0": f["monitoring"] }));
  return docs;
}
