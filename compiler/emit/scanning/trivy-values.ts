import type { PlatformModel } from "../../model/platform-model.js";
import type { ScanSeverity } from "../../semantic/schema/scanning-field.js";
import type { JsonValue } from "../shared/yaml.js";
import { platformNamespaces } from "./namespaces.js";

/** Trivy's severity names, lowest first. */
const LEVELS = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;

/** `high` → "HIGH,CRITICAL": the threshold and every level above it. */
export function severitiesFrom(threshold: ScanSeverity): string {
  return LEVELS.slice(LEVELS.indexOf(threshold.toUpperCase() as (typeof LEVELS)[number])).join(",");
}

/**
 * Values of the aquasecurity/trivy-operator chart (keys of its values.yaml / values.schema.json)
 * for one environment: vulnerability scans of the platform's namespaces only, reporting the
 * threshold and above, unfixed vulnerabilities included (a critical CVE without a fix is still
 * one to mitigate), and its metrics scraped by the platform's Prometheus (the release label its
 * ServiceMonitor selector matches) when there is one. The configuration, RBAC and infra scanners
 * are off: admission policies and finc's checks hold those; the operator's job here is CVEs.
 */
export function trivyOperatorValues(model: PlatformModel): JsonValue {
  const scanning = model.platform.scanning!;
  const monitoring = model.platform.monitoring;
  return {
    targetNamespaces: platformNamespaces(model).join(","),
    operator: {
      vulnerabilityScannerEnabled: true,
      vulnerabilityScannerScanOnlyCurrentRevisions: true,
      configAuditScannerEnabled: false,
      rbacAssessmentScannerEnabled: false,
      infraAssessmentScannerEnabled: false,
      clusterComplianceEnabled: false,
      exposedSecretScannerEnabled: true,
      metricsFindingsEnabled: true,
    },
    trivy: { severity: severitiesFrom(scanning.severity), ignoreUnfixed: false },
    // The chart's ServiceMonitor is the Prometheus Operator's kind: a managed Prometheus scrapes the operator through cloud-monitoring's own monitor.
    serviceMonitor: monitoring?.provider === "prometheus" ? { enabled: true, labels: { release: monitoring.release } } : { enabled: false },
  };
}
