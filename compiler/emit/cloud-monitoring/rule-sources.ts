import type { PlatformModel } from "../../model/platform-model.js";
import { drillsEmitter } from "../drills/index.js";
import { observabilityEmitter } from "../observability/index.js";
import type { EmittedDocument } from "../output.js";
import { vulnerabilityRuleDocuments } from "../scanning/vulnerability-rules.js";
import { isOperatorKind, nameOf, namespaceOf, ruleGroupsOf, type RuleGroup } from "./prometheus-kinds.js";

/** One PrometheusRule's groups, with where it would have lived. */
export interface RuleSource {
  readonly namespace: string;
  readonly name: string;
  readonly groups: readonly RuleGroup[];
  readonly document: EmittedDocument;
}

/**
 * Every PrometheusRule finc's builders write for the environment (SLOs, job alerts, budgets,
 * drills, image vulnerabilities), for the clouds whose rules live outside the cluster (Azure
 * Monitor's rule groups, AMP's rule group namespaces): the same groups and expressions as the
 * in-cluster rules, from the same builders.
 */
export function operatorRules(model: PlatformModel): RuleSource[] {
  const docs = [...observabilityEmitter.emit(model).documents, ...drillsEmitter.emit(model).documents, ...vulnerabilityRuleDocuments(model)];
  return docs
    .filter((d) => isOperatorKind(d, "PrometheusRule"))
    .map((d) => ({ namespace: namespaceOf(d), name: nameOf(d), groups: ruleGroupsOf(d), document: d }))
    .sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
}

/** Prometheus durations (`5m`, `1h`, `30s`) as ISO 8601 (`PT5M`), which Azure Monitor's rule groups take. */
export function isoDuration(d: string): string {
  const m = /^(\d+)(s|m|h|d)$/.exec(d);
  if (!m) return d;
  const n = Number(m[1]);
  const unit = m[2]!;
  return unit === "d" ? `P${n}D` : `PT${n}${unit.toUpperCase()}`;
}
