import { azureReady } from "../../model/cloud-azure.js";
import { resourcePrefix } from "../../model/cloud-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { ref, type TfValue } from "./json.js";
import { TfBlocks } from "./module-blocks.js";

/**
 * The platform's `budget … USD/month` on `cloud azure` as a Cost Management budget of the
 * subscription (`account`), `budgets.tf.json`, filtered to the environment's resource groups:
 * `resource-group` and, with `cluster`, the AKS cluster's node resource group (its VMs and disks).
 * Each `alert` threshold notifies `notify` when the actual spend passes it and when the forecast
 * does. A namespace's `budget` has no Azure counterpart: AKS cost analysis splits the cluster's
 * cost by namespace only in its own views, no budget filter (dimension or tag) reaches it, so it
 * is enforced by the observability target's OpenCost alert alone (FIN4097 says so).
 */
export function azureBudgetFiles(model: PlatformModel): Record<string, TfValue> | undefined {
  const p = model.platform;
  const b = p.budget;
  if (p.cloud !== "azure" || !b || !azureReady(model)) return undefined;
  const blocks = new TfBlocks();
  // Azure requires a recipient: without `notify`, the subscription's owners.
  const recipients: Record<string, string[]> = b.notify ? { contact_emails: [b.notify] } : { contact_roles: ["Owner"] };
  const groups: TfValue[] = [p.resourceGroup!, ...(p.cluster ? [ref("data.azurerm_kubernetes_cluster.this.node_resource_group")] : [])];
  blocks.addResource("azurerm_consumption_budget_subscription", "platform", {
    name: resourcePrefix(model).replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 63),
    subscription_id: `/subscriptions/${p.account!}`,
    amount: b.amount,
    time_grain: "Monthly",
    // A budget starts on the first of a month: the month it is created in (kept afterwards, see ignore_changes).
    time_period: [{ start_date: ref("formatdate(\"YYYY-MM-01'T'00:00:00Z\", plantimestamp())") }],
    filter: [{ dimension: [{ name: "ResourceGroupName", operator: "In", values: groups }] }],
    notification: b.alerts.flatMap((threshold) => (["Actual", "Forecasted"] as const).map((type) => ({ enabled: true, operator: "GreaterThan", threshold, threshold_type: type, ...recipients }))),
    lifecycle: [{ ignore_changes: ["time_period"] }],
  });
  return blocks.file();
}
