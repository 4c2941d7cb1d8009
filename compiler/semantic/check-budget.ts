import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { estimateCost } from "../model/cost/estimate.js";
import type { PlatformModel } from "../model/platform-model.js";
import { checkCloudBudgets } from "./check-cloud-budgets.js";

const usd = (n: number): string => `${Math.round(n).toLocaleString("en-US")} USD`;

/**
 * FIN4092 (a warning): a `budget` the estimate of `finc cost` passes at the autoscalers'
 * maximum in this environment — the spec allows spending more than it budgets. Per namespace
 * and for the platform; once per environment that passes it.
 */
export function checkBudgets(model: PlatformModel, report: (d: Diagnostic) => void): void {
  checkCloudBudgets(model, report); // what the cloud's budget needs (FIN4097)
  const hasBudget = model.platform.budget || model.namespaces.some((n) => n.budget);
  if (!hasBudget) return;
  const cost = estimateCost(model);
  if (!cost) return;
  const exceeds = (what: string, budget: { amount: number; origin: Diagnostic["range"] }, max: number, min: number): void => {
    if (max <= budget.amount) return;
    report(
      diag("FIN4092", budget.origin, {
        message: `${what} may cost up to ${usd(max)} a month in ${model.environment} (${usd(min)} at the minimum replicas), more than its budget of ${usd(budget.amount)}.`,
        hint: `Lower the maximum replicas or the requests in ${model.environment}, or raise the budget; \`finc cost\` lists what costs what.`,
      }),
    );
  };
  for (const ns of cost.namespaces) {
    const budget = model.namespaces.find((n) => n.name === ns.namespace)?.budget;
    if (budget) exceeds(`Namespace '${ns.namespace}'`, budget, ns.monthly.max, ns.monthly.min);
  }
  if (model.platform.budget) exceeds(`The platform`, model.platform.budget, cost.monthly.max, cost.monthly.min);
}
