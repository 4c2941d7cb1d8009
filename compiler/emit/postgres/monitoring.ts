import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { isManagedMonitoring } from "../../model/cloud-monitoring.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";

/**
 * The instances' exporter (port `metrics`, 9187), scraped through a PodMonitor of finc's own:
 * the Cluster's `monitoring.enablePodMonitor` is deprecated, and this one carries the `release`
 * label kube-prometheus-stack selects monitors by.
 */
export function podMonitorDocuments(model: PlatformModel, db: DatabaseModel): EmittedDocument[] {
  const m = model.platform.monitoring;
  if (!m) return [];
  return [document(`${db.namespace}/podmonitor-${db.name}.yaml`, {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: metadata(db.name, db.namespace, labels(model, db.name, "monitoring", isManagedMonitoring(m) ? {} : { release: m.release })),
    spec: {
      selector: { matchLabels: { "cnpg.io/cluster": db.name, "cnpg.io/podRole": "instance" } },
      podMetricsEndpoints: [{ port: "metrics", interval: `${m.intervalSeconds}s` }],
    },
  }, model.platform.fields["monitoring"] ?? db.origin)];
}
