// The Falco rules finc writes for a `compliance pci-dss` platform (<env>/falco/configmap-finc-falco-rules.yaml):
// valid rule-file structure (every rule's keys, every list/macro defined before use, conditions that
// parse, known fields), one rule per control with its PCI DSS tag, and allowed destinations that are
// exactly what the spec declares. No Falco binary or Go validator exists here (Falco is C++; no Go
// module in the proxy list validates rules), so test/runtime-security/falco-syntax.ts parses them.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { compile } from "../kustomize/support.js";
import { REPO } from "../helpers/compile.js";
import { checkCondition, rulesProblems, type Item } from "./falco-syntax.js";

const PCI_SPEC = `platform p {
  cloud        aws
  regions      eu-west-1 primary
  compliance   pci-dss
  mesh         istio sidecar cni
  environments prod
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace pay { security restricted }
service api {
  image    "r.io/api:1.0.0@sha256:${"a".repeat(64)}"
  port     http 8080
  calls    ledger, ledger-db
  egress   "api.stripe.com" 443, "10.1.0.0/16" 5432
  writable /var/cache/api
}
service ledger {
  image          "r.io/ledger:1.0.0@sha256:${"b".repeat(64)}"
  port           http 8080
  kubernetes-api yes
}
database ledger-db {
  storage     10Gi
  credentials from vault "pay/ledger-db"
}
`;

function rulesOf(files: { path: string; content: string }[], path: string): Item[] {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} among ${files.map((x) => x.path).filter((p) => !p.startsWith("prod/")).join(", ")}`);
  const cm = parse(f.content) as { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> };
  expect([cm.apiVersion, cm.kind, cm.metadata.name, cm.metadata.namespace]).toEqual(["v1", "ConfigMap", "finc-falco-rules", "falco"]);
  expect(Object.keys(cm.data)).toEqual(["finc-rules.yaml"]);
  return parse(cm.data["finc-rules.yaml"]!) as Item[];
}

const byName = (items: Item[], kind: "list" | "macro" | "rule", name: string) => items.find((i) => i[kind] === name);

describe("runtime security: Falco rules", () => {
  const program = compileSources({ "p.fin": PCI_SPEC });
  const files = buildOutputs(program).files;
  const items = rulesOf(files, "prod/falco/configmap-finc-falco-rules.yaml");
  const rules = items.filter((i) => "rule" in i);

  it("compiles clean and writes the chart values with a structurally valid rules file", () => {
    expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual([]);
    expect(rulesProblems(items)).toEqual([]);
  });

  it("has the five controls, each tagged with the PCI DSS requirement it is evidence for", () => {
    const tagsOf = (name: string) => (byName(items, "rule", name)?.["tags"] as string[] | undefined) ?? [];
    expect(tagsOf("finc: shell in a PCI-scoped pod")).toEqual(expect.arrayContaining(["PCI_DSS_10.2.1", "PCI_DSS_11.5.1"]));
    expect(tagsOf("finc: package manager at run time")).toContain("PCI_DSS_11.5.2");
    expect(tagsOf("finc: pay/api connects outside its declared calls and egress")).toEqual(expect.arrayContaining(["PCI_DSS_1.3.2", "PCI_DSS_11.5.1"]));
    expect(tagsOf("finc: pay/api writes below a read-only path")).toContain("PCI_DSS_11.5.2");
    expect(tagsOf("finc: pay/api reads a service-account token")).toContain("PCI_DSS_7.2.5");
    for (const r of rules) expect((r["tags"] as string[]).some((t) => /^PCI_DSS_\d+(\.\d+)+$/.test(t)), String(r["rule"])).toBe(true);
    expect(rules.map((r) => r["priority"])).not.toContain(undefined);
  });

  it("allows exactly the declared destinations: callees, the database's Services, egress hosts and CIDRs", () => {
    expect(byName(items, "list", "finc_pay__api_hosts")?.["items"]).toEqual([
      // One instance: no read-only replicas, so only the primary's Service.
      '"api.stripe.com"', '"ledger-db-rw.pay.svc.cluster.local"', '"ledger.pay.svc.cluster.local"',
    ]);
    expect(byName(items, "list", "finc_pay__api_networks")?.["items"]).toEqual(['"10.1.0.0/16"']);
    // Nothing declared: no list at all (an empty network list does not compile), only DNS and the API server.
    expect(byName(items, "list", "finc_pay__ledger_hosts")).toBeUndefined();
    expect(byName(items, "list", "finc_pay__ledger_networks")).toBeUndefined();
    expect(byName(items, "macro", "finc_pay__ledger_declared_destination")?.["condition"]).toBe('(finc_dns_lookup or fd.sip.name = "kubernetes.default.svc.cluster.local")');
    // Only the workload that declares `kubernetes-api yes` may reach the API server.
    expect(String(byName(items, "macro", "finc_pay__ledger_declared_destination")?.["condition"])).toContain("kubernetes.default.svc.cluster.local");
    expect(String(byName(items, "macro", "finc_pay__api_declared_destination")?.["condition"])).not.toContain("kubernetes.default");
  });

  it("holds writes to the declared writable paths (and /tmp), and token reads to workloads without API access", () => {
    expect(byName(items, "list", "finc_pay__api_writable")?.["items"]).toEqual(['"/tmp"', '"/var/cache/api"']);
    expect(byName(items, "rule", "finc: pay/ledger reads a service-account token")).toBeUndefined();
    expect(String(byName(items, "rule", "finc: pay/api reads a service-account token")?.["condition"])).toContain("/var/run/secrets/kubernetes.io/serviceaccount/");
  });

  it("selects each workload's own container by namespace and container name (not the sidecar)", () => {
    expect(byName(items, "macro", "finc_pay__api")?.["condition"]).toBe('(container.id != host and k8s.ns.name = "pay" and container.name = "api")');
  });

  it("is written only under compliance pci-dss", () => {
    const plain = buildOutputs(compileSources({ "p.fin": PCI_SPEC.replace("compliance   pci-dss\n", "") })).files;
    expect(plain.filter((f) => f.path.includes("finc-falco-rules"))).toEqual([]);
  });

  it("is valid for the payments example in every environment", () => {
    const payments = compile(`${REPO}/examples/payments`);
    const out = buildOutputs(payments).files;
    for (const env of payments.checked.environments) {
      const its = rulesOf(out, `${env}/falco/configmap-finc-falco-rules.yaml`);
      expect(rulesProblems(its), env).toEqual([]);
      // shell + package managers, then per workload: outbound, writes, token (none of them has `kubernetes-api yes`).
      const workloads = payments.checked.models.get(env)!.services.length;
      expect(its.filter((i) => "rule" in i).length).toBe(2 + 3 * workloads);
    }
  });
});

describe("the rules checker itself", () => {
  const lists = new Map([["finc_l", ['"a"']]]);
  const macros = new Map([["finc_m", "(proc.name = sh)"]]);
  it.each([
    ["an undefined macro", "finc_nope and proc.name = sh"],
    ["an undefined list", "proc.name in (finc_nope)"],
    ["an unbalanced parenthesis", "(proc.name = sh"],
    ["an unknown field", "proc.nam = sh"],
    ["an unterminated string", 'proc.name = "sh'],
    ["a dangling operator", "proc.name = sh and"],
  ])("rejects %s", (_, condition) => {
    expect(() => checkCondition(condition, lists, macros)).toThrow();
  });
  it("accepts macros, lists and negation", () => {
    expect([...checkCondition("finc_m and not proc.name in (finc_l, bash) or fd.name pmatch (finc_l)", lists, macros)].sort()).toEqual(["fd.name", "proc.name"]);
  });
  it("reports a rule without its required keys", () => {
    expect(rulesProblems([{ rule: "x", condition: "proc.name = sh", output: "x", priority: "LOUD" }])).toEqual(["rule x: missing desc", "rule x: missing tags", "rule x: priority LOUD", "rule x: tags must be strings"]);
  });
});
