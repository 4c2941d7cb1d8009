import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf, itReportsEach } from "../helpers/compile.js";
import { AZURE_TWO_CLUSTERS as AZURE, GCP_TWO_CLUSTERS as GCP } from "./gcp-azure-specs.js";

/**
 * `replicate to` with a primary and a standby `cluster` on gcp and azure (issue 14 item 1): the
 * standby runs the database as a CloudNativePG replica Cluster recovering from the primary's
 * archive where that cloud keeps it in the standby's region, and its Terraform root gives the
 * replica's own identity read access there. Expectations are written from the specs below.
 */
type Json = Record<string, any>;
const build = (spec: string) => {
  const program = compileSources({ "main.fin": spec });
  const out = buildOutputs(program, { targets: ["kubernetes", "backup", "terraform"] });
  const file = (path: string) => {
    const f = out.files.find((x) => x.path === path);
    if (!f) throw new Error(`no ${path} among ${out.files.filter((x) => x.path.includes("terraform") || x.path.includes("cluster-")).map((x) => x.path).join(", ")}`);
    return f.content;
  };
  return {
    program,
    out,
    yaml: (path: string) => parseYaml(file(path)) as Json,
    json: (path: string) => JSON.parse(file(path)) as Json,
    has: (path: string) => out.files.some((x) => x.path === path),
    errors: () => [...program.diagnostics, ...out.diagnostics].filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`),
  };
};

describe("gcp: the standby runs the replicated database as a replica of the primary's dual-region bucket", () => {
  const b = build(GCP);

  it("checks clean and builds prod once per cluster", () => {
    expect(b.errors()).toEqual([]);
    expect(b.program.checked.environments).toEqual(["prod-west", "prod-north"]);
  });

  it("the standby's Cluster recovers from gs://<the primary cluster's bucket> with GKE Workload Identity, and archives to its own bucket", () => {
    const standby = b.yaml("prod-north/wallet/cluster-ledger.yaml");
    expect(standby.metadata.name).toBe("ledger");
    expect(standby.spec.replica).toEqual({ enabled: true, source: "ledger-west" });
    expect(standby.spec.bootstrap).toEqual({ recovery: { source: "ledger-west" } });
    expect(standby.spec.externalClusters).toEqual([{
      name: "ledger-west",
      barmanObjectStore: {
        // The primary cluster's (wallet-west) bucket: dual-region, so the same name reads in europe-west4.
        destinationPath: "gs://wallet-west-backups-example-wallet/postgres/wallet",
        googleCredentials: { gkeEnvironment: true },
        serverName: "ledger",
        wal: { maxParallel: 8 },
      },
    }]);
    expect(standby.spec.backup.barmanObjectStore.destinationPath).toBe("gs://wallet-north-backups-example-wallet/postgres/wallet");
    expect(standby.spec.serviceAccountTemplate.metadata.annotations["iam.gke.io/gcp-service-account"]).toMatch(/^wallet-north-wallet-ledger@example-wallet\.iam\.gserviceaccount\.com$/);

    const primary = b.yaml("prod-west/wallet/cluster-ledger.yaml");
    expect(primary.spec.replica).toBeUndefined();
    expect(primary.spec.backup.barmanObjectStore.destinationPath).toBe("gs://wallet-west-backups-example-wallet/postgres/wallet");
  });

  it("Terraform: the primary's bucket is dual-region over both regions; the standby's Cluster identity may only read its prefix there", () => {
    const bucket = b.json("terraform/prod-west/backups.tf.json").resource.google_storage_bucket.backups;
    expect(bucket.name).toBe("wallet-west-backups-example-wallet");
    expect(bucket.location).toBe("EU");
    expect(bucket.custom_placement_config).toEqual([{ data_locations: ["EUROPE-WEST1", "EUROPE-WEST4"] }]);
    expect(b.has("terraform/prod-west/standby-sources.tf.json")).toBe(false);

    const grants = b.json("terraform/prod-north/standby-sources.tf.json").resource.google_storage_bucket_iam_member;
    expect(Object.keys(grants)).toEqual(["postgres__wallet__ledger_source"]);
    const g = grants.postgres__wallet__ledger_source;
    expect(g.bucket).toBe("wallet-west-backups-example-wallet");
    expect(g.role).toBe("roles/storage.objectViewer");
    expect(g.member).toBe("serviceAccount:${google_service_account.postgres__wallet__ledger.email}");
    expect(g.condition[0].expression).toBe('resource.name == "projects/_/buckets/wallet-west-backups-example-wallet" || resource.name.startsWith("projects/_/buckets/wallet-west-backups-example-wallet/objects/postgres/wallet/")');
    // The member is the standby root's own Google service account of the Cluster (bound to wallet/ledger).
    const identity = b.json("terraform/prod-north/identity.tf.json").resource;
    expect(identity.google_service_account.postgres__wallet__ledger.account_id).toBe("wallet-north-wallet-ledger");
    expect(identity.google_service_account_iam_member.postgres__wallet__ledger.member).toBe("serviceAccount:example-wallet.svc.id.goog[wallet/ledger]");
  });
});

describe("azure: the standby runs the replicated database from the primary account's RA-GZRS secondary endpoint", () => {
  const b = build(AZURE);
  const primaryPath = () => b.yaml("prod-west/savings/cluster-ledger.yaml").spec.backup.barmanObjectStore.destinationPath as string;

  it("checks clean", () => {
    expect(b.errors()).toEqual([]);
    expect(b.program.checked.environments).toEqual(["prod-west", "prod-north"]);
  });

  it("the standby's Cluster reads https://<primary account>-secondary.blob.core.windows.net/backups/postgres/<ns> with Azure AD workload identity", () => {
    const account = /^https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/backups\/postgres\/savings$/.exec(primaryPath())?.[1];
    expect(account).toMatch(/^savingswestbk[0-9a-f]{8}$/);
    const standby = b.yaml("prod-north/savings/cluster-ledger.yaml");
    expect(standby.spec.replica).toEqual({ enabled: true, source: "ledger-west" });
    expect(standby.spec.externalClusters).toEqual([{
      name: "ledger-west",
      barmanObjectStore: {
        destinationPath: `https://${account}-secondary.blob.core.windows.net/backups/postgres/savings`,
        azureCredentials: { inheritFromAzureAD: true },
        serverName: "ledger",
        wal: { maxParallel: 8 },
      },
    }]);
    // Its own archive: its own cluster's account in northeurope, never the one it recovers from.
    expect(standby.spec.backup.barmanObjectStore.destinationPath).toMatch(/^https:\/\/savingsnorthbk[0-9a-f]{8}\.blob\.core\.windows\.net\/backups\/postgres\/savings$/);
  });

  it("Terraform: the primary's account is RA-GZRS (its secondary is readable); the standby's identity gets Storage Blob Data Reader on the primary's container, on its prefix only", () => {
    const account = /^https:\/\/([a-z0-9]+)\./.exec(primaryPath())![1]!;
    const sa = b.json("terraform/prod-west/backups.tf.json").resource.azurerm_storage_account.backups;
    expect(sa.name).toBe(account);
    expect(sa.account_replication_type).toBe("RAGZRS");
    expect(sa.location).toBe("westeurope");

    const grants = b.json("terraform/prod-north/standby-sources.tf.json").resource.azurerm_role_assignment;
    expect(Object.keys(grants)).toEqual(["postgres__savings__ledger_source"]);
    const g = grants.postgres__savings__ledger_source;
    expect(g.scope).toBe(`/subscriptions/6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f/resourceGroups/savings/providers/Microsoft.Storage/storageAccounts/${account}/blobServices/default/containers/backups`);
    expect(g.role_definition_name).toBe("Storage Blob Data Reader");
    expect(g.principal_id).toBe("${azurerm_user_assigned_identity.postgres__savings__ledger.principal_id}");
    expect(g.condition).toBe("((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'postgres/savings/'))");
    // The principal is the standby root's managed identity of the Cluster, federated to savings/ledger.
    const identity = b.json("terraform/prod-north/identity.tf.json").resource;
    expect(identity.azurerm_federated_identity_credential.postgres__savings__ledger.subject).toBe("system:serviceaccount:savings:ledger");
    // The standby's own account is zone-redundant only: nothing reads it from another region until it is promoted.
    expect(b.json("terraform/prod-north/backups.tf.json").resource.azurerm_storage_account.backups.account_replication_type).toBe("ZRS");
  });

  it("a single-cluster azure platform keeps GZRS (no standby reads the secondary)", () => {
    const single = build(AZURE.replace(/cluster west[\s\S]*$/, ""));
    expect(single.json("terraform/prod/backups.tf.json").resource.azurerm_storage_account.backups.account_replication_type).toBe("GZRS");
  });
});

describe("recovery objectives count on the gcp/azure archive and its geo-replication", () => {
  const withObjective = (spec: string, objective: string) => spec.replace("  backup      every 6h keep 35d\n", `  backup      every 6h keep 35d\n  recovery    ${objective}\n`);
  const codes = (spec: string) => compileSources({ "main.fin": spec }).diagnostics.filter((d) => ["FIN4068", "FIN4069", "FIN4083"].includes(d.code));

  it("a region loss: the archive (every 5 min) plus 15 min of geo-replication meets rpo 20m, promoting the standby rto 10m", () => {
    for (const spec of [GCP, AZURE]) expect(codes(withObjective(spec, "rpo 20m rto 10m")).map((d) => d.message)).toEqual([]);
  });

  it("FIN4083 on gcp/azure too: an RTO only promoting the replica meets, with no cluster in the replica's region", () => {
    for (const spec of [GCP, AZURE]) {
      const lone = withObjective(spec, "rpo 20m rto 10m").replace(/cluster north \{[\s\S]*?\n\}\n/, "");
      expect(codes(lone).map((d) => d.code)).toEqual(["FIN4083"]);
    }
  });

  it("an RPO below the archive plus the copy is still reported, naming the cloud's replication", () => {
    const [gcp] = codes(withObjective(GCP, "rpo 15m rto 10m"));
    expect(gcp!.code).toBe("FIN4068");
    expect(gcp!.message).toContain("GCS turbo replication");
    expect(gcp!.hint).toContain("travels through GCS turbo replication");
    expect(gcp!.hint).not.toContain("S3");
    const [azure] = codes(withObjective(AZURE, "rpo 15m rto 10m"));
    expect(azure!.message).toContain("Azure geo-replication");
  });
});

const WEST4 = `cluster west {\n  region europe-west1\n  role   primary\n}\ncluster north {\n  region europe-west4\n  role   standby\n}\n`;

describe("replica checks per cloud", () => {
  itReportsEach([
    {
      name: "gcp: replicate to another continent (no dual-region bucket can hold both)",
      spec: GCP.replace("regions      europe-west1 primary, europe-west4", "regions      europe-west1 primary, us-central1").replace("replicate   to europe-west4", "replicate   to us-central1").replace("region europe-west4", "region us-central1"),
      code: "FIN4100",
      covers: "replicate   to us-central1",
      line: 26,
    },
    {
      name: "azure: replicate to a region that is not the primary's pair",
      spec: AZURE.replace("westeurope primary, northeurope", "westeurope primary, francecentral").replace("replicate   to northeurope", "replicate   to francecentral").replace("region northeurope", "region francecentral"),
      code: "FIN4100",
      covers: "replicate   to francecentral",
      line: 29,
    },
    {
      name: "azure standby without the resource group: no storage account to read",
      spec: AZURE.replace('  resource-group "savings"\n', ""),
      code: "FIN4082",
      covers: "replicate   to northeurope",
      line: 28,
    },
  ]);

  it("says what to write", () => {
    const far = diagnosticsOf({ "main.fin": AZURE.replace("westeurope primary, northeurope", "westeurope primary, francecentral").replace("replicate   to northeurope", "replicate   to francecentral").replace("region northeurope", "region francecentral") });
    expect(far.filter((d) => d.code === "FIN4100")).toHaveLength(1);
    const p = compileSources({ "main.fin": AZURE.replace("westeurope primary, northeurope", "westeurope primary, francecentral").replace("replicate   to northeurope", "replicate   to francecentral").replace("region northeurope", "region francecentral") });
    const d = p.diagnostics.find((x) => x.code === "FIN4100")!;
    expect(d.message).toContain("paired region, northeurope, not to francecentral");
    expect(d.hint).toContain("`replicate to northeurope`");
  });

  it("the well-formed gcp and azure fixtures report no FIN4082/FIN4100, with or without clusters (replicate then only geo-replicates the backups)", () => {
    for (const spec of [GCP, AZURE, GCP.replace(WEST4, "")]) expect(diagnosticsOf({ "main.fin": spec }).filter((d) => d.code === "FIN4082" || d.code === "FIN4100")).toEqual([]);
  });
});
