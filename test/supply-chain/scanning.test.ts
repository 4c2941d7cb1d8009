// In-cluster image scanning (Trivy Operator): on by default under pci-dss, `scanning trivy [severity …]`
// or `scanning none` otherwise; the operator's chart values per environment under helm/ (never a top-level
// directory), scoped to the platform's namespaces and the severity threshold; a PrometheusRule on the
// operator's metrics with `monitoring prometheus`; FIN4076 without it; PCI DSS 11.3.1 in the report.
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { complianceReport } from "../../compiler/emit/compliance-report/report.js";
import { specLineLocator } from "../../compiler/cli/spec-lines.js";
import { installAssumptionsFor } from "../../compiler/model/install-assumptions.js";
import { compileSources, itReportsEach, VIRTUAL } from "../helpers/compile.js";
import { validateManifest } from "../helpers/schemas.js";

const spec = (platform: string) => `platform p {
  environments dev, prod
${platform}}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace pay { security restricted }
namespace web { security restricted }
service api {
  namespace pay
  image     "r.io/api:1.0.0"
  port      http 8080
}
service site {
  namespace web
  image     "r.io/site:1.0.0"
  port      http 8080
}
`;
const PCI = "  compliance pci-dss\n  mesh istio sidecar cni\n";
const MONITORING = "  monitoring prometheus release kps\n";

function build(platform: string) {
  const program = compileSources({ "p.fin": spec(platform) });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = buildOutputs(program, { environments: ["dev", "prod"] });
  const file = (path: string) => out.files.find((f) => f.path === path);
  return { program, out, file, values: (env: string) => file(`helm/trivy-operator/values-${env}.yaml`), rule: (env: string) => file(`${env}/trivy-system/prometheusrule-finc-vulnerabilities.yaml`) };
}

describe("scanning: the Trivy Operator's chart values", () => {
  it("under pci-dss, by default: the platform's namespaces, HIGH and CRITICAL, scraped by the platform's Prometheus", () => {
    const { values } = build(PCI + MONITORING);
    for (const env of ["dev", "prod"]) {
      const text = values(env)!.content;
      expect(text).toContain(`helm upgrade --install trivy-operator aqua/trivy-operator -n trivy-system --create-namespace -f helm/trivy-operator/values-${env}.yaml`);
      const v = parseYaml(text) as Record<string, any>;
      expect(v.targetNamespaces).toBe("pay,web");
      expect(v.trivy).toEqual({ severity: "HIGH,CRITICAL", ignoreUnfixed: false });
      expect(v.operator.vulnerabilityScannerEnabled).toBe(true);
      expect(v.serviceMonitor).toEqual({ enabled: true, labels: { release: "kps" } });
    }
  });

  it("`scanning trivy severity critical` without a profile reports CRITICAL only; `medium` MEDIUM and above", () => {
    expect((parseYaml(build("  scanning trivy severity critical\n" + MONITORING).values("prod")!.content) as any).trivy.severity).toBe("CRITICAL");
    expect((parseYaml(build("  scanning trivy severity medium\n" + MONITORING).values("prod")!.content) as any).trivy.severity).toBe("MEDIUM,HIGH,CRITICAL");
  });

  it("nothing without pci-dss or `scanning`, and nothing with `scanning none` under pci-dss", () => {
    for (const platform of [MONITORING, PCI + MONITORING + "  scanning none\n"]) {
      const { out } = build(platform);
      expect(out.files.filter((f) => f.path.includes("trivy"))).toEqual([]);
    }
  });

  it("lists the Trivy Operator among the cluster requirements only when scanning", () => {
    const lines = (platform: string) => installAssumptionsFor([...build(platform).program.checked.models.values()]).join("\n");
    expect(lines(PCI + MONITORING)).toContain("Trivy Operator");
    expect(lines(MONITORING)).not.toContain("Trivy Operator");
  });
});

describe("scanning: the alert on the operator's metrics", () => {
  it("a schema-valid PrometheusRule in trivy-system, selected by the release label, per environment", () => {
    const { rule } = build(PCI + MONITORING);
    const r = parseYaml(rule("prod")!.content) as Record<string, any>;
    expect(validateManifest(r)).toEqual([]);
    expect(r.metadata).toMatchObject({ name: "finc-vulnerabilities", namespace: "trivy-system", labels: { release: "kps" } });
    const rules = r.spec.groups[0].rules as { alert: string; expr: string; labels: { severity: string } }[];
    expect(rules.map((x) => [x.alert, x.labels.severity])).toEqual([["CriticalImageVulnerability", "critical"], ["HighImageVulnerability", "warning"]]);
    expect(rules[0]!.expr).toContain('trivy_image_vulnerabilities{severity="Critical",namespace=~"pay|web"}');
    expect(rules[0]!.expr).toMatch(/^sum by \(namespace, resource_kind, resource_name, container_name, [^)]*\) \(.*\) > 0$/);
    expect(rule("dev")).toBeDefined();
  });

  it("at severity critical, no High alert; without monitoring, no rule", () => {
    const critical = parseYaml(build("  scanning trivy severity critical\n" + MONITORING).rule("prod")!.content) as any;
    expect(critical.spec.groups[0].rules.map((x: { alert: string }) => x.alert)).toEqual(["CriticalImageVulnerability"]);
    expect(build(PCI).rule("prod")).toBeUndefined();
  });
});

describe("scanning: diagnostics and the compliance report", () => {
  itReportsEach([
    { name: "scanning trivy without monitoring prometheus (warning)", spec: spec("  scanning trivy severity high\n"), code: "FIN4076", covers: "scanning trivy severity high", line: 3 },
    { name: "an unknown severity", spec: spec("  scanning trivy severity low\n"), code: "FIN3007", covers: "low", line: 3 },
  ]);

  const row = (platform: string) => {
    const { program, out } = build(platform);
    return complianceReport(program.checked.models.get("prod")!, out.documents.get("prod") ?? [], specLineLocator(program, VIRTUAL)).requirements.find((r) => r.requirement === "11.3.1")!;
  };

  it("PCI DSS 11.3.1 is met by the alert rule, and NOT MET without it (no monitoring, or scanning none)", () => {
    const met = row(PCI + MONITORING);
    expect(met.status).toBe("met");
    expect(met.evidence.map((e) => `${e.kind} ${e.namespace}/${e.name} ${e.file}`)).toEqual(["PrometheusRule trivy-system/finc-vulnerabilities prod/trivy-system/prometheusrule-finc-vulnerabilities.yaml"]);
    expect(row(PCI).status).toBe("not-met");
    expect(row(PCI + MONITORING + "  scanning none\n").status).toBe("not-met");
  });
});
