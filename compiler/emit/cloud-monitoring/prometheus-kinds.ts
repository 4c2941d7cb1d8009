import type { EmittedDocument, Manifest } from "../output.js";

/**
 * The Prometheus Operator objects finc's observability builders write (ServiceMonitor,
 * PodMonitor, PrometheusRule, AlertmanagerConfig, and the alerting receivers' ExternalSecrets):
 * the shapes a cloud's managed Prometheus re-expresses in its own kinds. The builders stay the
 * one place that decides what is scraped and which rules exist; these readers only unwrap them.
 */
export const OPERATOR_GROUP = "monitoring.coreos.com";

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Record<string, unknown>[];
}

export type Obj = Record<string, unknown>;

export const kindOf = (d: EmittedDocument): string => String(d.object["kind"] ?? "");
export const groupOf = (d: EmittedDocument): string => String(d.object["apiVersion"] ?? "").split("/")[0] ?? "";
export const isOperatorKind = (d: EmittedDocument, kind: string): boolean => groupOf(d) === OPERATOR_GROUP && kindOf(d) === kind;
export const specOf = (d: EmittedDocument): Obj => (d.object["spec"] ?? {}) as Obj;
export const metadataOf = (d: EmittedDocument): Obj => (d.object["metadata"] ?? {}) as Obj;
export const namespaceOf = (d: EmittedDocument): string => String(metadataOf(d)["namespace"] ?? "");
export const nameOf = (d: EmittedDocument): string => String(metadataOf(d)["name"] ?? "");

/** A PrometheusRule's groups, as written (same names, intervals, expressions). */
export function ruleGroupsOf(d: EmittedDocument): RuleGroup[] {
  return ((specOf(d)["groups"] ?? []) as RuleGroup[]).map((g) => ({ name: g.name, ...(g.interval ? { interval: g.interval } : {}), rules: g.rules }));
}

/** The alerting receivers' ExternalSecrets (emit/observability/alerting.ts): the operator's AlertmanagerConfig reads them. */
export function isAlertingSecret(d: EmittedDocument): boolean {
  const labels = (metadataOf(d)["labels"] ?? {}) as Record<string, string>;
  return kindOf(d) === "ExternalSecret" && labels["app.kubernetes.io/component"] === "alerting";
}

/** Replaces the object of a document, keeping where it came from. */
export function withObject(d: EmittedDocument, path: string, object: Manifest): EmittedDocument {
  return { ...d, path, object };
}
