import { resourcePrefix } from "../../model/cloud-model.js";
import type { BudgetModel } from "../../model/cost/budget.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { ref, tf, tfName, type TfValue } from "./json.js";
import { TfBlocks } from "./module-blocks.js";

type Body = Record<string, TfValue>;

/** The label GKE cost allocation puts on a namespace's share of the cluster's cost in Cloud Billing. */
export const GKE_NAMESPACE_LABEL = "k8s-namespace";
/** The label GKE puts on the cluster's resources (its nodes' VMs and disks). */
export const GKE_CLUSTER_LABEL = "goog-k8s-cluster-name";

/**
 * `budget … USD/month` on `cloud gcp` as Cloud Billing budgets (`budgets.tf.json`) on the
 * platform's `billing-account`, each filtered to the project (`account`): a namespace's by the
 * `k8s-namespace` label of GKE cost allocation (the cluster must run cost allocation, a
 * precondition checks it), the platform's by the cluster's `goog-k8s-cluster-name` label (else
 * the whole project). Each `alert` threshold is a rule on the actual spend and one on the
 * forecast; `notify` is an e-mail notification channel every update goes to. Nothing without
 * `billing-account` (FIN4097) or `account`.
 */
export function gcpBudgetFiles(model: PlatformModel): Record<string, TfValue> | undefined {
  const p = model.platform;
  if (p.cloud !== "gcp" || !p.account || !p.billingAccount) return undefined;
  const wanted = [...model.namespaces.flatMap((ns) => (ns.budget ? [{ id: tfName("namespace", ns.name), name: `${resourcePrefix(model)}-${ns.name}`, budget: ns.budget, namespace: ns.name }] : [])),
    ...(p.budget ? [{ id: "platform", name: resourcePrefix(model), budget: p.budget, namespace: undefined }] : [])];
  if (!wanted.length) return undefined;
  const blocks = new TfBlocks();
  const channels = new Map<string, string>();
  const channel = (email: string): string => {
    const found = channels.get(email);
    if (found) return found;
    const id = tfName("notify", email);
    blocks.addResource("google_monitoring_notification_channel", id, { project: p.account!, display_name: `finc budgets: ${email}`, type: "email", labels: { email_address: email } });
    channels.set(email, id);
    return id;
  };
  for (const w of wanted) blocks.addResource("google_billing_budget", w.id, budget(model, w.name, w.budget, w.namespace, w.budget.notify ? channel(w.budget.notify) : undefined));
  return blocks.file();
}

function budget(model: PlatformModel, name: string, b: BudgetModel, namespace: string | undefined, channel: string | undefined): Body {
  const p = model.platform;
  const labels: Record<string, string> | undefined = namespace ? { [GKE_NAMESPACE_LABEL]: namespace } : p.cluster ? { [GKE_CLUSTER_LABEL]: p.cluster } : undefined;
  return {
    billing_account: p.billingAccount!,
    display_name: name.slice(0, 60),
    budget_filter: [{
      projects: [tf`projects/${ref("data.google_project.this.number")}`],
      ...(labels ? { labels } : {}),
      calendar_period: "MONTH",
      credit_types_treatment: "INCLUDE_ALL_CREDITS",
    }],
    amount: [{ specified_amount: [{ currency_code: "USD", units: String(b.amount) }] }],
    // Fractions of the amount; each threshold once on the month's actual spend and once on its forecast.
    threshold_rules: b.alerts.flatMap((t) => (["CURRENT_SPEND", "FORECASTED_SPEND"] as const).map((basis) => ({ threshold_percent: t / 100, spend_basis: basis }))),
    ...(channel ? { all_updates_rule: [{ monitoring_notification_channels: [ref(`google_monitoring_notification_channel.${channel}.id`)], disable_default_iam_recipients: true }] } : {}),
    ...(namespace && p.cluster
      ? {
          lifecycle: [{
            precondition: [{
              condition: ref("length(data.google_container_cluster.this.cost_management_config) > 0 && data.google_container_cluster.this.cost_management_config[0].enabled"),
              error_message: `The GKE cluster must run cost allocation (cost_management_config.enabled) for the budget of namespace ${namespace}: its costs carry the ${GKE_NAMESPACE_LABEL} label only then.`,
            }],
          }],
        }
      : {}),
  };
}
