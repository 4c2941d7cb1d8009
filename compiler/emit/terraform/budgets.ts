import { resourcePrefix } from "../../model/cloud-model.js";
import type { BudgetModel } from "../../model/cost/budget.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { tfName, type TfValue } from "./json.js";

type Body = { [key: string]: TfValue };

/**
 * `budget … USD/month` as AWS Budgets (mission area 15): one monthly cost budget per namespace
 * with a budget, filtered by the namespace's EKS split-cost-allocation tag (`aws:eks:namespace`;
 * split cost allocation data must be enabled in the billing console), and one for the platform
 * (the cluster's `aws:eks:cluster-name`, else the whole account). Each `alert` threshold
 * notifies `notify` twice: when the month's forecast passes it, and when actual spend does.
 */
export function awsBudgets(model: PlatformModel): { resource: { aws_budgets_budget: Record<string, Body> } } | undefined {
  const budgets: Record<string, Body> = {};
  const prefix = resourcePrefix(model);
  for (const ns of model.namespaces) {
    if (ns.budget) budgets[tfName("namespace", ns.name)] = budget(`${prefix}-${ns.name}`, ns.budget, [{ name: "TagKeyValue", values: [`aws:eks:namespace$${ns.name}`] }]);
  }
  const p = model.platform;
  if (p.budget) budgets["platform"] = budget(prefix, p.budget, p.cluster ? [{ name: "TagKeyValue", values: [`aws:eks:cluster-name$${p.cluster}`] }] : []);
  return Object.keys(budgets).length ? { resource: { aws_budgets_budget: budgets } } : undefined;
}

function budget(name: string, b: BudgetModel, filters: Body[]): Body {
  const notification = b.notify
    ? b.alerts.flatMap((threshold) =>
        (["FORECASTED", "ACTUAL"] as const).map((type) => ({
          comparison_operator: "GREATER_THAN",
          threshold,
          threshold_type: "PERCENTAGE",
          notification_type: type,
          subscriber_email_addresses: [b.notify!],
        })),
      )
    : [];
  return {
    name,
    budget_type: "COST",
    limit_amount: String(b.amount),
    limit_unit: "USD",
    time_unit: "MONTHLY",
    ...(filters.length ? { cost_filter: filters } : {}),
    ...(notification.length ? { notification } : {}),
  };
}
