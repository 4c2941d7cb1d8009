import type { PlatformModel } from "../../model/platform-model.js";
import type { EmittedDocument } from "../output.js";
import { ampDocuments } from "./aws.js";
import { azureMonitorDocuments } from "./azure.js";
import { gmpDocuments } from "./gcp.js";

/**
 * With a cloud's managed Prometheus (`monitoring managed-prometheus|azure-monitor|amazon-managed-prometheus`)
 * the objects every target wrote for the Prometheus Operator are re-expressed in that cloud's kinds,
 * once, over one environment's documents: the builders (observability, drills, scanning, postgres)
 * keep deciding what is scraped and which rules exist, whichever system runs them.
 */
export function withCloudMonitoring(model: PlatformModel, docs: EmittedDocument[]): EmittedDocument[] {
  const m = model.platform.monitoring;
  if (!m || m.provider === "prometheus") return docs;
  if (m.provider === "managed-prometheus") return gmpDocuments(model, m, docs);
  if (m.provider === "azure-monitor") return azureMonitorDocuments(model, docs);
  return ampDocuments(model, docs);
}
