import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSources, REPO } from "../helpers/compile.js";
import { compile } from "../kustomize/support.js";
import { AZURE_SPEC, GCP_SPEC } from "../cloud/specs.js";
import { AZURE_TWO_CLUSTERS, GCP_AUDITED } from "../multi-cluster/gcp-azure-specs.js";
import { AZURE_POOLS_AND_BUDGETS, GCP_POOLS_AND_BUDGETS } from "../nodepools/cloud-pool-specs.js";
import { module, terraformFiles, validateTfJson, type Json } from "./support.js";

/**
 * No google or azurerm provider can be installed here, so `terraform validate` cannot check the gcp
 * and azure modules. Instead every resource type, data source and provider block finc writes, and
 * every argument at every nesting level, is checked against the arguments the providers document
 * (website/docs of hashicorp/terraform-provider-google and -azurerm, extracted by
 * test/schemas/terraform/extract-provider-docs.mjs, MPL-2.0). Not checked: argument types and
 * values, required arguments, and the attributes expressions refer to (beyond finc's own blocks).
 */
type Args = Record<string, readonly string[]>;
type ProviderDoc = { resource: Record<string, Args>; data: Record<string, Args>; provider: Args };
const load = (name: string) => JSON.parse(readFileSync(join(REPO, "test/schemas/terraform", name), "utf8")) as ProviderDoc;
const DOCS: Record<string, ProviderDoc> = { google: load("google-arguments.json"), azurerm: load("azurerm-arguments.json") };

/** Terraform's meta-arguments, valid in every resource and data block. */
const META = new Set(["count", "depends_on", "for_each", "provider", "lifecycle"]);
const LIFECYCLE: Record<string, readonly string[]> = {
  lifecycle: ["create_before_destroy", "ignore_changes", "postcondition", "precondition", "prevent_destroy", "replace_triggered_by"],
  postcondition: ["condition", "error_message"],
  precondition: ["condition", "error_message"],
};

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every key path of a body that the provider does not document, as "<path>". */
function undocumented(body: Json, args: Args, path: string): string[] {
  const out: string[] = [];
  const visit = (obj: Json, block: string, at: string, meta: boolean) => {
    const allowed = meta ? LIFECYCLE[block] ?? [] : args[block] ?? [];
    for (const [k, v] of Object.entries(obj)) {
      const here = `${at}.${k}`;
      const topMeta = !meta && block === "" && META.has(k);
      if (!topMeta && !allowed.includes(k)) {
        out.push(here);
        continue;
      }
      if (k === "depends_on") continue;
      const nestedMeta = meta || k === "lifecycle";
      const nested = nestedMeta ? LIFECYCLE[k] : args[k];
      // A nested block (documented with its own arguments) is checked inside; a map argument (tags, labels) is not.
      if (!nested) continue;
      for (const item of Array.isArray(v) ? v : [v]) if (isObject(item)) visit(item, k, here, nestedMeta);
    }
  };
  visit(body, "", path, false);
  return out;
}

function checkModule(files: Map<string, Json>): string[] {
  const problems: string[] = [];
  for (const [path, file] of files) {
    for (const kind of ["resource", "data"] as const) {
      for (const [type, blocks] of Object.entries((file[kind] ?? {}) as Json)) {
        const provider = type.split("_")[0]!;
        const args = DOCS[provider]?.[kind][type];
        if (!args) {
          problems.push(`${path}: ${kind} ${type} is not in the ${provider} provider's documented ${kind}s`);
          continue;
        }
        for (const [name, body] of Object.entries(blocks as Json)) problems.push(...undocumented(body as Json, args, `${path}: ${kind}.${type}.${name}`));
      }
    }
    for (const [name, configs] of Object.entries((file["provider"] ?? {}) as Json)) {
      const doc = DOCS[name];
      if (!doc) problems.push(`${path}: provider ${name} has no extracted documentation`);
      else for (const c of configs as Json[]) problems.push(...undocumented(c, { "": doc.provider[""]!, features: [] }, `${path}: provider.${name}`));
    }
  }
  return problems;
}

/** Every `${…}` reference to a google_/azurerm_ resource, a data source or a variable resolves to a block of the module. */
function unresolved(files: Map<string, Json>): string[] {
  const out: string[] = [];
  for (const env of new Set([...files.keys()].map((p) => p.split("/")[1]!))) {
    const m = module(files, env);
    const has = (kind: "resource" | "data" | "variable", ...path: string[]) => path.reduce<unknown>((o, k) => (o as Json | undefined)?.[k], m[kind]) !== undefined;
    for (const [, expr] of JSON.stringify(m).matchAll(/\$\{([^}]*)\}/g)) {
      for (const [, a, b, c] of expr!.matchAll(/\b(var|data|google_[a-z0-9_]+|azurerm_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))?/g)) {
        const ok = a === "var" ? has("variable", b!) : a === "data" ? has("data", b!, c!) : has("resource", a!, b!);
        if (!ok) out.push(`${env}: ${a}.${b}${c ? "." + c : ""}`);
      }
    }
  }
  return out;
}

const PCI = (spec: string) => spec.replace("mesh         none", "mesh         istio sidecar cni\n  compliance   pci-dss").replace("mesh           none", "mesh           istio sidecar cni\n  compliance     pci-dss");

const CASES: Record<string, () => Map<string, Json>> = {
  "the GCP spec": () => terraformFiles(compileSources({ "main.fin": GCP_SPEC })),
  "the GCP spec under pci-dss (audit log bucket and sink)": () => terraformFiles(compileSources({ "main.fin": PCI(GCP_SPEC) })),
  "the Azure spec": () => terraformFiles(compileSources({ "main.fin": AZURE_SPEC })),
  "the Azure spec under pci-dss (kube-audit diagnostic setting)": () => terraformFiles(compileSources({ "main.fin": PCI(AZURE_SPEC) })),
  "the Azure spec without cluster (OIDC issuer variable)": () => terraformFiles(compileSources({ "main.fin": AZURE_SPEC.replace(/  (platform\.)?cluster .*\n/g, "") })),
  "gcp with a standby cluster and an audit-log (replica read grant, locked audit bucket and sink)": () => terraformFiles(compileSources({ "main.fin": GCP_AUDITED })),
  "azure with a standby cluster under pci-dss (replica read grant, RA-GZRS, immutable AKS audit storage)": () => terraformFiles(compileSources({ "main.fin": PCI(AZURE_TWO_CLUSTERS) })),
  "gcp node pools (spot, pci) and budgets (platform, namespace)": () => terraformFiles(compileSources({ "main.fin": GCP_POOLS_AND_BUDGETS })),
  "azure node pools (spot, pci) and the platform budget": () => terraformFiles(compileSources({ "main.fin": AZURE_POOLS_AND_BUDGETS })),
  "examples/wallet-gcp": () => terraformFiles(compile(join(REPO, "examples/wallet-gcp"))),
  "examples/savings-azure": () => terraformFiles(compile(join(REPO, "examples/savings-azure"))),
  "gcp with monitoring managed-prometheus (GMP check and rule evaluator)": () => terraformFiles(compileSources({ "main.fin": GCP_SPEC.replace("mesh         none", "mesh         none\n  monitoring   managed-prometheus") })),
  "azure with monitoring azure-monitor (workspace, collection rule, rule groups, action group)": () => terraformFiles(compileSources({ "main.fin": AZURE_SPEC.replace("mesh           none", "mesh           none\n  monitoring     azure-monitor\n  alerting       pagerduty from kv \"pagerduty\"").replace("service api {\n", "service api {\n  slo availability 99.9%\n") })),
};

describe("gcp and azure terraform against the providers' documented arguments", () => {
  it("the extracted documentation holds what it should (the extractor read the argument sections)", () => {
    expect(DOCS.google!.resource["google_storage_bucket"]![""]).toEqual(expect.arrayContaining(["name", "location", "uniform_bucket_level_access", "public_access_prevention", "versioning", "encryption", "lifecycle_rule", "custom_placement_config"]));
    expect(DOCS.google!.resource["google_storage_bucket"]!["condition"]).toEqual(expect.arrayContaining(["age", "matches_prefix", "days_since_noncurrent_time"]));
    expect(DOCS.azurerm!.resource["azurerm_federated_identity_credential"]![""]).toEqual(["audience", "issuer", "name", "subject", "user_assigned_identity_id"]);
    expect(DOCS.azurerm!.resource["azurerm_storage_account"]!["blob_properties"]).toEqual(expect.arrayContaining(["versioning_enabled", "delete_retention_policy"]));
    // A made-up argument is reported, at its path.
    expect(undocumented({ name: "b", location: "EU", versioning: [{ enabled: true, bogus: 1 }] }, DOCS.google!.resource["google_storage_bucket"]!, "x")).toEqual(["x.versioning.bogus"]);
  });

  it.each(Object.keys(CASES))("every resource type, data source, provider block and argument is documented, every reference resolves: %s", (name) => {
    const files = CASES[name]!();
    expect(files.size).toBeGreaterThan(0);
    for (const [path, body] of files) if (!validateTfJson(body)) throw new Error(`${path}: ${JSON.stringify(validateTfJson.errors)}`);
    expect(checkModule(files)).toEqual([]);
    expect(unresolved(files)).toEqual([]);
  });
});
