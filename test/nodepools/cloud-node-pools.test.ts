import { describe, expect, it } from "vitest";
import { azureVmShape, gcpMachineShape } from "../../compiler/model/cloud-node-pools.js";
import { installAssumptionsFor } from "../../compiler/model/install-assumptions.js";
import { AZURE_POOLS_AND_BUDGETS, GCP_POOLS_AND_BUDGETS } from "./cloud-pool-specs.js";
import { compileSources, diagnosticsOf, itReportsEach } from "../helpers/compile.js";
import { module, terraformFiles, type Json } from "../terraform/support.js";

type Obj = Record<string, any>;

/** A GKE platform (project, cluster, Cloud KMS key) with the given extra declarations. */
const gcp = (extra: string, platform = "") => `platform wallet {
  cloud        gcp
  regions      europe-west1 primary
  environments prod
  account      "example-wallet"
  cluster      "wallet-prod"
  kms          "wallet/volumes"
${platform}}
namespace wallet {}
namespace cards {}
${extra}`;

/** An AKS platform (subscription, resource group, cluster, Key Vault key). */
const azure = (extra: string, platform = "") => `platform savings {
  cloud          azure
  regions        westeurope primary
  environments   prod
  account        "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
  tenant         "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
  resource-group "savings-prod"
  cluster        "savings-prod"
  kms            "savings-kv/volumes"
${platform}}
namespace savings {}
namespace cards {}
${extra}`;

const POOLS = (ns: string) => `nodepool spot {
  capacity       spot
  instance-types "TYPE"
  limit          cpu 64, memory 200Gi
}
nodepool cde {
  taint      pci
  namespaces ${ns}
  zones      ZONES
}
`;

function tfModule(spec: string): ReturnType<typeof module> {
  const program = compileSources({ "main.fin": spec });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return module(terraformFiles(program), "prod");
}
const resource = (m: ReturnType<typeof module>, type: string, name: string): Obj => (m.resource[type] as Json)[name] as Obj;

describe("GKE node pools (cloud gcp)", () => {
  const m = tfModule(gcp(POOLS("cards").replace("TYPE", "e2-standard-8").replace("ZONES", '"europe-west1-b", "europe-west1-c"')));

  it("a spot pool: Spot VMs, the GKE spot taint, autoscaled 0..what the limit holds, shielded, GKE metadata server, CMEK boot disk", () => {
    expect(resource(m, "google_container_node_pool", "spot")).toEqual({
      project: "example-wallet",
      name: "spot",
      cluster: "wallet-prod",
      location: "europe-west1",
      // e2-standard-8 = 8 vCPUs, 32 GiB: cpu 64 holds 8 nodes, memory 200Gi holds 6.
      autoscaling: [{ total_min_node_count: 0, total_max_node_count: 6, location_policy: "ANY" }],
      management: [{ auto_repair: true, auto_upgrade: true }],
      upgrade_settings: [{ strategy: "SURGE", max_surge: 1, max_unavailable: 0 }],
      node_config: [{
        machine_type: "e2-standard-8",
        spot: true,
        image_type: "COS_CONTAINERD",
        disk_type: "pd-balanced",
        disk_size_gb: 50,
        boot_disk_kms_key: "${google_kms_crypto_key.platform.id}",
        service_account: "${google_service_account.gke_nodes.email}",
        oauth_scopes: ["https://www.googleapis.com/auth/cloud-platform"],
        metadata: { "disable-legacy-endpoints": "true" },
        shielded_instance_config: [{ enable_secure_boot: true, enable_integrity_monitoring: true }],
        workload_metadata_config: [{ mode: "GKE_METADATA" }],
        labels: { "finc.dev/nodepool": "spot" },
        taint: [{ key: "cloud.google.com/gke-spot", value: "true", effect: "NO_SCHEDULE" }],
        resource_labels: { "finc-nodepool": "spot" },
      }],
      depends_on: ["google_kms_crypto_key_iam_member.disks", "google_project_iam_member.gke_nodes"],
    });
  });

  it("a pci pool: on-demand, the pci taint and label, its zones, the default machine type and node cap", () => {
    const pool = resource(m, "google_container_node_pool", "cde");
    expect(pool["node_locations"]).toEqual(["europe-west1-b", "europe-west1-c"]);
    expect(pool["autoscaling"]).toEqual([{ total_min_node_count: 0, total_max_node_count: 10, location_policy: "BALANCED" }]);
    const config = pool["node_config"][0];
    expect(config.spot).toBeUndefined();
    expect(config.machine_type).toBe("e2-standard-4");
    expect(config.taint).toEqual([{ key: "finc.dev/pci-dss", value: "true", effect: "NO_SCHEDULE" }]);
    expect(config.labels).toEqual({ "finc.dev/nodepool": "cde", "finc.dev/pci-dss": "true" });
  });

  it("the nodes run as their own service account with GKE's minimal node role, not the Compute Engine default", () => {
    expect(resource(m, "google_service_account", "gke_nodes")).toMatchObject({ project: "example-wallet", account_id: "wallet-prod-gke-nodes" });
    expect(resource(m, "google_project_iam_member", "gke_nodes")).toEqual({ project: "example-wallet", role: "roles/container.defaultNodeServiceAccount", member: "serviceAccount:${google_service_account.gke_nodes.email}" });
  });

  it("no pool, no node-pools file; on aws the pools stay Karpenter's (no terraform node pools)", () => {
    const files = terraformFiles(compileSources({ "main.fin": gcp("") }));
    expect([...files.keys()].filter((f) => f.endsWith("node-pools.tf.json"))).toEqual([]);
  });
});

describe("AKS node pools (cloud azure)", () => {
  const m = tfModule(azure(POOLS("cards").replace("TYPE", "Standard_D8s_v5").replace("ZONES", '"1", "2"')));

  it("a spot pool: Spot priority deleting evicted VMs at most at the on-demand price, AKS's own spot taint and label, autoscaled, host encryption", () => {
    expect(resource(m, "azurerm_kubernetes_cluster_node_pool", "spot")).toEqual({
      name: "spot",
      kubernetes_cluster_id: "${data.azurerm_kubernetes_cluster.this.id}",
      mode: "User",
      vm_size: "Standard_D8s_v5",
      auto_scaling_enabled: true,
      min_count: 0,
      // Standard_D8s_v5 = 8 vCPUs, 32 GiB: memory 200Gi holds 6.
      max_count: 6,
      zones: ["1", "2", "3"],
      os_type: "Linux",
      os_sku: "AzureLinux",
      os_disk_type: "Managed",
      host_encryption_enabled: true,
      priority: "Spot",
      eviction_policy: "Delete",
      spot_max_price: -1,
      node_labels: { "finc.dev/nodepool": "spot", "kubernetes.azure.com/scalesetpriority": "spot" },
      node_taints: ["kubernetes.azure.com/scalesetpriority=spot:NoSchedule"],
      tags: { "app.kubernetes.io/managed-by": "finc", "app.kubernetes.io/part-of": "savings", "finc.dev/environment": "prod", "finc.dev/nodepool": "spot" },
      lifecycle: [{ precondition: [{ condition: "${data.azurerm_kubernetes_cluster.this.disk_encryption_set_id == azurerm_disk_encryption_set.platform.id}", error_message: expect.stringContaining("disk encryption set") }] }],
    });
  });

  it("a pci pool: regular priority, the pci taint and label, its zones", () => {
    const pool = resource(m, "azurerm_kubernetes_cluster_node_pool", "cde");
    expect(pool["priority"]).toBeUndefined();
    expect(pool["zones"]).toEqual(["1", "2"]);
    expect(pool["vm_size"]).toBe("Standard_D4s_v5");
    expect(pool["node_taints"]).toEqual(["finc.dev/pci-dss=true:NoSchedule"]);
    expect(pool["node_labels"]).toEqual({ "finc.dev/nodepool": "cde", "finc.dev/pci-dss": "true" });
  });

  it("finc build names the subscription's EncryptionAtHost feature as a requirement of AKS pools", () => {
    const rows = (spec: string) => installAssumptionsFor([compileSources({ "main.fin": spec }).checked.models.get("prod")!]).filter((r) => r.startsWith("Azure encryption at host"));
    expect(rows(azure("nodepool apps {\n  capacity on-demand\n}\n"))).toEqual([expect.stringContaining("EncryptionAtHost")]);
    expect(rows(azure(""))).toEqual([]);
  });

  it("without a platform key there is no disk encryption set to require", () => {
    const plain = tfModule(azure("nodepool general {\n  capacity on-demand\n}\n").replace('  kms            "savings-kv/volumes"\n', ""));
    expect(resource(plain, "azurerm_kubernetes_cluster_node_pool", "general")["lifecycle"]).toBeUndefined();
  });
});

describe("the specs provider-schema.test.ts checks against the providers' documented arguments", () => {
  it("compile without errors and write every pool and budget", () => {
    const g = tfModule(GCP_POOLS_AND_BUDGETS.replace("environments dev, prod", "environments prod"));
    expect(Object.keys(g.resource["google_container_node_pool"] as Json).sort()).toEqual(["cde", "spot"]);
    expect(Object.keys(g.resource["google_billing_budget"] as Json).sort()).toEqual(["namespace__risk", "platform"]);
    const a = tfModule(AZURE_POOLS_AND_BUDGETS.replace("environments   dev, prod", "environments   prod"));
    expect(resource(a, "azurerm_kubernetes_cluster_node_pool", "cde")).toMatchObject({ priority: "Spot", zones: ["1", "2"], node_taints: ["kubernetes.azure.com/scalesetpriority=spot:NoSchedule", "finc.dev/pci-dss=true:NoSchedule"] });
    expect(Object.keys(a.resource["azurerm_consumption_budget_subscription"] as Json)).toEqual(["platform"]);
  });
});

describe("machine sizes the node counts are computed from", () => {
  it("Compute Engine types", () => {
    expect(gcpMachineShape("e2-standard-4")).toEqual({ vcpus: 4, memoryGiB: 16 });
    expect(gcpMachineShape("n2-highmem-8")).toEqual({ vcpus: 8, memoryGiB: 64 });
    expect(gcpMachineShape("c3-highcpu-22")).toEqual({ vcpus: 22, memoryGiB: 44 });
    expect(gcpMachineShape("n2-custom-6-24576")).toEqual({ vcpus: 6, memoryGiB: 24 });
    expect(gcpMachineShape("e2-medium")).toEqual({ vcpus: 2, memoryGiB: 4 });
    expect(gcpMachineShape("a3-megagpu-8g")).toBeUndefined();
  });
  it("Azure VM sizes", () => {
    expect(azureVmShape("Standard_D4s_v5")).toEqual({ vcpus: 4, memoryGiB: 16 });
    expect(azureVmShape("Standard_E16ads_v5")).toEqual({ vcpus: 16, memoryGiB: 128 });
    expect(azureVmShape("Standard_F8s_v2")).toEqual({ vcpus: 8 }); // F v2: 2 GiB/vCPU is not fixed before v3
    expect(azureVmShape("Standard_B2ms")).toEqual({ vcpus: 2 });
  });
});

describe("node pool diagnostics on gcp, azure and onprem", () => {
  const onprem = `platform p {\n  cloud onprem\n  regions dc1\n  environments prod\n  storage-provisioner "csi.vsphere.vmware.com"\n}\nnamespace apps {}\nnodepool spot {\n  capacity spot\n}\n`;
  itReportsEach([
    { name: "a pool on onprem: nothing creates nodes on demand", spec: onprem, code: "FIN4073", covers: "capacity spot", line: 9 },
    { name: "gcp: two machine types for one GKE pool", spec: gcp('nodepool spot {\n  capacity spot\n  instance-types "e2-standard-4", "e2-standard-8"\n}\n'), code: "FIN4096", covers: 'instance-types "e2-standard-4", "e2-standard-8"', line: 13 },
    { name: "gcp: an EC2 type on GKE", spec: gcp('nodepool spot {\n  instance-types "m6i.large"\n}\n'), code: "FIN4096", covers: 'instance-types "m6i.large"', line: 12 },
    { name: "gcp: a zone outside the platform's regions", spec: gcp('nodepool spot {\n  zones "us-east1-b"\n}\n'), code: "FIN4096", covers: 'zones "us-east1-b"', line: 12 },
    { name: "gcp: a limit of less than one node", spec: gcp('nodepool big {\n  instance-types "n2-standard-32"\n  limit cpu 16\n}\n'), code: "FIN4096", covers: "limit cpu 16", line: 13 },
    { name: "gcp: a memory limit for a machine whose memory finc cannot tell", spec: gcp('nodepool gpu {\n  instance-types "a3-megagpu-8g"\n  limit memory 800Gi\n}\n'), code: "FIN4096", covers: "limit memory 800Gi", line: 13 },
    { name: "gcp: expire has no GKE meaning (warning)", spec: gcp("nodepool spot {\n  capacity spot\n  expire 168h\n}\n"), code: "FIN4096", covers: "expire 168h", line: 13 },
    { name: "gcp: consolidate has no GKE meaning (warning)", spec: gcp("nodepool spot {\n  consolidate when-empty\n}\n"), code: "FIN4096", covers: "consolidate when-empty", line: 12 },
    { name: "gcp: no cluster to put the pool in", spec: gcp("nodepool spot {\n  capacity spot\n}\n").replace('  cluster      "wallet-prod"\n', ""), code: "FIN4096", covers: "capacity spot", line: 11 },
    { name: "azure: an AKS pool name longer than 12 characters", spec: azure("nodepool batchworkloads {\n  capacity spot\n}\n"), code: "FIN4096", covers: "nodepool batchworkloads {\n  capacity spot\n}", line: 13 },
    { name: "azure: zones are numbers", spec: azure('nodepool spot {\n  zones "westeurope-1"\n}\n'), code: "FIN4096", covers: 'zones "westeurope-1"', line: 14 },
    { name: "azure: no resource group to create the pool in", spec: azure("nodepool spot {\n  capacity spot\n}\n").replace('  resource-group "savings-prod"\n', ""), code: "FIN4096", covers: "capacity spot", line: 13 },
    { name: "aws: a GKE machine type on Karpenter", spec: `platform p {\n  cloud aws\n  regions eu-west-1\n  environments prod\n}\nnamespace apps {}\nnodepool spot {\n  instance-types "e2-standard-4"\n}\n`, code: "FIN4096", covers: 'instance-types "e2-standard-4"', line: 8 },
  ]);

  it("expire and consolidate are warnings (ignored), the rest errors", () => {
    const program = compileSources({ "main.fin": gcp("nodepool spot {\n  capacity spot\n  expire 168h\n  consolidate when-empty\n}\n") });
    expect(program.diagnostics.filter((d) => d.code === "FIN4096").map((d) => d.severity)).toEqual(["warning", "warning"]);
  });

  it("a valid pool is clean on gcp and azure (no FIN4073 any more)", () => {
    const codes = (spec: string) => diagnosticsOf({ "main.fin": spec }).map((d) => d.code).filter((c) => c === "FIN4073" || c === "FIN4096");
    expect(codes(gcp(POOLS("cards").replace("TYPE", "e2-standard-8").replace("ZONES", '"europe-west1-b"')))).toEqual([]);
    expect(codes(azure(POOLS("cards").replace("TYPE", "Standard_D8s_v5").replace("ZONES", '"1"')))).toEqual([]);
  });

  const svc = (ns: string) => `service batch {\n  namespace ${ns}\n  image "r.io/batch:1.0.0"\n  port 8080\n  tier batch\n  spot yes\n}\n`;
  for (const [cloud, spec] of [["gcp", gcp], ["azure", azure]] as const) {
    const ns = cloud === "gcp" ? "wallet" : "savings";
    it(`${cloud}: a spot yes workload needs a spot pool it can land on (FIN4072), a spot pool satisfies it`, () => {
      const codes = (s: string) => diagnosticsOf({ "main.fin": s }).map((d) => d.code);
      expect(codes(spec("nodepool general {\n  capacity on-demand\n}\n" + svc(ns)))).toContain("FIN4072");
      expect(codes(spec("nodepool spot {\n  capacity spot\n}\n" + svc(ns)))).not.toContain("FIN4072");
      // In PCI scope, only a spot pool tainted pci will do.
      expect(codes(spec("nodepool spot {\n  capacity spot\n}\nnodepool cde {\n  taint pci\n  namespaces cards\n}\n" + svc("cards")))).toContain("FIN4072");
    });
  }
});
