import type { SourceRange } from "../../diagnostics/diagnostic.js";
import type { FieldValues } from "../../semantic/read-fields.js";
import type { BudgetRead } from "../../semantic/schema/budget-field.js";

/** `budget 4000 USD/month alert 80% 100% notify "…"` (mission area 15). */
export interface BudgetModel {
  /** USD per month. */
  readonly amount: number;
  /** Percent of the amount at which to alert, ascending. */
  readonly alerts: readonly number[];
  readonly notify?: string;
  readonly origin: SourceRange;
}

export interface NamespaceBudget {
  readonly budget?: BudgetModel;
}

export interface PlatformBudget {
  readonly budget?: BudgetModel;
}

export function lowerBudget(v: FieldValues): { budget?: BudgetModel } {
  const b = v.get<BudgetRead>("budget");
  return b ? { budget: { amount: b.amount, alerts: b.alerts, ...(b.notify ? { notify: b.notify } : {}), origin: b.range } } : {};
}
