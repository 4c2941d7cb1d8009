import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf, itReportsEach } from "../helpers/compile.js";
import { checkCompliance } from "../../compiler/semantic/check-compliance.js";
import { COMPLIANCE_PROFILE_TABLE, evidenceOf, rulesInScope, type ComplianceProfile } from "../../compiler/model/compliance/profiles.js";
import { ADMISSION_RULE_IDS } from "../../compiler/model/compliance/admission-rules.js";
import { COMPLIANCE_PROFILES } from "../../compiler/semantic/schema/platform.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";

/** A platform with `fields`, one namespace with `ns` and one service / database. */
const spec = (fields: string, ns = "  security restricted\n  residency eu\n", extra = "") => `platform p {
  environments prod
  cloud aws
  regions eu-west-1 primary
${fields}
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {
${ns}}
service api {
  image "registry.example.com/api:1.0.0"
  port  http 8080
}
${extra}`;

const MESH = "  mesh istio sidecar cni";
const REGISTRY = '  registry "registry.example.com" credentials vault "ci/registry" key "dockerconfigjson"';
const codes = (text: string) => diagnosticsOf({ "main.fin": text }).map((d) => d.code);

describe("compliance profiles: the table", () => {
  it("every profile the language accepts is in the table with at least one rule that checks, enforces or emits something", () => {
    for (const p of COMPLIANCE_PROFILES) {
      const profile = COMPLIANCE_PROFILE_TABLE[p];
      expect(profile?.rules.length, p).toBeGreaterThan(0);
      for (const r of profile.rules) {
        expect(r.id).toBe(`${p}/${r.requirement}`);
        expect(r.title.length).toBeGreaterThan(10);
        expect(r.checks.length + r.diagnostics.length + r.admission.length + r.evidence.length, r.id).toBeGreaterThan(0);
        for (const a of r.admission) expect(ADMISSION_RULE_IDS).toContain(a);
      }
    }
  });

  it("names the requirements by their numbers in the standards", () => {
    const ids = rulesInScope(["pci-dss", "soc2", "gdpr", "dora"]).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(["pci-dss/1.3.1", "pci-dss/2.2.1", "pci-dss/4.2.1", "pci-dss/6.3.3", "pci-dss/8.6.2", "soc2/CC6.1", "soc2/CC7.2", "gdpr/Art. 32", "gdpr/Art. 44", "dora/Art. 9", "dora/Art. 12"]));
  });

  it("evidenceOf lists the objects a rule's selectors name and the admission policies that carry its rules", () => {
    const rule = COMPLIANCE_PROFILE_TABLE["pci-dss"].rules.find((r) => r.requirement === "1.3.1")!;
    const docs = [
      { object: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny", namespace: "apps" } } },
      { object: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "api-traffic", namespace: "apps" } } },
      { object: { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy", metadata: { name: "finc-apps-services", annotations: { "finc.dev/admission-rules": "service-exposure" } } } },
      { object: { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy", metadata: { name: "finc-apps-other", annotations: { "finc.dev/admission-rules": "registry" } } } },
    ];
    expect(evidenceOf(rule, docs)).toEqual([
      { group: "networking.k8s.io", kind: "NetworkPolicy", namespace: "apps", name: "default-deny" },
      { group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicy", namespace: "", name: "finc-apps-services" },
    ]);
  });
});

describe("compliance profiles: compile-time checks", () => {
  it("FIN4062: a profile with no implemented rule is an error naming the implemented ones, not silence", () => {
    const program = compileSources({ "main.fin": spec(`  compliance soc2\n${MESH}\n  monitoring prometheus`) });
    expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const model = program.checked.models.get("prod")!;
    const table: Record<string, ComplianceProfile> = { ...COMPLIANCE_PROFILE_TABLE, soc2: { id: "soc2", name: "SOC 2", rules: [] } };
    const found: Diagnostic[] = [];
    checkCompliance(model, (d) => found.push(d), table);
    expect(found.map((d) => d.code)).toEqual(["FIN4062"]);
    expect(found[0]!.message).toContain("'soc2'");
    expect(found[0]!.hint).toContain("pci-dss, gdpr, dora");
    const text = program.getSourceFile(found[0]!.range.file)!.text;
    expect(text.slice(found[0]!.range.start, found[0]!.range.end)).toBe("compliance soc2");
  });

  itReportsEach([
    { name: "pci-dss with mesh none: no in-transit encryption", spec: spec("  compliance pci-dss\n  mesh none"), code: "FIN4063", covers: "mesh none", line: 6 },
    { name: "pci-dss without a mesh line: reported on the compliance line", spec: spec("  compliance pci-dss"), code: "FIN4063", covers: "compliance pci-dss", line: 5 },
    { name: "gdpr: a namespace without residency", spec: spec(`  compliance gdpr\n${MESH}`, "  security restricted\n"), code: "FIN4064", covers: "namespace apps {\n  security restricted\n}", line: 12 },
    { name: "soc2 without monitoring", spec: spec(`  compliance soc2\n${MESH}`), code: "FIN4064", covers: "compliance soc2", line: 5 },
    { name: "dora: a database without backup", spec: spec(`  compliance dora\n${MESH}\n  monitoring prometheus`, undefined, 'database db {\n  storage 10Gi standard\n  credentials from vault "db"\n}\n'), code: "FIN4064", covers: 'database db {\n  storage 10Gi standard\n  credentials from vault "db"\n}', line: 21 },
    { name: "pci-dss: an image outside the platform's registry", spec: spec(`  compliance pci-dss\n${MESH}\n${REGISTRY}`).replace('"registry.example.com/api:1.0.0"', '"docker.io/library/api:1.0.0"'), code: "FIN4065", covers: 'image "docker.io/library/api:1.0.0"', line: 18 },
    { name: "pci-dss with a registry: a standalone database runs Docker Hub's postgres", spec: spec(`  compliance pci-dss\n${MESH}\n${REGISTRY}`, undefined, 'database db {\n  engine postgres 16 standalone\n  storage 10Gi standard\n  credentials from vault "db"\n}\n'), code: "FIN4065", covers: "engine postgres 16 standalone", line: 22 },
  ]);

  it("the messages say which requirement and what to do", () => {
    const [d] = compileSources({ "main.fin": spec("  compliance pci-dss\n  mesh none") }).diagnostics.filter((x) => x.code === "FIN4063");
    expect(d!.message).toContain("PCI DSS v4.0.1 4.2.1");
    expect(d!.hint).toContain("mesh istio");
  });

  it("each profile's clean spec compiles without errors, and the pre-existing pci-dss rules still come from the table (FIN4005)", () => {
    const db = 'database db {\n  storage 10Gi standard\n  credentials from vault "db"\n  backup every 6h keep 30d\n}\n';
    const clean = spec(`  compliance pci-dss, soc2, gdpr, dora\n${MESH}\n${REGISTRY}\n  monitoring prometheus`, undefined, db);
    expect(compileSources({ "main.fin": clean }).diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(codes(clean.replace("security restricted", "security baseline"))).toContain("FIN4005");
    expect(codes(clean.replace("api:1.0.0", "api:latest"))).toContain("FIN4005");
  });

  it("without a profile none of these is reported", () => {
    const found = codes(spec("  mesh none", "  security baseline\n"));
    for (const c of ["FIN4005", "FIN4062", "FIN4063", "FIN4064", "FIN4065"]) expect(found).not.toContain(c);
  });
});
