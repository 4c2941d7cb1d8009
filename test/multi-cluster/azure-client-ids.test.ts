import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, itReportsEach } from "../helpers/compile.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";
import { AZURE_TWO_CLUSTERS, GCP_TWO_CLUSTERS } from "./gcp-azure-specs.js";

/**
 * Azure Workload Identity on a primary + standby environment (issue 14/13): each cluster's
 * terraform root (`prod-west`, `prod-north`) creates managed identities of its own, so each
 * cluster's output annotates its ServiceAccounts with the client IDs pasted into ITS `cluster`
 * declaration (`client-ids "<ns>/<sa>" "<id>" in <env>`), the home cluster falling back to the
 * platform's. Expectations are written from the spec below, not read back from the output.
 */
type Json = Record<string, any>;

const PRIMARY_LEDGER = "33333333-3333-4333-8333-333333333333"; // the fixture's platform `client-ids`
const WEST = { api: "a1a1a1a1-0001-4000-8000-00000000000a", store: "a2a2a2a2-0002-4000-8000-00000000000a", drill: "a4a4a4a4-0004-4000-8000-00000000000a" };
const NORTH = { api: "b1b1b1b1-0001-4000-8000-00000000000b", store: "b2b2b2b2-0002-4000-8000-00000000000b", ledger: "b3b3b3b3-0003-4000-8000-00000000000b", drill: "b4b4b4b4-0004-4000-8000-00000000000b" };

const westIds = `  client-ids "savings/api" "${WEST.api}" in prod, "savings/kv-secret-store" "${WEST.store}" in prod, "savings/ledger-drill" "${WEST.drill}" in prod\n`;
const northIds = `  client-ids "savings/api" "${NORTH.api}" in prod, "savings/kv-secret-store" "${NORTH.store}" in prod, "savings/ledger" "${NORTH.ledger}" in prod, "savings/ledger-drill" "${NORTH.drill}" in prod\n`;

/** The fixture (copied, not edited; without the standby's own ledger ID) with a service reading an azure Key Vault store, and a drill. */
function spec(west = westIds, north = northIds): string {
  return AZURE_TWO_CLUSTERS
    .replace(/  client-ids "savings\/ledger" "[^"]*" in prod\n(?=\})/, "")
    .replace("secretstore vault {", 'secretstore kv {\n  provider azure\n  server   "https://savings-kv.vault.azure.net"\n}\nsecretstore vault {')
    .replace("  secret DATABASE_URL from ledger.url\n", '  secret DATABASE_URL from ledger.url\n  secret API_KEY from kv "api-key"\n')
    .replace("  replicate   to northeurope\n", '  replicate   to northeurope\n  drill       weekly query "select count(*) from entries"\n')
    .replace("  role   primary\n", `  role   primary\n${west}`)
    .replace("  role   standby\n", `  role   standby\n${north}`);
}

const build = (source: string) => {
  const program = compileSources({ "main.fin": source });
  const out = buildOutputs(program, { targets: ["kubernetes", "backup", "terraform", "drills"] });
  const file = (path: string) => {
    const f = out.files.find((x) => x.path === path);
    if (!f) throw new Error(`no ${path} among ${out.files.map((x) => x.path).join(", ")}`);
    return f.content;
  };
  return {
    program,
    diagnostics: [...program.diagnostics, ...out.diagnostics],
    yaml: (path: string) => parseYaml(file(path)) as Json,
    json: (path: string) => JSON.parse(file(path)) as Json,
    docs: (prefix: string) => out.files.filter((f) => f.path.startsWith(prefix) && f.path.endsWith(".yaml")).flatMap((f) => f.content.split(/^---$/m).map((d) => parseYaml(d) as Json).filter(Boolean)),
  };
};
const clientId = (o: Json | undefined) => o?.metadata?.annotations?.["azure.workload.identity/client-id"] as string | undefined;

describe("azure, primary + standby: each cluster's ServiceAccounts carry its own identities' client IDs", () => {
  const b = build(spec());

  it("checks without FIN4086 or FIN4103 once both clusters carry their IDs", () => {
    expect(b.diagnostics.filter((d) => d.code === "FIN4086" || d.code === "FIN4103" || d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });

  it("the services' ServiceAccounts: west's IDs on west, north's on north", () => {
    expect(clientId(b.yaml("prod-west/savings/serviceaccount-api.yaml"))).toBe(WEST.api);
    expect(clientId(b.yaml("prod-north/savings/serviceaccount-api.yaml"))).toBe(NORTH.api);
  });

  it("the SecretStore's ServiceAccount: west's ID on west, north's on north", () => {
    const store = (env: string) => b.docs(`${env}/`).find((d) => d.kind === "ServiceAccount" && d.metadata.name === "kv-secret-store");
    expect(clientId(store("prod-west"))).toBe(WEST.store);
    expect(clientId(store("prod-north"))).toBe(NORTH.store);
  });

  it("the CloudNativePG Clusters: the primary's from the platform's `client-ids`, the standby's replica Cluster from cluster north's", () => {
    const sa = (env: string) => b.yaml(`${env}/savings/cluster-ledger.yaml`).spec.serviceAccountTemplate;
    expect(clientId(sa("prod-west"))).toBe(PRIMARY_LEDGER);
    expect(b.yaml("prod-north/savings/cluster-ledger.yaml").spec.replica).toEqual({ enabled: true, source: "ledger-west" });
    expect(clientId(sa("prod-north"))).toBe(NORTH.ledger);
  });

  it("no output of either cluster names the other's IDs", () => {
    const text = (env: string) => JSON.stringify(b.docs(`${env}/`));
    for (const id of Object.values(NORTH)) expect(text("prod-west")).not.toContain(id);
    for (const id of [...Object.values(WEST), PRIMARY_LEDGER]) expect(text("prod-north")).not.toContain(id);
  });

  it("each cluster's Terraform output `client_ids_field` prints the line to paste into its own cluster, `in prod`", () => {
    const id = (r: string) => "${azurerm_user_assigned_identity." + r + ".client_id}";
    const line = `client-ids "savings/api" "${id("savings__api")}" in prod, "savings/kv-secret-store" "${id("savings__kv-secret-store")}" in prod, "savings/ledger" "${id("postgres__savings__ledger")}" in prod, "savings/ledger-drill" "${id("drill__savings__ledger")}" in prod`;
    for (const [env, cluster] of [["prod-west", "west"], ["prod-north", "north"]] as const) {
      const field = b.json(`terraform/${env}/outputs.tf.json`).output.client_ids_field;
      expect(field.value).toBe(line);
      expect(field.description).toContain(`Paste into \`cluster ${cluster} { … }\``);
    }
  });
});

describe("the standby's IDs missing: FIN4086 at cluster north, naming what to paste", () => {
  it("without north's `client-ids`: one FIN4086 for prod-north (the platform's ID is the primary's), none for prod-west, and north's SAs are not annotated", () => {
    const b = build(spec(westIds, ""));
    const found = b.diagnostics.filter((d) => d.code === "FIN4086");
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toBe("In prod-north, savings/api, savings/kv-secret-store, savings/ledger need a managed identity's client ID: the terraform root prod-north creates cluster 'north''s own identities and Azure picks their client IDs, and until cluster 'north' carries them its ServiceAccounts are not annotated (azure.workload.identity/client-id), so its pods and SecretStores get no Azure credentials and its backups go to volume snapshots (the platform's `client-ids` for savings/ledger are the home cluster's identities, which trust the home cluster's ServiceAccounts only).");
    expect(found[0]!.hint).toBe('Apply terraform/prod-north, then paste its output `client_ids_field` into `cluster north { … }` as it is (`client-ids "<namespace>/<service account>" "<client id>" in prod, …`).');
    expect(clientId(b.yaml("prod-north/savings/serviceaccount-api.yaml"))).toBeUndefined();
    expect(clientId(b.yaml("prod-west/savings/serviceaccount-api.yaml"))).toBe(WEST.api);
    // The primary's client ID never reaches the standby's replica Cluster (it used to: the bug).
    expect(JSON.stringify(b.docs("prod-north/"))).not.toContain(PRIMARY_LEDGER);
  });

  it("the standby's drill ID missing: one FIN4103 for prod-north, saying to paste into cluster north; west's drill is built, north's is not", () => {
    const b = build(spec(westIds, northIds.replace(`, "savings/ledger-drill" "${NORTH.drill}" in prod`, "")));
    const found = b.diagnostics.filter((d) => d.code === "FIN4103" || d.code === "FIN4086");
    expect(found.map((d) => [d.code, d.message, d.hint])).toEqual([[
      "FIN4103",
      "The drill of 'ledger' is not built yet: in prod-north, the managed identity of savings/ledger-drill has no client ID in cluster north's `client-ids` yet (Azure picks it when the terraform target creates the identity).",
      'Apply the terraform target, then paste its output `client_ids_field` into `cluster north { … }` (it prints `client-ids … in prod`); it carries "savings/ledger-drill".',
    ]]);
    const drillSa = (env: string) => b.docs(`${env}/`).find((d) => d.kind === "ServiceAccount" && d.metadata.name === "ledger-drill");
    expect(clientId(drillSa("prod-west"))).toBe(WEST.drill);
    expect(drillSa("prod-north")).toBeUndefined();
  });

  it("the drills' ServiceAccounts with both clusters' IDs: west's on west, north's on north", () => {
    const b = build(spec());
    const drillSa = (env: string) => b.docs(`${env}/`).find((d) => d.kind === "ServiceAccount" && d.metadata.name === "ledger-drill");
    expect(clientId(drillSa("prod-west"))).toBe(WEST.drill);
    expect(clientId(drillSa("prod-north"))).toBe(NORTH.drill);
  });

  // Lines counted in spec(): the drill on 35, `cluster north {` on 42, its `client-ids` on 45.
  itReportsEach([
    { name: "the standby without client IDs: at cluster north's name", spec: spec(westIds, ""), code: "FIN4086", covers: "north", line: 42 },
    { name: "the standby missing one: at its `client-ids`", spec: spec(westIds, `  client-ids "savings/api" "${NORTH.api}" in prod\n`), code: "FIN4086", covers: `client-ids "savings/api" "${NORTH.api}" in prod`, line: 45 },
    { name: "an entry in an environment the platform does not list", spec: spec(westIds, northIds.replace(`"${NORTH.api}" in prod`, `"${NORTH.api}" in staging`)), code: "FIN4086", covers: "staging", line: 45 },
    { name: "an entry without `in` on a cluster of two multi-cluster environments", spec: spec(westIds, `  client-ids "savings/api" "${NORTH.api}"\n`).replace("environments   prod\n", "environments   prod, staging\n"), code: "FIN4086", covers: `"savings/api" "${NORTH.api}"`, line: 45 },
    { name: "a cluster's `client-ids` off azure: FIN4031", spec: GCP_TWO_CLUSTERS.replace("  role   standby\n", `  role   standby\n  client-ids "wallet/api" "${NORTH.api}" in prod\n`), code: "FIN4031", covers: `client-ids "wallet/api" "${NORTH.api}" in prod`, line: 35 },
    { name: "the standby's drill without its client ID: FIN4103 at the drill", spec: spec(westIds, northIds.replace(`, "savings/ledger-drill" "${NORTH.drill}" in prod`, "")), code: "FIN4103", covers: 'weekly query "select count(*) from entries"', line: 35 },
  ]);
});

describe("which entry a cluster's output takes", () => {
  const other = "c3c3c3c3-0003-4000-8000-00000000000c";
  it("the home cluster's own entry wins over the platform's; an entry without `in` serves the cluster's only multi-cluster environment", () => {
    const b = build(spec(westIds.replace(/\n$/, `, "savings/ledger" "${other}"\n`), northIds));
    expect(clientId(b.yaml("prod-west/savings/cluster-ledger.yaml").spec.serviceAccountTemplate)).toBe(other);
    expect(b.diagnostics.filter((d) => d.code === "FIN4086")).toEqual([]);
  });

  it("an entry `in <env>` wins over one without `in` on the same cluster", () => {
    const b = build(spec(westIds, northIds.replace(/\n$/, `, "savings/api" "${other}"\n`)));
    expect(clientId(b.yaml("prod-north/savings/serviceaccount-api.yaml"))).toBe(NORTH.api);
  });

  it("a single-cluster azure platform keeps the platform's field and description (no `in`)", () => {
    const b = build(spec().replace(/cluster west[\s\S]*$/, ""));
    const field = b.json("terraform/prod/outputs.tf.json").output.client_ids_field;
    expect(field.description).toBe("Paste into the platform (per environment: `platform.client-ids …`) so that finc annotates the ServiceAccounts with azure.workload.identity/client-id.");
    expect(field.value).not.toContain(" in prod");
    expect(clientId(b.yaml("prod/savings/cluster-ledger.yaml").spec.serviceAccountTemplate)).toBe(PRIMARY_LEDGER);
  });
});

describe("both clusters' outputs with their own IDs, as a cluster takes them", () => {
  it.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check with each cluster's needs file: 0 errors", () => {
    const check = installRuntimeCheck();
    const program = compileSources({ "main.fin": spec() });
    const dir = writeBuild(program, buildOutputs(program));
    for (const env of ["prod-west", "prod-north"]) {
      const r = runRuntimeCheck(check, dir, env, true);
      expect(r.summary, `${env}\n${r.findings.join("\n")}`).toMatch(/^runtime-check: 0 errors,/);
    }
  }, 120_000);
});
