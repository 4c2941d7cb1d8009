import { describe, expect, it } from "vitest";
import { installAssumptionsFor } from "../../compiler/model/install-assumptions.js";
import { compileSources, diagnosticsOf, itReportsEach } from "../helpers/compile.js";
import { module, terraformFiles, type Json } from "../terraform/support.js";

type Obj = Record<string, any>;

const gcp = (platform: string, extra = "") => `platform wallet {
  cloud        gcp
  regions      europe-west1 primary
  environments prod
  account      "example-wallet"
  cluster      "wallet-prod"
${platform}}
namespace wallet {
  budget 1200 USD/month alert 50% 90% 120% notify "wallet-team@example.com"
}
namespace risk {}
${extra}`;

const azure = (platform: string, extra = "") => `platform savings {
  cloud          azure
  regions        westeurope primary
  environments   prod
  account        "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
  tenant         "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
  resource-group "savings-prod"
  cluster        "savings-prod"
${platform}}
namespace savings {}
${extra}`;

function tf(spec: string): ReturnType<typeof module> {
  const program = compileSources({ "main.fin": spec });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return module(terraformFiles(program), "prod");
}
const res = (m: ReturnType<typeof module>, type: string): Record<string, Obj> => (m.resource[type] ?? {}) as Record<string, Obj>;

describe("Cloud Billing budgets (cloud gcp)", () => {
  const m = tf(gcp('  billing-account "01A2B3-C4D5E6-F7A8B9"\n  budget 5000 USD/month notify "finops@example.com"\n'));
  const budgets = res(m, "google_billing_budget");

  it("a namespace's budget: on the billing account, filtered to the project and to the namespace's GKE cost allocation label, each threshold on actual and forecast spend", () => {
    expect(budgets["namespace__wallet"]).toEqual({
      billing_account: "01A2B3-C4D5E6-F7A8B9",
      display_name: "wallet-prod-wallet",
      budget_filter: [{ projects: ["projects/${data.google_project.this.number}"], labels: { "k8s-namespace": "wallet" }, calendar_period: "MONTH", credit_types_treatment: "INCLUDE_ALL_CREDITS" }],
      amount: [{ specified_amount: [{ currency_code: "USD", units: "1200" }] }],
      threshold_rules: [
        { threshold_percent: 0.5, spend_basis: "CURRENT_SPEND" }, { threshold_percent: 0.5, spend_basis: "FORECASTED_SPEND" },
        { threshold_percent: 0.9, spend_basis: "CURRENT_SPEND" }, { threshold_percent: 0.9, spend_basis: "FORECASTED_SPEND" },
        { threshold_percent: 1.2, spend_basis: "CURRENT_SPEND" }, { threshold_percent: 1.2, spend_basis: "FORECASTED_SPEND" },
      ],
      all_updates_rule: [{ monitoring_notification_channels: ["${google_monitoring_notification_channel.notify__wallet-team_example_com.id}"], disable_default_iam_recipients: true }],
      // The label exists only where the cluster runs GKE cost allocation.
      lifecycle: [{ precondition: [{ condition: "${length(data.google_container_cluster.this.cost_management_config) > 0 && data.google_container_cluster.this.cost_management_config[0].enabled}", error_message: expect.stringContaining("cost allocation") }] }],
    });
  });

  it("the platform's budget: the cluster's resources (goog-k8s-cluster-name) in the project, default thresholds 80% and 100%", () => {
    const b = budgets["platform"]!;
    expect(b["budget_filter"][0].labels).toEqual({ "goog-k8s-cluster-name": "wallet-prod" });
    expect(b["threshold_rules"].map((r: Obj) => `${r["threshold_percent"]} ${r["spend_basis"]}`)).toEqual(["0.8 CURRENT_SPEND", "0.8 FORECASTED_SPEND", "1 CURRENT_SPEND", "1 FORECASTED_SPEND"]);
    expect(b["lifecycle"]).toBeUndefined();
    expect(Object.keys(budgets).sort()).toEqual(["namespace__wallet", "platform"]); // no budget for risk
  });

  it("`notify` is an e-mail notification channel, one per address", () => {
    const channels = res(m, "google_monitoring_notification_channel");
    expect(Object.values(channels).map((c) => [c["type"], c["labels"].email_address, c["project"]]).sort()).toEqual([["email", "finops@example.com", "example-wallet"], ["email", "wallet-team@example.com", "example-wallet"]]);
  });

  it("finc build names GKE cost allocation as a cluster requirement where a namespace has a budget, not otherwise", () => {
    const rows = (spec: string) => installAssumptionsFor([compileSources({ "main.fin": spec }).checked.models.get("prod")!]).filter((r) => r.startsWith("GKE cost allocation"));
    expect(rows(gcp('  billing-account "01A2B3-C4D5E6-F7A8B9"\n'))).toEqual([expect.stringContaining("k8s-namespace")]);
    expect(rows(gcp('  billing-account "01A2B3-C4D5E6-F7A8B9"\n').replace(/  budget .*\n/, ""))).toEqual([]);
  });

  it("no budget, no budgets file", () => {
    const files = terraformFiles(compileSources({ "main.fin": gcp('  billing-account "01A2B3-C4D5E6-F7A8B9"\n').replace(/  budget .*\n/, "") }));
    expect([...files.keys()].filter((f) => f.endsWith("budgets.tf.json"))).toEqual([]);
  });
});

describe("Cost Management budgets (cloud azure)", () => {
  it("the platform's budget: a subscription budget of the resource group and the AKS node resource group, Actual and Forecasted per threshold", () => {
    const m = tf(azure('  budget 8000 USD/month alert 75% 100% notify "finops@example.com"\n'));
    const b = res(m, "azurerm_consumption_budget_subscription")["platform"]!;
    expect(b).toEqual({
      name: "savings-prod",
      subscription_id: "/subscriptions/6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f",
      amount: 8000,
      time_grain: "Monthly",
      time_period: [{ start_date: "${formatdate(\"YYYY-MM-01'T'00:00:00Z\", plantimestamp())}" }],
      filter: [{ dimension: [{ name: "ResourceGroupName", operator: "In", values: ["savings-prod", "${data.azurerm_kubernetes_cluster.this.node_resource_group}"] }] }],
      notification: [
        { enabled: true, operator: "GreaterThan", threshold: 75, threshold_type: "Actual", contact_emails: ["finops@example.com"] },
        { enabled: true, operator: "GreaterThan", threshold: 75, threshold_type: "Forecasted", contact_emails: ["finops@example.com"] },
        { enabled: true, operator: "GreaterThan", threshold: 100, threshold_type: "Actual", contact_emails: ["finops@example.com"] },
        { enabled: true, operator: "GreaterThan", threshold: 100, threshold_type: "Forecasted", contact_emails: ["finops@example.com"] },
      ],
      // The start date is the month of creation; later plans keep it.
      lifecycle: [{ ignore_changes: ["time_period"] }],
    });
  });

  it("without `notify` the subscription's owners are told (Azure needs a recipient)", () => {
    const b = res(tf(azure("  budget 8000 USD/month\n")), "azurerm_consumption_budget_subscription")["platform"]!;
    expect(b["notification"].map((n: Obj) => n["contact_roles"])).toEqual([["Owner"], ["Owner"], ["Owner"], ["Owner"]]);
  });

  it("a namespace budget makes no Azure budget (AKS cost analysis exposes no namespace to budget filters)", () => {
    const m = tf(azure("", "namespace extra {\n  budget 300 USD/month\n}\n"));
    expect(m.resource["azurerm_consumption_budget_subscription"]).toBeUndefined();
  });
});

describe("budget diagnostics", () => {
  itReportsEach([
    { name: "gcp: a budget without billing-account", spec: gcp(""), code: "FIN4097", covers: '1200 USD/month alert 50% 90% 120% notify "wallet-team@example.com"', line: 9 },
    { name: "azure: a namespace budget has no Azure budget (warning)", spec: azure("", "namespace extra {\n  budget 300 USD/month\n}\n"), code: "FIN4097", covers: "300 USD/month", line: 12 },
    { name: "azure: a platform budget without resource-group", spec: azure("  budget 8000 USD/month\n").replace('  resource-group "savings-prod"\n', ""), code: "FIN4097", covers: "8000 USD/month", line: 8 },
    { name: "billing-account off gcp (warning)", spec: azure('  billing-account "01A2B3-C4D5E6-F7A8B9"\n'), code: "FIN4097", covers: 'billing-account "01A2B3-C4D5E6-F7A8B9"', line: 9 },
  ]);

  it("billing-account must be a Cloud Billing account ID", () => {
    const found = diagnosticsOf({ "main.fin": gcp('  billing-account "my-billing"\n') });
    expect(found.find((d) => d.text === '"my-billing"')).toBeDefined();
    expect(found.map((d) => d.code)).toContain("FIN4097"); // and the budget still has none
  });

  it("severities: the missing billing account is an error, the namespace budget on azure a warning", () => {
    const sev = (spec: string) => compileSources({ "main.fin": spec }).diagnostics.filter((d) => d.code === "FIN4097").map((d) => d.severity);
    expect(sev(gcp(""))).toEqual(["error"]);
    expect(sev(azure("", "namespace extra {\n  budget 300 USD/month\n}\n"))).toEqual(["warning"]);
    expect(sev(gcp('  billing-account "01A2B3-C4D5E6-F7A8B9"\n'))).toEqual([]);
  });
});
