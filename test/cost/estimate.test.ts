import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFinc } from "../helpers/run-cli.js";
import { estimateCost } from "../../compiler/model/cost/estimate.js";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { validateManifest } from "../helpers/schemas.js";

const spec = (budget = "") => `platform bank {
  cloud        aws
  regions      eu-west-1 primary
  kubernetes   "1.31"
  environments dev, prod
  monitoring   prometheus
}

namespace apps {
  security restricted
${budget}}

service api {
  namespace apps
  image     "r.io/api:1.0.0"
  port      http 8080
  cpu       500m
  memory    1Gi
  replicas  2 to 4 at cpu 70%
}

worker indexer {
  namespace apps
  image     "r.io/indexer:1.0.0"
  cpu       250m
  memory    512Mi
  replicas  3
  spot      yes
}

cronjob report {
  namespace apps
  image     "r.io/report:1.0.0"
  schedule  "0 2 * * *"
}

database ledger {
  namespace   apps
  engine      postgres 16
  storage     20Gi fast
  credentials from vault "db/ledger"
}

secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
`;

// AWS eu-west-1, by hand from the published list prices: Fargate 0.04456 USD per vCPU-hour and
// 0.004865 per GiB-hour, EBS io2-class ("fast") 0.138 per GiB-month, spot 70% off, 730 hours.
const API_REPLICA = (0.5 * 0.04456 + 1 * 0.004865) * 730; // 19.81585
const INDEXER = 3 * (0.25 * 0.04456 + 0.5 * 0.004865) * 730 * 0.3; // 3 replicas: 8.9171325
const LEDGER = (0.5 * 0.04456 + 1 * 0.004865) * 730 + 20 * 0.138; // the default database requests (500m, 1Gi) + 20 GiB

describe("finc cost: requests × replicas × list prices", () => {
  it("prices each workload at the minimum and maximum replicas, spot at the discount, jobs at zero, databases with their volumes", () => {
    const program = compileSources({ "main.fin": spec() });
    expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const cost = estimateCost(program.checked.models.get("prod")!)!;
    expect(cost.region).toBe("eu-west-1");
    const line = (name: string) => cost.lines.find((l) => l.name === name)!;
    expect(line("api").replicas).toEqual({ min: 2, max: 4 });
    expect(line("api").monthly.min).toBeCloseTo(2 * API_REPLICA, 6);
    expect(line("api").monthly.max).toBeCloseTo(4 * API_REPLICA, 6);
    expect(line("indexer").monthly.min).toBeCloseTo(INDEXER, 6);
    expect(line("indexer").note).toBe("spot");
    expect(line("report").monthly).toEqual({ min: 0, max: 0 });
    expect(line("ledger").monthly.max).toBeCloseTo(LEDGER, 6);
    expect(cost.namespaces).toHaveLength(1);
    expect(cost.monthly.min).toBeCloseTo(2 * API_REPLICA + INDEXER + LEDGER, 6);
    expect(cost.monthly.max).toBeCloseTo(4 * API_REPLICA + INDEXER + LEDGER, 6);
  });

  it("warns (FIN4092) when a namespace's maximum passes its budget, not when it fits", () => {
    // Maximum ≈ 110.76 USD a month: a 100 USD budget is passed, a 200 USD one is not.
    expect(diagnosticsOf({ "main.fin": spec("  budget 100 USD/month\n") }).filter((d) => d.code === "FIN4092")).toHaveLength(2);
    expect(diagnosticsOf({ "main.fin": spec("  budget 200 USD/month\n") }).filter((d) => d.code === "FIN4092")).toEqual([]);
  });

  it("reads `budget` strictly: USD per month only", () => {
    expect(diagnosticsOf({ "main.fin": spec("  budget 100 EUR/month\n") }).map((d) => d.code)).toContain("FIN3001");
    expect(diagnosticsOf({ "main.fin": spec("  budget 100 USD/year\n") }).map((d) => d.code)).toContain("FIN3001");
  });

  it("alerts on OpenCost's metrics at each threshold, in a PrometheusRule that validates", () => {
    const program = compileSources({ "main.fin": spec('  budget 400 USD/month alert 50% 90% 120% notify "finops@example.com"\n') });
    const out = buildOutputs(program, { environments: ["prod"] });
    const doc = out.documents.get("prod")!.find((d) => d.path === "apps/prometheusrule-apps-budget.yaml")!;
    expect(doc, out.documents.get("prod")!.map((d) => d.path).join(", ")).toBeDefined();
    expect(validateManifest(doc.object)).toEqual([]);
    const rules = (doc.object as { spec: { groups: { rules: { alert: string; expr: string; labels: { severity: string } }[] }[] } }).spec.groups[0]!.rules;
    expect(rules.map((r) => [r.alert, r.labels.severity])).toEqual([["NamespaceBudget50Percent", "warning"], ["NamespaceBudget90Percent", "warning"], ["NamespaceBudget120Percent", "critical"]]);
    expect(rules[0]!.expr).toMatch(/container_cpu_allocation\{namespace="apps"\}.*node_cpu_hourly_cost.*container_memory_allocation_bytes\{namespace="apps"\}.*node_ram_hourly_cost.*\* 730 > 200$/);
  });

  it("creates an AWS budget per namespace, filtered by its EKS namespace tag, notifying at each threshold (forecast and actual)", () => {
    const program = compileSources({ "main.fin": spec('  budget 400 USD/month alert 80% 100% notify "finops@example.com"\n') });
    const file = buildOutputs(program, { environments: ["prod"], targets: ["terraform"] }).files.find((f) => f.path === "terraform/prod/budgets.tf.json");
    const b = (JSON.parse(file!.content) as { resource: { aws_budgets_budget: Record<string, Record<string, unknown>> } }).resource.aws_budgets_budget["namespace__apps"]!;
    expect(b).toMatchObject({ name: "bank-prod-apps", budget_type: "COST", limit_amount: "400", limit_unit: "USD", time_unit: "MONTHLY", cost_filter: [{ name: "TagKeyValue", values: ["aws:eks:namespace$apps"] }] });
    expect((b["notification"] as { threshold: number; notification_type: string }[]).map((n) => `${n.threshold} ${n.notification_type}`)).toEqual(["80 FORECASTED", "80 ACTUAL", "100 FORECASTED", "100 ACTUAL"]);
  });
});

describe("finc cost on the command line", () => {
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), "finc-cost-"));
    writeFileSync(join(d, "main.fin"), spec("  budget 100 USD/month\n"));
    return d;
  };
  const cli = (cwd: string, ...args: string[]) => runFinc(args, cwd);

  it("prints each environment's table with the namespace total against its budget", async () => {
    const r = await cli(dir(), "cost", ".", "--env", "prod");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^prod on aws eu-west-1, USD per month/);
    expect(r.out).toMatch(/apps +api +service +2–4 +39\.63 +79\.26/);
    expect(r.out).toMatch(/apps +\(namespace\) .*budget 100\.00: over at the maximum/);
  });

  it("--format json carries the same figures; markdown is a table for a pull request; --prices replaces the table", async () => {
    const d = dir();
    const json = JSON.parse((await cli(d, "cost", ".", "--env", "prod", "--format", "json")).out) as { environments: { monthly: { max: number } }[] };
    expect(json.environments[0]!.monthly.max).toBeCloseTo(4 * API_REPLICA + INDEXER + LEDGER, 6);
    expect((await cli(d, "cost", ".", "--env", "dev", "--format", "markdown")).out).toMatch(/^### dev on aws eu-west-1.*\n\n\| namespace \| workload \|/);
    writeFileSync(join(d, "prices.json"), JSON.stringify({ currency: "USD", source: "negotiated", clouds: { aws: { default: "eu-west-1", regions: { "eu-west-1": { cpuHour: 1, gibHour: 0, storageGibMonth: { standard: 0, fast: 0 }, spotDiscount: 0 } } } } }));
    const custom = JSON.parse((await cli(d, "cost", ".", "--env", "prod", "--format", "json", "--prices", "prices.json")).out) as { environments: { lines: { name: string; monthly: { max: number } }[] }[] };
    expect(custom.environments[0]!.lines.find((l) => l.name === "api")!.monthly.max).toBeCloseTo(4 * 0.5 * 730, 6);
    expect((await cli(d, "cost", ".", "--env", "qa")).code).toBe(2);
  });
});
