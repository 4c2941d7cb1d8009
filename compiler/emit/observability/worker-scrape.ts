import type { MonitoringModel } from "../../model/observability-model.js";
import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { servesTraffic } from "../../model/workload-kind.js";
import { labels, metadata, selector } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { monitoringLabels } from "./scrape.js";

const sidecars = (model: PlatformModel): boolean => model.platform.mesh === "istio" && model.platform.meshMode !== "ambient";

/**
 * A worker has no Service, so its `metrics` port is scraped through a PodMonitor. A PodMonitor's
 * TLS settings take only Secrets, never the files Istio's Prometheus setup writes
 * (/etc/prom-certs), so under sidecars the scrape cannot be mTLS: the metrics port is left out
 * of the sidecar's inbound capture (`traffic.sidecar.istio.io/excludeInboundPorts`) and the
 * NetworkPolicy admits the Prometheus pods alone, to that port alone. The app's metrics travel
 * in plain HTTP inside the cluster; its calls and every other port stay in the mesh.
 */
export function workerMetricsAnnotations(model: PlatformModel, s: ServiceModel): Record<string, string> {
  const port = s.ports.find((p) => p.name === "metrics")?.port;
  return !servesTraffic(s) && port !== undefined && model.platform.monitoring && sidecars(model) ? { "traffic.sidecar.istio.io/excludeInboundPorts": String(port) } : {};
}

export function workerScrapeDocuments(model: PlatformModel, m: MonitoringModel, s: ServiceModel, port: number, fromPrometheus: Record<string, unknown>[]): EmittedDocument[] {
  const f = model.platform.fields;
  const name = `${s.name}-metrics`;
  return [
    document(`${s.namespace}/podmonitor-${s.name}.yaml`, {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: metadata(s.name, s.namespace, monitoringLabels(model, m, s.name, "monitoring")),
      spec: {
        selector: { matchLabels: selector(s.name) },
        podMetricsEndpoints: [{ port: "metrics", path: "/metrics", interval: `${m.intervalSeconds}s`, scrapeTimeout: `${Math.min(10, m.intervalSeconds)}s` }],
      },
    }, s.fields["metrics"] ?? s.origin, { "/spec/podMetricsEndpoints/0/port": s.fields["metrics"], "/spec/podMetricsEndpoints/0/interval": f["monitoring"] }),
    document(`${s.namespace}/networkpolicy-${name}.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata(name, s.namespace, labels(model, s.name, "network-policy")),
      spec: { podSelector: { matchLabels: selector(s.name) }, policyTypes: ["Ingress"], ingress: [{ from: fromPrometheus, ports: [{ protocol: "TCP", port }] }] },
    }, s.fields["metrics"] ?? s.origin, { "/spec/ingress/0/from": f["monitoring"] }),
  ];
}
