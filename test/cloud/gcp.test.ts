import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { module, terraformFiles, type Json } from "../terraform/support.js";
import { GCP_SPEC } from "./specs.js";

type Res = Record<string, Json>;
const program = compileSources({ "main.fin": GCP_SPEC });
const files = terraformFiles(program);
const k8s = buildOutputs(program, { targets: ["kubernetes", "backup"] }).files;
const doc = (path: string): Json => {
  const f = k8s.find((x) => x.path === path);
  if (!f) throw new Error(`missing ${path}`);
  return parseAllDocuments(f.content)[0]!.toJS() as Json;
};
const res = (env: string, type: string): Res => (module(files, env).resource[type] ?? {}) as Res;
const dig = (o: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((x, k) => (x as Record<string | number, unknown> | undefined)?.[k], o);

/** The Google service account email a `google_service_account` block will have: `<account_id>@<project>.iam.gserviceaccount.com`. */
const emailOf = (b: Json) => `${b["account_id"] as string}@${b["project"] as string}.iam.gserviceaccount.com`;
/** The id of the google_service_account whose workload-identity member is the Kubernetes ServiceAccount `<ns>/<sa>` in `project`. */
function gsaFor(env: string, project: string, ns: string, sa: string): string {
  const ids = Object.entries(res(env, "google_service_account_iam_member")).filter(([, b]) => b["member"] === `serviceAccount:${project}.svc.id.goog[${ns}/${sa}]` && b["role"] === "roles/iam.workloadIdentityUser").map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0]!;
}
/** The secrets (project/secret) a Google service account may access. */
const secretsOf = (env: string, id: string) =>
  Object.values(res(env, "google_secret_manager_secret_iam_member")).filter((b) => b["member"] === `serviceAccount:\${google_service_account.${id}.email}`).map((b) => `${b["project"] as string}/${b["secret_id"] as string}`).sort();

describe("gcp: workload identity, Kubernetes and Terraform agree", () => {
  it("compiles cleanly and writes the module files of each environment", () => {
    expect(program.diagnostics).toEqual([]);
    expect([...files.keys()].filter((p) => p.startsWith("terraform/dev/")).sort()).toEqual(
      ["backups", "control-plane", "dns", "identity", "kms", "main", "outputs", "variables"].map((f) => `terraform/dev/${f}.tf.json`),
    );
  });

  it("each service reading Secret Manager gets a Google service account bound to its ServiceAccount only, with secretAccessor on exactly its secrets; its ServiceAccount names that account", () => {
    for (const [env, project] of [["dev", "example-wallet-dev"], ["prod", "example-wallet-prod"]] as const) {
      const id = gsaFor(env, project, "wallet", "api");
      // api: its gsm secret line and its database's credentials; not the vault secret.
      expect(secretsOf(env, id)).toEqual(["example-wallet-secrets/ledger-db", "example-wallet-secrets/stripe"]);
      const sa = doc(`${env}/wallet/serviceaccount-api.yaml`);
      expect(dig(sa, "metadata", "annotations")).toEqual({ "iam.gke.io/gcp-service-account": emailOf(res(env, "google_service_account")[id]!) });
      // scorer reads only Vault: no Google service account, no annotation.
      expect(Object.values(res(env, "google_service_account_iam_member")).some((b) => String(b["member"]).includes("[risk/scorer]"))).toBe(false);
      expect(dig(doc(`${env}/risk/serviceaccount-scorer.yaml`), "metadata", "annotations")).toBeUndefined();
    }
  });

  it("each namespace's SecretStore authenticates as its own ServiceAccount (auth.workloadIdentity) bound to an account reading exactly that namespace's secrets", () => {
    const store = doc("dev/wallet/secretstore-gsm.yaml");
    expect(dig(store, "spec", "provider", "gcpsm")).toEqual({
      projectID: "example-wallet-secrets",
      auth: { workloadIdentity: { clusterName: "wallet-dev", clusterLocation: "europe-west1", clusterProjectID: "example-wallet-dev", serviceAccountRef: { name: "gsm-secret-store" } } },
    });
    const wallet = gsaFor("dev", "example-wallet-dev", "wallet", "gsm-secret-store");
    // wallet: api's secret, the database's credentials, the registry pull secret copied into every namespace.
    expect(secretsOf("dev", wallet)).toEqual(["example-wallet-secrets/ci-registry", "example-wallet-secrets/ledger-db", "example-wallet-secrets/stripe"]);
    const risk = gsaFor("dev", "example-wallet-dev", "risk", "gsm-secret-store");
    expect(secretsOf("dev", risk)).toEqual(["example-wallet-secrets/ci-registry"]);
    expect(dig(doc("dev/risk/serviceaccount-gsm-secret-store.yaml"), "metadata", "annotations")).toEqual({ "iam.gke.io/gcp-service-account": emailOf(res("dev", "google_service_account")[risk]!) });
    // Every Google service account ID is valid: 6–30 characters, lower-case, starting with a letter.
    for (const env of ["dev", "prod"]) for (const b of Object.values(res(env, "google_service_account"))) expect(b["account_id"]).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
  });

  it("Cloud KMS: dev creates a ring and a rotated key in the primary region, prod uses its existing key; both as the StorageClasses' disk-encryption-kms-key, with the service agents allowed", () => {
    expect(res("dev", "google_kms_key_ring")["platform"]).toEqual({ project: "example-wallet-dev", name: "wallet-dev", location: "europe-west1" });
    expect(res("dev", "google_kms_crypto_key")["platform"]).toMatchObject({ name: "volumes", purpose: "ENCRYPT_DECRYPT", rotation_period: "7776000s" });
    expect(dig(doc("dev/_cluster/storageclass-finc-fast.yaml"), "parameters")).toEqual({ type: "pd-ssd", "disk-encryption-kms-key": "projects/example-wallet-dev/locations/europe-west1/keyRings/wallet-dev/cryptoKeys/volumes" });
    const prodKey = "projects/example-wallet-prod/locations/europe-west1/keyRings/wallet/cryptoKeys/volumes";
    expect(res("prod", "google_kms_key_ring")).toEqual({});
    expect(dig(doc("prod/_cluster/storageclass-finc-fast.yaml"), "parameters", "disk-encryption-kms-key")).toBe(prodKey);
    const members = Object.values(res("prod", "google_kms_crypto_key_iam_member"));
    expect(members.map((m) => m["crypto_key_id"])).toEqual([prodKey, prodKey, prodKey]);
    expect(members.map((m) => String(m["member"])).sort()).toEqual([
      "${data.google_storage_project_service_account.this.member}",
      "serviceAccount:service-${data.google_project.this.number}@compute-system.iam.gserviceaccount.com",
      "serviceAccount:service-${data.google_project.this.number}@container-engine-robot.iam.gserviceaccount.com",
    ]);
  });

  it("backups: a dual-region (replicate to) bucket with uniform access, no public access, versioning, CMEK and expiry a day after keep; CloudNativePG archives there with Workload Identity under its namespace only", () => {
    const bucket = res("dev", "google_storage_bucket")["backups"]!;
    expect(bucket).toMatchObject({
      location: "EU", custom_placement_config: [{ data_locations: ["EUROPE-WEST1", "EUROPE-WEST4"] }], uniform_bucket_level_access: true, public_access_prevention: "enforced",
      versioning: [{ enabled: true }], encryption: [{ default_kms_key_name: "${google_kms_crypto_key.platform.id}" }],
    });
    expect(dig(bucket, "lifecycle_rule", 0)).toEqual({ condition: [{ age: 36, matches_prefix: ["backups/"] }], action: [{ type: "Delete" }] });
    const cluster = doc("dev/wallet/cluster-ledger-db.yaml");
    expect(dig(cluster, "spec", "backup", "barmanObjectStore", "destinationPath")).toBe(`gs://${bucket["name"] as string}/postgres/wallet`);
    expect(dig(cluster, "spec", "backup", "barmanObjectStore", "googleCredentials")).toEqual({ gkeEnvironment: true });
    const id = gsaFor("dev", "example-wallet-dev", "wallet", "ledger-db");
    expect(dig(cluster, "spec", "serviceAccountTemplate", "metadata", "annotations")).toEqual({ "iam.gke.io/gcp-service-account": emailOf(res("dev", "google_service_account")[id]!) });
    const grant = res("dev", "google_storage_bucket_iam_member")[id]!;
    expect(grant["member"]).toBe(`serviceAccount:\${google_service_account.${id}.email}`);
    expect(dig(grant, "condition", 0, "expression")).toBe(`resource.name == "projects/_/buckets/${bucket["name"] as string}" || resource.name.startsWith("projects/_/buckets/${bucket["name"] as string}/objects/postgres/wallet/")`);
  });

  it("Cloud DNS: a zone for the exposed host's domain that external-dns may edit; the GKE cluster is checked for Secrets encryption with the platform key", () => {
    expect(Object.values(res("dev", "google_dns_managed_zone")).map((z) => z["dns_name"])).toEqual(["wallet.example.com."]);
    const data = dig(module(files, "dev").data, "google_container_cluster", "this") as Json;
    expect(data).toMatchObject({ name: "wallet-dev", location: "europe-west1", project: "example-wallet-dev" });
    expect(dig(data, "lifecycle", 0, "postcondition", 0, "condition")).toBe('${self.database_encryption[0].state == "ENCRYPTED" && self.database_encryption[0].key_name == google_kms_crypto_key.platform.id}');
    expect(dig(module(files, "dev").output, "gke_cluster_settings", "value", "workload_identity_config", "workload_pool")).toBe("example-wallet-dev.svc.id.goog");
    // Audit log retention only under pci-dss.
    expect(res("dev", "google_logging_project_sink")).toEqual({});
  });

  it("under pci-dss the GKE audit logs go to a log bucket kept 365 days (PCI DSS 10.5.1)", () => {
    const pci = compileSources({ "main.fin": GCP_SPEC.replace("mesh         none", "mesh         istio sidecar cni\n  compliance   pci-dss") });
    expect(pci.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const m = module(terraformFiles(pci), "prod");
    expect(dig(m.resource, "google_logging_project_bucket_config", "gke_audit", "retention_days")).toBe(365);
    expect(dig(m.resource, "google_logging_project_sink", "gke_audit", "filter")).toBe('logName:"cloudaudit.googleapis.com" AND resource.type="k8s_cluster" AND resource.labels.cluster_name="wallet-prod"');
  });
});
