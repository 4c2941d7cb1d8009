import { describe, expect, it } from "vitest";
import { COMPLIANCE_PROFILE_TABLE, evidenceOf } from "../../compiler/model/compliance/profiles.js";
import { followUps } from "../../compiler/semantic/schema/field-spec.js";
import { platformObservabilityFields } from "../../compiler/semantic/schema/observability-fields.js";
import { compileSources, diagnosticsOf, itReportsEach, platformSpec, serviceSpec } from "../helpers/compile.js";
import { AMP_SPEC, documents, gcpSpec } from "./cloud-support.js";

/**
 * A cloud's managed Prometheus only on its cloud ("FIN4099"), and with what its Terraform and
 * collectors need ("FIN4098"). The SLO/alerting/scanning warnings that ask for monitoring
 * (FIN4022, FIN4076) are satisfied by a managed choice as by `monitoring prometheus`.
 */
const on = (cloud: string, monitoring: string, extra = "") => platformSpec(`  cloud ${cloud}\n  regions ${cloud === "gcp" ? "europe-west1" : cloud === "azure" ? "westeurope" : "eu-west-1"} primary\n  monitoring ${monitoring}\n${extra}`, "dev");
const settled = { gcp: '  account "proj-1"\n  cluster "gke-1"', azure: '  account "00000000-0000-0000-0000-000000000000"\n  resource-group "rg-1"\n  cluster "aks-1"', aws: '  account "123456789012"\n  cluster "eks-1"' };

describe("cloud monitoring diagnostics", () => {
  itReportsEach([
    { name: "Azure Monitor on gcp", spec: on("gcp", "azure-monitor", settled.gcp), code: "FIN4099", covers: "azure-monitor", line: 5 },
    { name: "GMP on aws", spec: on("aws", "managed-prometheus", settled.aws), code: "FIN4099", covers: "managed-prometheus", line: 5 },
    { name: "AMP on azure", spec: on("azure", "amazon-managed-prometheus", settled.azure), code: "FIN4099", covers: "amazon-managed-prometheus", line: 5 },
    { name: "a managed choice on onprem", spec: platformSpec("  cloud onprem\n  monitoring managed-prometheus", "dev"), code: "FIN4099", covers: "managed-prometheus", line: 4 },
    { name: "GMP without the project and cluster", spec: on("gcp", "managed-prometheus"), code: "FIN4098", covers: "managed-prometheus", line: 5 },
    { name: "Azure Monitor without its resource group", spec: on("azure", "azure-monitor", '  account "00000000-0000-0000-0000-000000000000"\n  cluster "aks-1"'), code: "FIN4098", covers: "azure-monitor", line: 5 },
    { name: "AMP without the cluster", spec: on("aws", "amazon-managed-prometheus", '  account "123456789012"'), code: "FIN4098", covers: "amazon-managed-prometheus", line: 5 },
    {
      name: "GMP alerting from a namespaced store (ESO must write gmp-public/alertmanager)",
      spec: on("gcp", "managed-prometheus", `${settled.gcp}\n  alerting pagerduty from vault "m/pd"`),
      code: "FIN4098",
      covers: "vault",
      line: 8,
    },
    {
      name: "AMP's scraper behind ztunnel",
      spec: on("aws", "amazon-managed-prometheus", `${settled.aws}\n  mesh istio ambient`) + serviceSpec("api", "  port metrics 9102\n"),
      code: "FIN4098",
      covers: "amazon-managed-prometheus",
      line: 5,
    },
    {
      name: "a rollout analysis under a managed choice (Argo Rollouts queries the in-cluster Prometheus)",
      spec: on("gcp", "managed-prometheus", settled.gcp) + serviceSpec("api", "  rollout canary 10%, 50% pause 5m while error-rate < 1%\n"),
      code: "FIN4098",
      covers: "rollout canary 10%, 50% pause 5m while error-rate < 1%",
      line: 17,
    },
    {
      name: "scale on prometheus without a server under a managed choice",
      spec: on("aws", "amazon-managed-prometheus", settled.aws) + serviceSpec("api", '  scale on prometheus "sum(rate(http_requests_total[1m]))" above 50\n'),
      code: "FIN4098",
      covers: 'on prometheus "sum(rate(http_requests_total[1m]))" above 50',
      line: 17,
    },
  ]);

  it("the messages say which cloud the choice belongs to and what to write instead", () => {
    const d = compileSources({ "main.fin": on("gcp", "azure-monitor", settled.gcp) }).diagnostics.find((x) => x.code === "FIN4099")!;
    expect(d.severity).toBe("error");
    expect(d.message).toBe("`monitoring azure-monitor` is Azure Monitor managed service for Prometheus, a azure service, but the platform runs on `cloud gcp`.");
    expect(d.hint).toBe("Use `monitoring managed-prometheus` (Google Cloud Managed Service for Prometheus) or `monitoring prometheus`.");
    const missing = compileSources({ "main.fin": on("azure", "azure-monitor") }).diagnostics.find((x) => x.code === "FIN4098")!;
    expect(missing.message).toContain("needs `account` (the Azure subscription) and `resource-group` and `cluster` (the AKS cluster monitored)");
  });

  it("each managed choice, complete and on its cloud, checks clean; the SLO and scanning warnings are satisfied", () => {
    for (const [cloud, choice] of [["gcp", "managed-prometheus"], ["azure", "azure-monitor workspace \"amw-1\""], ["aws", "amazon-managed-prometheus"]] as const) {
      const spec = on(cloud, choice, settled[cloud]) + serviceSpec("api", "  port metrics 9102\n  slo availability 99.9%\n");
      expect(diagnosticsOf({ "main.fin": spec }).filter((x) => ["FIN4098", "FIN4099", "FIN4022", "FIN4076"].includes(x.code))).toEqual([]);
    }
  });

  it("`workspace` is only for Azure Monitor and AMP; `namespace`/`release` only for the in-cluster Prometheus", () => {
    expect(diagnosticsOf({ "main.fin": on("gcp", 'managed-prometheus workspace "w"', settled.gcp) }).some((x) => /^FIN[123]/.test(x.code))).toBe(true);
    expect(diagnosticsOf({ "main.fin": on("aws", "amazon-managed-prometheus namespace obs", settled.aws) }).some((x) => /^FIN[123]/.test(x.code))).toBe(true);
  });

  it("soc2 CC7.2 and dora Art. 10 find their evidence in a managed choice's objects (GMP's PodMonitoring/Rules, AMP's scraper role)", () => {
    const rules = [...COMPLIANCE_PROFILE_TABLE.soc2.rules, ...COMPLIANCE_PROFILE_TABLE.dora.rules].filter((r) => r.checks.includes("monitoring-declared"));
    expect(rules.map((r) => r.requirement)).toEqual(["CC7.2", "Art. 10"]);
    for (const docs of [documents(gcpSpec("managed-prometheus")), documents(AMP_SPEC)])
      for (const rule of rules) expect(evidenceOf(rule, docs).length, rule.requirement).toBeGreaterThan(0);
  });

  it("completion offers each choice and, after it, only the keywords that choice takes (the field's forms drive completion and docs)", () => {
    const f = platformObservabilityFields.monitoring;
    expect(f.values).toEqual(["prometheus", "managed-prometheus", "azure-monitor", "amazon-managed-prometheus", "none"]);
    expect(followUps(f.keywords, ["managed-prometheus"])).toEqual(["interval", "runbooks"]);
    expect(followUps(f.keywords, ["azure-monitor"])).toEqual(["workspace", "interval", "runbooks"]);
    expect(followUps(f.keywords, ["prometheus"])).toEqual(["namespace", "release", "interval", "runbooks"]);
    expect(f.syntax).toContain('amazon-managed-prometheus [workspace "<ws-id>"]');
  });
});
