import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { run } from "../../compiler/cli/main.js";
import { specLineLocator } from "../../compiler/cli/spec-lines.js";
import { complianceReport, type ComplianceReport } from "../../compiler/emit/compliance-report/report.js";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { REPO } from "../helpers/compile.js";

const PAYMENTS = resolve(REPO, "examples/payments");

function paymentsReport(filter: (kind: string) => boolean = () => true): { report: ComplianceReport; files: Map<string, string> } {
  const program = createProgram({ host: createNodeHost(), roots: [PAYMENTS] });
  const outputs = buildOutputs(program, { environments: ["prod"] });
  const model = program.checked.models.get("prod")!;
  const docs = (outputs.documents.get("prod") ?? []).filter((d) => filter(String(d.object["kind"])));
  return { report: complianceReport(model, docs, specLineLocator(program, REPO)), files: new Map(outputs.files.map((f) => [f.path, f.content])) };
}

describe("finc build --report (PCI DSS evidence)", () => {
  it("every requirement of payments' pci-dss profile is met, and each met row points at real output and real spec lines", () => {
    const { report, files } = paymentsReport();
    expect(report.profiles).toEqual(["pci-dss"]);
    expect(report.requirements.map((r) => r.requirement)).toEqual(["1.3.1", "1.3.2", "2.2.1", "4.2.1", "6.3.2", "6.3.3", "6.5.1", "7.2.5", "8.6.2", "10.5.1", "11.3.1", "12.5.1"]);
    expect(report.summary["not-met"]).toBe(0);
    for (const row of report.requirements) {
      for (const e of row.evidence) {
        // The file exists in the build and holds exactly that object.
        const content = files.get(e.file);
        expect(content, `${row.id}: ${e.file}`).toBeDefined();
        const object = parseYaml(content!) as { kind: string; metadata: { name: string; namespace?: string } };
        expect([object.kind, object.metadata.name, object.metadata.namespace ?? ""]).toEqual([e.kind, e.name, e.namespace]);
        // Each spec line is a line of a spec file of the example.
        expect(e.spec.length, `${row.id}: ${e.file} has no spec line`).toBeGreaterThan(0);
        for (const l of [...e.spec, ...row.spec]) {
          const text = readFileSync(resolve(REPO, l.file), "utf8").split("\n");
          expect(l.line).toBeGreaterThan(0);
          expect(l.line).toBeLessThanOrEqual(text.length);
        }
      }
      expect(readFileSync(resolve(REPO, row.spec[0]!.file), "utf8").split("\n")[row.spec[0]!.line - 1]).toMatch(/compliance\s+pci-dss/);
    }
    // The network rules are enforced by the admission policies and shown by the default deny.
    const inbound = report.requirements.find((r) => r.requirement === "1.3.1")!;
    expect(inbound.status).toBe("enforced");
    expect(inbound.evidence.map((e) => `${e.kind}/${e.name}`)).toContain("NetworkPolicy/default-deny");
  });

  it("a requirement whose evidence is missing from the build is NOT MET", () => {
    const { report } = paymentsReport((kind) => kind !== "NetworkPolicy" && kind !== "Sidecar" && !kind.startsWith("ValidatingAdmissionPolicy"));
    const status = Object.fromEntries(report.requirements.map((r) => [r.requirement, r.status]));
    expect(status["1.3.1"]).toBe("not-met");
    expect(status["1.3.2"]).toBe("not-met");
    // Requirements with other evidence are unaffected.
    expect(status["7.2.5"]).toBe("met");
  });

  it("the CLI writes compliance/<env>/report.md and report.json with the build, only with --report", async () => {
    const out = mkdtempSync(join(tmpdir(), "finc-report-"));
    const io = { out: () => {}, err: () => {}, cwd: REPO, color: false };
    expect(await run(["build", "examples/payments", "--out", out, "--env", "prod", "--report"], io)).toBe(0);
    const md = readFileSync(join(out, "compliance/prod/report.md"), "utf8");
    expect(md).toContain("| pci-dss/1.3.1 | Inbound traffic to the CDE is restricted to what is necessary | met, enforced in the cluster |");
    const json = JSON.parse(readFileSync(join(out, "compliance/prod/report.json"), "utf8")) as ComplianceReport;
    expect(json.summary["not-met"]).toBe(0);
    const plain = mkdtempSync(join(tmpdir(), "finc-noreport-"));
    expect(await run(["build", "examples/payments", "--out", plain, "--env", "prod"], io)).toBe(0);
    expect(existsSync(join(plain, "compliance"))).toBe(false);
  });
});
