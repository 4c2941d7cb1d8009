// The compliance report's statuses on a hand-built spec whose expected status per requirement is known
// from the spec itself: enforced (an admission policy carries the rule), met (an emitted object shows it),
// checked (compile-time only), not applicable (the spec has no such subject: no audit-log, no database),
// NOT MET (no registry, so nothing restricts where images come from). Every met row names an emitted file
// holding exactly that object and spec lines that exist.
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { specLineLocator } from "../../compiler/cli/spec-lines.js";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { complianceReport, renderMarkdown, type ComplianceReport } from "../../compiler/emit/compliance-report/report.js";
import { compileSources, VIRTUAL } from "../helpers/compile.js";

const spec = (serviceExtra = "", platformExtra = "") => `platform p {
  cloud        aws
  regions      eu-west-1 primary
${platformExtra}
  compliance   pci-dss, dora
  mesh         istio sidecar cni
  monitoring   prometheus
  environments prod
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace pay { security restricted }
service api {
  namespace pay
  image     "r.io/api:1.0.0"
  port      http 8080
${serviceExtra}}
`;

function reportOf(source: string): { report: ComplianceReport; files: Map<string, string>; lines: string[] } {
  const program = compileSources({ "p.fin": source });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const outputs = buildOutputs(program, { environments: ["prod"] });
  const report = complianceReport(program.checked.models.get("prod")!, outputs.documents.get("prod") ?? [], specLineLocator(program, VIRTUAL));
  return { report, files: new Map(outputs.files.map((f) => [f.path, f.content])), lines: source.split("\n") };
}

const row = (r: ComplianceReport, id: string) => r.requirements.find((q) => q.id === id)!;

describe("compliance report statuses", () => {
  const { report, files, lines } = reportOf(spec());

  it("an admission policy carrying the rule: enforced; an emitted object showing it: met", () => {
    expect(row(report, "pci-dss/1.3.1").status).toBe("enforced");
    expect(row(report, "pci-dss/7.2.5").status).toBe("met");
    expect(row(report, "pci-dss/7.2.5").evidence.map((e) => `${e.kind} ${e.namespace}/${e.name}`)).toContain("ServiceAccount pay/api");
  });

  it("a requirement whose subject the spec does not have is not applicable, with its reason and no evidence", () => {
    const audit = row(report, "pci-dss/10.5.1");
    expect(audit.status).toBe("not-applicable");
    expect(audit.reason).toMatch(/no service declares `audit-log`/);
    const backups = row(report, "dora/Art. 12");
    expect(backups.status).toBe("not-applicable");
    expect(backups.reason).toBe("the spec declares no database");
    expect([...audit.evidence, ...backups.evidence]).toEqual([]);
  });

  it("with the subject declared, the same requirement is checked (compile-time only: FIN4066/FIN4067 did not fire)", () => {
    // The account names the write-once bucket the stream goes to (FIN4095 without it).
    const audited = reportOf(spec("  audit-log stdout\n", '  account      "123456789012"\n')).report;
    expect(row(audited, "pci-dss/10.5.1").status).toBe("checked");
    expect(row(audited, "pci-dss/10.5.1").reason).toBeUndefined();
  });

  it("without a registry nothing restricts where images come from: 6.3.2 is NOT MET, and says what is missing", () => {
    const registry = row(report, "pci-dss/6.3.2");
    expect(registry.status).toBe("not-met");
    expect(registry.reason).toContain("registry");
  });

  it("the summary counts every status, and the Markdown shows each status with its reason", () => {
    const counted = report.requirements.reduce<Record<string, number>>((n, q) => ({ ...n, [q.status]: (n[q.status] ?? 0) + 1 }), {});
    expect(report.summary).toEqual({ enforced: 0, met: 0, checked: 0, "not-applicable": 0, "not-met": 0, ...counted });
    const md = renderMarkdown(report);
    // 10.5.1 (no audit-log), 6.5.1 (no `deploy immutable`), DORA Art. 12 (no database).
    expect(md).toContain("| not applicable | 3 |");
    expect(md).toContain("| pci-dss/10.5.1 | Audit log history is kept 12 months, the last 3 immediately available (audit-log retain/hot) | not applicable: no service declares `audit-log`");
    expect(md).toMatch(/\| pci-dss\/6\.3\.2 \| [^|]+ \| NOT MET: the build has no /);
  });

  it("every met or enforced row points at an emitted file holding exactly that object, and at spec lines that exist", () => {
    const met = report.requirements.filter((q) => q.status === "met" || q.status === "enforced");
    expect(met.length).toBeGreaterThan(3);
    for (const q of met) {
      expect(q.evidence.length, q.id).toBeGreaterThan(0);
      for (const e of q.evidence) {
        const content = files.get(e.file);
        expect(content, `${q.id}: ${e.file}`).toBeDefined();
        const o = parseYaml(content!) as { kind: string; metadata: { name: string; namespace?: string } };
        expect([o.kind, o.metadata.name, o.metadata.namespace ?? ""]).toEqual([e.kind, e.name, e.namespace]);
        expect(e.spec.length, `${q.id}: ${e.file}`).toBeGreaterThan(0);
        for (const l of e.spec) {
          expect(l.file).toBe("p.fin");
          expect(lines[l.line - 1]?.trim(), `${q.id}: ${l.file}:${l.line}`).toBeTruthy();
        }
      }
      expect(lines[q.spec[0]!.line - 1]).toMatch(/compliance\s+pci-dss, dora/);
    }
  });
});
