import { describe, expect, it } from "vitest";
import { itReportsEach, type CheckCase, compileSources, diagnosticsOf } from "../helpers/compile.js";

/** A platform with Prometheus and the mesh, a Vault store, and a service `api` to attach an `slo` to. */
const MONITORED = `platform p {
  environments dev
  mesh istio sidecar cni
  monitoring prometheus
}
secretstore vault {
  provider vault
  server "https://vault.example.com"
}
namespace apps {}
`;
const api = (fields: string) => `service api {\n  image "r.io/api:1"\n  port http 8080, metrics 9102\n${fields}\n}\n`;

/** Each observability check: the spec, the code, the exact text its range covers and the line it starts on. */
const cases: CheckCase[] = [
  { name: "availability of 100% leaves no error budget", spec: MONITORED + api("  slo availability 100%"), code: "FIN3019", covers: "100%", line: 14 },
  { name: "availability of 0%", spec: MONITORED + api("  slo availability 0%, latency p99 250ms"), code: "FIN3019", covers: "0%", line: 14 },
  { name: "latency percentile below p50", spec: MONITORED + api("  slo latency p40 250ms"), code: "FIN3020", covers: "p40", line: 14 },
  { name: "latency percentile above p99.9", spec: MONITORED + api("  slo availability 99.9%, latency p9999 250ms"), code: "FIN3020", covers: "p9999", line: 14 },
  { name: "latency percentile that is not one", spec: MONITORED + api("  slo latency fast 250ms"), code: "FIN3020", covers: "fast", line: 14 },
  { name: "SLO window other than 7d, 28d or 30d", spec: MONITORED + api("  slo availability 99.9%, window 14d"), code: "FIN3021", covers: "14d", line: 14 },
  { name: "SLO window written after an objective", spec: MONITORED + api("  slo availability 99.9% window 90d"), code: "FIN3021", covers: "90d", line: 14 },
  {
    name: "SLO without monitoring",
    spec: 'platform p {\n  environments dev\n  mesh istio sidecar cni\n}\nnamespace apps {}\n' + api("  slo availability 99.9%"),
    code: "FIN4022", covers: "slo availability 99.9%", line: 9,
  },
  {
    name: "SLO without the mesh on a service without a metrics port",
    spec: 'platform p {\n  environments dev\n  monitoring prometheus\n}\nnamespace apps {}\nservice api {\n  image "r.io/api:1"\n  port http 8080\n  slo availability 99.9%\n}\n',
    code: "FIN4022", covers: "slo availability 99.9%", line: 9,
  },
  {
    name: "alerting without monitoring",
    spec: 'platform p {\n  environments dev\n  alerting slack "#oncall" from vault "monitoring/slack"\n}\nsecretstore vault {\n  provider vault\n  server "https://vault.example.com"\n}\nnamespace apps {}\n',
    code: "FIN4022", covers: 'alerting slack "#oncall" from vault "monitoring/slack"', line: 3,
  },
  { name: "mesh latency threshold between Istio's buckets", spec: MONITORED + api("  slo latency p99 300ms"), code: "FIN4023", covers: "slo latency p99 300ms", line: 14 },
  {
    name: "alert credential from an undeclared store (did you mean)",
    spec: MONITORED.replace("  monitoring prometheus\n", '  monitoring prometheus\n  alerting pagerduty from vaut "monitoring/pagerduty" key "routing-key"\n'),
    code: "FIN2004", covers: "vaut", line: 5,
  },
  {
    name: "Slack channel that is not one",
    spec: MONITORED.replace("  monitoring prometheus\n", '  monitoring prometheus\n  alerting slack "payments oncall" from vault "monitoring/slack"\n'),
    code: "FIN3001", covers: '"payments oncall"', line: 5,
  },
];

describe("observability checks", () => {
  itReportsEach(cases);

  it("a correct observability spec has no diagnostics (p999 is the 99.9th percentile; 250ms is an Istio bucket)", () => {
    const spec = MONITORED.replace(
      "  monitoring prometheus\n",
      '  monitoring prometheus namespace observability release kps interval 15s runbooks "https://runbooks.example.com/p"\n  alerting slack "#oncall" from vault "monitoring/slack" key "webhook-url", pagerduty from vault "monitoring/pagerduty"\n  logging loki\n',
    ) + api("  slo availability 99.95%, latency p999 250ms, window 28d");
    expect(diagnosticsOf({ "main.fin": spec })).toEqual([]);
  });

  it("`p99.9` is the 99.9th percentile too, the same as `p999`; `p99.99` is above the range", () => {
    const spec = (p: string) => MONITORED + api(`  slo availability 99.95%, latency ${p} 250ms`);
    expect(diagnosticsOf({ "main.fin": spec("p99.9") })).toEqual([]);
    const model = (p: string) => [...compileSources({ "main.fin": spec(p) }).checked.models.values()][0]!.services.find((s) => s.slo)!.slo!.latency;
    expect(model("p99.9")).toEqual(model("p999"));
    expect(model("p99.9")?.percentile).toBe(99.9);
    expect(diagnosticsOf({ "main.fin": spec("p99.99") })).toContainEqual({ code: "FIN3020", text: "p99.99", line: 14 });
  });

  it("without the mesh any latency threshold is accepted (the application's histogram decides its buckets)", () => {
    const spec = 'platform p {\n  environments dev\n  monitoring prometheus\n}\nnamespace apps {}\n' + api("  slo latency p95 300ms");
    expect(diagnosticsOf({ "main.fin": spec })).toEqual([]);
  });
});
