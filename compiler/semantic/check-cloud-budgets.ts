import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { azureReady } from "../model/cloud-azure.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * FIN4097: what the cloud needs for the terraform target's budgets. On gcp a budget lives on a
 * Cloud Billing account (`billing-account`) and is filtered to the project (`account`); on azure a
 * subscription budget needs `account` and `resource-group`, and a namespace's budget has no
 * Azure counterpart (a warning: only the OpenCost alert enforces it). `billing-account` off gcp
 * is ignored (a warning).
 */
export function checkCloudBudgets(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  const budgets = [...(p.budget ? [{ what: "the platform", budget: p.budget }] : []), ...model.namespaces.flatMap((n) => (n.budget ? [{ what: `namespace '${n.name}'`, budget: n.budget }] : []))];
  const billingAt = p.fields["billing-account"];
  if (p.cloud !== "gcp" && billingAt)
    report(diag("FIN4097", billingAt, { message: `\`billing-account\` names a Cloud Billing account, which only \`cloud gcp\` has: it is ignored on ${p.cloud}.`, hint: "Remove `billing-account`." }, { severity: "warning" }));
  if (p.cloud === "gcp") {
    for (const b of budgets) {
      if (!p.billingAccount)
        report(diag("FIN4097", b.budget.origin, {
          message: `The budget of ${b.what} is a Cloud Billing budget on gcp, which lives on the billing account the project is billed to, and the platform names none.`,
          hint: 'Name it on the platform: `billing-account "01A2B3-C4D5E6-F7A8B9"` (`gcloud billing accounts list` prints it).',
        }));
      else if (!p.account)
        report(diag("FIN4097", b.budget.origin, { message: `The budget of ${b.what} is filtered to the environment's GCP project, and the platform names none.`, hint: 'Name the project: `account "<project id>"`.' }));
    }
  }
  if (p.cloud === "azure") {
    if (p.budget && !azureReady(model))
      report(diag("FIN4097", p.budget.origin, { message: "The platform's budget is an Azure Cost Management budget of the subscription, filtered to the environment's resource groups: the platform names no `account` (subscription) or `resource-group`.", hint: 'Name both: `account "<subscription id>"` and `resource-group "<name>"`.' }));
    for (const n of model.namespaces) {
      if (!n.budget) continue;
      report(diag("FIN4097", n.budget.origin, {
        message: `Azure has no budget for namespace '${n.name}': AKS cost analysis shows a namespace's cost only in its own views, and no Cost Management budget filter (dimension or tag) reaches it, so only the OpenCost alert (with \`monitoring prometheus\`) enforces this budget.`,
        hint: "Declare a `budget` on the platform too: the terraform target creates a Cost Management budget for the environment's resource groups (the cluster's nodes included).",
      }, { severity: "warning" }));
    }
  }
}
