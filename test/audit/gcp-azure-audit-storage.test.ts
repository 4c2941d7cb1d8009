import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { AZURE_TWO_CLUSTERS } from "../multi-cluster/gcp-azure-specs.js";

/**
 * Write-once audit storage off AWS (issue 13 item 4 follow-up): on gcp a Cloud Logging sink into a
 * GCS bucket with a LOCKED retention policy (the services' `audit-log` entries and the GKE API
 * audit log); on azure, under pci-dss, the AKS API audit log into containers with a LOCKED
 * immutability policy. Expectations are computed by hand from the specs.
 */
const GCP = `platform wallet {
  cloud        gcp
  regions      europe-west1 primary
  environments prod
  mesh         none
  ingress      nginx
  account      "example-wallet"
  cluster      "wallet"
  kms          "wallet/volumes"
}
namespace wallet {}
namespace risk {}
service api {
  namespace wallet
  image     "registry.example.com/wallet/api:1.0.0"
  port      http 8080
  audit-log stdout retain 13 months hot 3 months
}
service scorer {
  namespace risk
  image     "registry.example.com/risk/scorer:1.0.0"
  port      http 8080
  audit-log stdout retain 12 months hot 4 months
}
`;

type Json = Record<string, any>;
const build = (spec: string) => {
  const program = compileSources({ "main.fin": spec });
  const out = buildOutputs(program, { targets: ["kubernetes", "audit", "terraform"] });
  return {
    diagnostics: [...program.diagnostics, ...out.diagnostics],
    paths: out.files.map((f) => f.path),
    json: (path: string): Json => {
      const f = out.files.find((x) => x.path === path);
      if (!f) throw new Error(`no ${path}`);
      return JSON.parse(f.content) as Json;
    },
  };
};

describe("gcp: audit records go through a Cloud Logging sink into a locked GCS bucket", () => {
  const b = build(GCP);
  const tf = () => b.json("terraform/prod/audit-logs.tf.json");

  it("accepts audit-log on gcp with a project (no FIN4095) and ships nothing through Fluent Bit (GKE's agent collects stdout)", () => {
    expect(b.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(b.paths.filter((p) => p.startsWith("helm/fluent-bit/"))).toEqual([]);
  });

  it("the bucket: regional, uniform access, no public access, CMEK, retention locked for the longest retain (13 × 31 days), ARCHIVE after the longest hot", () => {
    const bucket = tf().resource.google_storage_bucket.audit_logs;
    expect(bucket.name).toBe("wallet-audit-example-wallet");
    expect(bucket.project).toBe("example-wallet");
    expect(bucket.location).toBe("EUROPE-WEST1");
    expect(bucket.uniform_bucket_level_access).toBe(true);
    expect(bucket.public_access_prevention).toBe("enforced");
    expect(bucket.force_destroy).toBe(false);
    expect(bucket.retention_policy).toEqual([{ is_locked: true, retention_period: 13 * 31 * 86_400 }]);
    expect(bucket.encryption).toEqual([{ default_kms_key_name: "${google_kms_crypto_key.platform.id}" }]);
    expect(bucket.lifecycle_rule).toEqual([
      { condition: [{ age: 4 * 31 }], action: [{ type: "SetStorageClass", storage_class: "ARCHIVE" }] },
      { condition: [{ age: 13 * 31 }], action: [{ type: "Delete" }] },
    ]);
    // No database backups here: the audit file grants Cloud Storage's service agent the key itself, before the bucket uses it.
    expect(tf().resource.google_kms_crypto_key_iam_member.audit_logs).toEqual({
      crypto_key_id: "${google_kms_crypto_key.platform.id}",
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: "${data.google_storage_project_service_account.audit_logs.member}",
    });
    expect(bucket.depends_on).toEqual(["google_kms_crypto_key_iam_member.audit_logs"]);
  });

  it("the sink: both services' audit entries in the cluster, and the GKE API audit log; its own writer identity may only create objects", () => {
    const sink = tf().resource.google_logging_project_sink.audit_logs;
    expect(sink.destination).toBe("storage.googleapis.com/${google_storage_bucket.audit_logs.name}");
    expect(sink.unique_writer_identity).toBe(true);
    expect(sink.filter).toBe(
      '(resource.type="k8s_container" AND resource.labels.cluster_name="wallet" AND jsonPayload.audit=true AND ' +
        '((resource.labels.namespace_name="risk" AND resource.labels.container_name="scorer") OR (resource.labels.namespace_name="wallet" AND resource.labels.container_name="api")))' +
        ' OR (resource.type="k8s_cluster" AND resource.labels.cluster_name="wallet" AND logName:"cloudaudit.googleapis.com")',
    );
    expect(tf().resource.google_storage_bucket_iam_member.audit_logs_writer).toEqual({
      bucket: "${google_storage_bucket.audit_logs.name}",
      role: "roles/storage.objectCreator",
      member: "${google_logging_project_sink.audit_logs.writer_identity}",
    });
  });

  it("without a cluster the sink takes the audited containers of the whole project, and no API audit log", () => {
    const filter = build(GCP.replace('  cluster      "wallet"\n', "")).json("terraform/prod/audit-logs.tf.json").resource.google_logging_project_sink.audit_logs.filter;
    expect(filter).not.toContain("cluster_name");
    expect(filter).not.toContain("cloudaudit");
  });
});

describe('"FIN4095" off AWS: refused where no write-once storage can be made, saying what to add', () => {
  const fin4095 = (spec: string) => compileSources({ "main.fin": spec }).diagnostics.filter((d) => d.code === "FIN4095");

  it("gcp without a project names the `account` to add", () => {
    const [d, ...more] = fin4095(GCP.replace('  account      "example-wallet"\n', "").replace('  kms          "wallet/volumes"\n', ""));
    expect(more).toHaveLength(1); // each audited service, at its own audit-log
    expect(d!.message).toContain("GCP project");
    expect(d!.hint).toContain('`account "<GCP project ID>"`');
  });

  it("azure still refuses a service's audit stream, with the reason (Fluent Bit's azure_blob output has no workload identity)", () => {
    const spec = AZURE_TWO_CLUSTERS.replace("  secret DATABASE_URL from ledger.url\n", "  secret DATABASE_URL from ledger.url\n  audit-log stdout\n");
    const [d] = fin4095(spec);
    expect(d!.message).toContain("azure_blob output authenticates only with shared keys or SAS");
  });
});

describe("azure under pci-dss: the AKS API audit log in containers with a locked immutability policy", () => {
  const pci = AZURE_TWO_CLUSTERS.replace("  mesh           none", "  mesh           istio sidecar cni\n  compliance     pci-dss").replace(/cluster west[\s\S]*$/, "");
  const b = build(pci);
  const tf = () => b.json("terraform/prod/audit-logs.tf.json").resource;

  it("a storage account in the cluster's region, Entra ID only, that Terraform will not destroy", () => {
    const sa = tf().azurerm_storage_account.audit_logs;
    expect(sa.name).toMatch(/^savingsau[0-9a-f]{8}$/);
    expect(sa.location).toBe("westeurope");
    expect(sa.resource_group_name).toBe("savings");
    expect(sa.shared_access_key_enabled).toBe(false);
    expect(sa.min_tls_version).toBe("TLS1_2");
    expect(sa.lifecycle).toEqual([{ prevent_destroy: true }]);
  });

  it("the containers Azure Monitor writes (insights-logs-<category>) exist first, each locked for 365 days, appends only", () => {
    expect(Object.values(tf().azurerm_storage_container).map((c: any) => c.name).sort()).toEqual(["insights-logs-guard", "insights-logs-kube-audit"]);
    expect(Object.keys(tf().azurerm_storage_container_immutability_policy).sort()).toEqual(Object.keys(tf().azurerm_storage_container).sort());
    for (const [id, policy] of Object.entries(tf().azurerm_storage_container_immutability_policy as Json)) {
      expect(policy).toEqual({ storage_container_resource_manager_id: `\${azurerm_storage_container.${id}.id}`, immutability_period_in_days: 365, protected_append_writes_enabled: true, locked: true });
    }
    const setting = tf().azurerm_monitor_diagnostic_setting.aks_audit_archive;
    expect(setting.target_resource_id).toBe("${data.azurerm_kubernetes_cluster.this.id}");
    expect(setting.storage_account_id).toBe("${azurerm_storage_account.audit_logs.id}");
    expect(setting.enabled_log).toEqual([{ category: "kube-audit" }, { category: "guard" }]);
    expect([...setting.depends_on].sort()).toEqual(Object.keys(tf().azurerm_storage_container_immutability_policy).map((id) => `azurerm_storage_container_immutability_policy.${id}`).sort());
  });

  it("nothing without pci-dss", () => {
    expect(build(AZURE_TWO_CLUSTERS.replace(/cluster west[\s\S]*$/, "")).paths).not.toContain("terraform/prod/audit-logs.tf.json");
  });
});
