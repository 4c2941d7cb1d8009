import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { single } from "../readers.js";
import { field } from "./field-spec.js";
import type { ValueRange } from "./value-ranges.js";

/** What `budget 4000 USD/month [alert 80% 100%] [notify "<email>"]` reads (model: BudgetModel). */
export interface BudgetRead {
  readonly amount: number;
  /** Alert thresholds in percent of the amount, ascending. */
  readonly alerts: readonly number[];
  readonly notify?: string;
  readonly range: SourceRange;
}

const AMOUNT: ValueRange = { kind: "count", what: "A monthly budget", target: "the budget's limit in USD per month (aws_budgets_budget limit_amount, the alert's threshold)", min: 1, max: 1_000_000_000, step: 1, example: "4000 USD/month" };
const THRESHOLD: ValueRange = { kind: "percent", what: "A budget alert threshold", target: "percent of the budget (a forecast may pass 100%)", min: 1, max: 1000, step: 1 };
const DEFAULT_ALERTS = [80, 100] as const;

export const budgetField = field({
  doc:
    "A monthly cost budget in USD (mission area 15): on a `namespace` for its workloads and databases, on the `platform` for the whole environment. `finc cost` compares the estimate with it and the checker warns when the autoscalers' maximum would pass it (FIN4092); " +
    "the `observability` target alerts (a PrometheusRule on OpenCost's allocation and node price metrics) when the namespace's projected monthly cost passes each `alert` threshold (default 80% and 100%); the `terraform` target creates the cloud's budget with a notification to `notify` at each threshold: AWS Budgets (filtered by the namespace's cost allocation tag), a Cloud Billing budget on gcp (on `billing-account`, filtered by GKE cost allocation's `k8s-namespace` label), an Azure Cost Management budget for the platform's (a namespace's has none on azure: FIN4097).",
  syntax: '<amount> USD/month [alert <percent> …] [notify "<email>"]',
  example: '4000 USD/month alert 80% 100% notify "finops@example.com"',
  numbers: [AMOUNT, THRESHOLD],
  keywords: { "#": ["USD", "alert", "notify"] },
  read: (ctx) =>
    single(ctx, (r): BudgetRead | undefined => {
      const start = r.peek();
      const amount = r.count(AMOUNT);
      if (amount === undefined) return undefined;
      const currency = r.peek();
      if (!r.accept("USD")) return r.mismatch("'USD/month' (budgets are in US dollars per month, like the price table of finc cost)", currency);
      const period = r.next();
      if (period?.kind !== "Path" || period.value !== "/month") return r.mismatch("'/month' right after USD", period);
      const alerts: number[] = [];
      let notify: string | undefined;
      for (;;) {
        if (r.accept("alert")) {
          do {
            const p = r.percent(THRESHOLD);
            if (p === undefined) return undefined;
            alerts.push(p);
          } while (r.peek()?.kind === "Number");
        } else if (r.accept("notify")) {
          const s = r.string("the e-mail address the cloud budget notifies");
          if (!s) return undefined;
          notify = s.value;
        } else break;
      }
      const sorted = [...new Set(alerts.length ? alerts : DEFAULT_ALERTS)].sort((a, b) => a - b);
      return { amount, alerts: sorted, ...(notify ? { notify } : {}), range: { file: ctx.file, start: start!.start, end: ctx.member.end } };
    }),
});
