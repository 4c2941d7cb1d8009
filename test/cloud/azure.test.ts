import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { module, terraformFiles, type Json } from "../terraform/support.js";
import { AZURE_SPEC } from "./specs.js";

type Res = Record<string, Json>;
const program = compileSources({ "main.fin": AZURE_SPEC });
const files = terraformFiles(program);
const k8s = buildOutputs(program, { targets: ["kubernetes", "backup"] }).files;
const doc = (path: string): Json => {
  const f = k8s.find((x) => x.path === path);
  if (!f) throw new Error(`missing ${path}`);
  return parseAllDocuments(f.content)[0]!.toJS() as Json;
};
const res = (env: string, type: string): Res => (module(files, env).resource[type] ?? {}) as Res;
const dig = (o: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((x, k) => (x as Record<string | number, unknown> | undefined)?.[k], o);
const SUB = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";

/** The managed identity whose federated credential trusts exactly the Kubernetes ServiceAccount `<ns>/<sa>`. */
function identityFor(env: string, ns: string, sa: string): string {
  const ids = Object.entries(res(env, "azurerm_federated_identity_credential")).filter(([, b]) => b["subject"] === `system:serviceaccount:${ns}:${sa}`).map(([id]) => id);
  expect(ids).toHaveLength(1);
  const cred = res(env, "azurerm_federated_identity_credential")[ids[0]!]!;
  expect(cred).toMatchObject({ audience: ["api://AzureADTokenExchange"], user_assigned_identity_id: `\${azurerm_user_assigned_identity.${ids[0]}.id}` });
  return ids[0]!;
}
/** The Key Vault secrets (vault/secret) an identity may read: its Key Vault Secrets User assignments, each scoped to one secret. */
const secretsOf = (env: string, id: string) =>
  Object.values(res(env, "azurerm_role_assignment"))
    .filter((b) => b["principal_id"] === `\${azurerm_user_assigned_identity.${id}.principal_id}` && b["role_definition_name"] === "Key Vault Secrets User")
    .map((b) => String(b["scope"]).replace(/^\$\{data\.azurerm_key_vault\.([a-z0-9_-]+)\.id\}\/secrets\//, "$1/"))
    .sort();

describe("azure: workload identity, Kubernetes and Terraform agree", () => {
  it("compiles cleanly; the OIDC issuer is the AKS cluster's", () => {
    expect(program.diagnostics).toEqual([]);
    for (const cred of Object.values(res("dev", "azurerm_federated_identity_credential"))) expect(cred["issuer"]).toBe("${data.azurerm_kubernetes_cluster.this.oidc_issuer_url}");
    expect(dig(module(files, "prod").data, "azurerm_kubernetes_cluster", "this")).toMatchObject({ name: "savings-prod", resource_group_name: "savings-prod" });
  });

  it("a service reading Key Vault gets a managed identity federated to its ServiceAccount only, reading exactly its secrets; the ServiceAccount and pods carry its client ID and the webhook label", () => {
    for (const [env, clientId] of [["dev", "11111111-1111-4111-8111-111111111111"], ["prod", "44444444-4444-4444-8444-444444444444"]] as const) {
      const id = identityFor(env, "savings", "api");
      expect(secretsOf(env, id)).toEqual(["savings-kv/ledger-db", "savings-kv/rates"]);
      expect(dig(doc(`${env}/savings/serviceaccount-api.yaml`), "metadata", "annotations")).toEqual({ "azure.workload.identity/client-id": clientId, "azure.workload.identity/tenant-id": "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d" });
      expect(dig(doc(`${env}/savings/deployment-api.yaml`), "spec", "template", "metadata", "labels", "azure.workload.identity/use")).toBe("true");
      // batch reads nothing from Azure: no identity, no annotation, no label.
      expect(dig(doc(`${env}/savings/serviceaccount-batch.yaml`), "metadata", "annotations")).toBeUndefined();
      expect(dig(doc(`${env}/savings/deployment-batch.yaml`), "spec", "template", "metadata", "labels", "azure.workload.identity/use")).toBeUndefined();
    }
    // The terraform output names the same ServiceAccounts the platform's client-ids must list.
    expect(Object.keys(dig(module(files, "dev").output, "workload_client_ids", "value") as Json).sort()).toEqual(["savings/api", "savings/kv-secret-store", "savings/ledger-db"]);
  });

  it("the namespace's SecretStore uses Azure Workload Identity as its own ServiceAccount, whose identity reads exactly the namespace's secrets", () => {
    expect(dig(doc("dev/savings/secretstore-kv.yaml"), "spec", "provider", "azurekv")).toEqual({
      vaultUrl: "https://savings-kv.vault.azure.net", authType: "WorkloadIdentity", serviceAccountRef: { name: "kv-secret-store" }, tenantId: "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d",
    });
    expect(dig(doc("dev/savings/serviceaccount-kv-secret-store.yaml"), "metadata", "annotations", "azure.workload.identity/client-id")).toBe("22222222-2222-4222-8222-222222222222");
    expect(secretsOf("dev", identityFor("dev", "savings", "kv-secret-store"))).toEqual(["savings-kv/ledger-db", "savings-kv/rates"]);
  });

  it("the Key Vault key (created with a rotation policy in dev, existing in prod) encrypts disks through a disk encryption set the StorageClasses name", () => {
    expect(res("dev", "azurerm_key_vault_key")["platform"]).toMatchObject({ name: "volumes", key_type: "RSA", key_size: 2048, rotation_policy: [{ automatic: [{ time_before_expiry: "P30D" }], expire_after: "P365D" }] });
    expect(res("prod", "azurerm_key_vault_key")).toEqual({});
    expect(dig(module(files, "prod").data, "azurerm_key_vault_key", "platform")).toEqual({ name: "volumes", key_vault_id: "${data.azurerm_key_vault.kms.id}" });
    for (const [env, rg] of [["dev", "savings-dev"], ["prod", "savings-prod"]] as const) {
      const des = res(env, "azurerm_disk_encryption_set")["platform"]!;
      expect(des).toMatchObject({ resource_group_name: rg, auto_key_rotation_enabled: true, identity: [{ type: "SystemAssigned" }] });
      expect(dig(doc(`${env}/_cluster/storageclass-finc-fast.yaml`), "parameters")).toEqual({
        skuName: "Premium_LRS",
        diskEncryptionSetID: `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Compute/diskEncryptionSets/${des["name"] as string}`,
      });
    }
  });

  it("backups: a GZRS (replicate to) storage account without shared keys, versioned, CMK; CloudNativePG archives to its container with Azure AD, only below its namespace", () => {
    const account = res("dev", "azurerm_storage_account")["backups"]!;
    expect(account).toMatchObject({ account_replication_type: "GZRS", shared_access_key_enabled: false, min_tls_version: "TLS1_2", allow_nested_items_to_be_public: false, blob_properties: [{ versioning_enabled: true }] });
    expect(dig(account, "customer_managed_key", 0, "key_vault_key_id")).toBe("${azurerm_key_vault_key.platform.versionless_id}");
    expect(String(account["name"])).toMatch(/^[a-z0-9]{3,24}$/);
    const cluster = doc("dev/savings/cluster-ledger-db.yaml");
    expect(dig(cluster, "spec", "backup", "barmanObjectStore", "destinationPath")).toBe(`https://${account["name"] as string}.blob.core.windows.net/backups/postgres/savings`);
    expect(dig(cluster, "spec", "backup", "barmanObjectStore", "azureCredentials")).toEqual({ inheritFromAzureAD: true });
    expect(dig(cluster, "spec", "inheritedMetadata", "labels", "azure.workload.identity/use")).toBe("true");
    expect(dig(cluster, "spec", "serviceAccountTemplate", "metadata", "annotations", "azure.workload.identity/client-id")).toBe("33333333-3333-4333-8333-333333333333");
    const id = identityFor("dev", "savings", "ledger-db");
    const grant = Object.values(res("dev", "azurerm_role_assignment")).find((b) => b["principal_id"] === `\${azurerm_user_assigned_identity.${id}.principal_id}`)!;
    expect(grant).toMatchObject({ scope: "${azurerm_storage_container.backups.id}", role_definition_name: "Storage Blob Data Contributor", condition_version: "2.0" });
    expect(String(grant["condition"])).toContain("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'postgres/savings/'");
  });

  it("Azure DNS for the exposed host's domain; the AKS cluster is checked for its OIDC issuer and KMS etcd encryption with the platform key", () => {
    expect(Object.values(res("dev", "azurerm_dns_zone")).map((z) => z["name"])).toEqual(["savings.example.com"]);
    const post = dig(module(files, "dev").data, "azurerm_kubernetes_cluster", "this", "lifecycle", 0, "postcondition") as Json[];
    expect(post.map((p) => p["condition"])).toEqual([
      "${self.oidc_issuer_enabled}",
      "${length(self.key_management_service) > 0 && startswith(self.key_management_service[0].key_vault_key_id, azurerm_key_vault_key.platform.versionless_id)}",
    ]);
    const pci = compileSources({ "main.fin": AZURE_SPEC.replace("mesh           none", "mesh           istio sidecar cni\n  compliance     pci-dss") });
    expect(pci.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const m = module(terraformFiles(pci), "dev");
    expect(dig(m.resource, "azurerm_monitor_diagnostic_setting", "aks_audit", "enabled_log")).toEqual([{ category: "kube-audit" }, { category: "guard" }]);
    expect(dig(m.resource, "azurerm_log_analytics_workspace", "aks_audit", "retention_in_days")).toBe(365);
  });

  it("without client-ids nothing is annotated (the client ID is Azure's) and FIN4086 names the ServiceAccounts", () => {
    const spec = AZURE_SPEC.replace(/  client-ids[^]*?333333333333"\n/, "").replace(/  platform\.client-ids[^]*?666666666666"\n/, "");
    const p = compileSources({ "main.fin": spec });
    expect(p.diagnostics.map((d) => d.code)).toEqual(["FIN4086", "FIN4086"]);
    expect(p.diagnostics[0]!.message).toContain("savings/api, savings/kv-secret-store, savings/ledger-db");
    expect(diagnosticsOf({ "main.fin": spec })[0]!.text).toBe("cloud          azure");
    const out = buildOutputs(p, { targets: ["kubernetes"] }).files;
    expect(out.some((f) => f.content.includes("azure.workload.identity"))).toBe(false);
  });
});
