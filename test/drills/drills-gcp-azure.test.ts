import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { DRILL_SCRIPT } from "../../compiler/emit/drills/script.js";
import { needsOf } from "../../compiler/emit/needs/index.js";
import { compileSources, itReportsEach } from "../helpers/compile.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";
import { scanText } from "../secrets/scanner.js";
import { module, terraformFiles, type Json } from "../terraform/support.js";

type Obj = Record<string, any>;

const SUB = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
const TENANT = "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d";
const CLUSTER_ID = "1d2c3b4a-0003-4000-8000-000000000003";
const DRILL_ID = "1d2c3b4a-0004-4000-8000-000000000004";

const GCP = '  cloud        gcp\n  regions      europe-west1 primary\n  account      "example-wallet-prod"\n  cluster      "w-prod"\n  monitoring   prometheus\n';
const AZURE = (clientIds = `  client-ids   "fin/ledger" "${CLUSTER_ID}", "fin/ledger-drill" "${DRILL_ID}"\n`) =>
  `  cloud          azure\n  regions        westeurope primary\n  account        "${SUB}"\n  tenant         "${TENANT}"\n  resource-group "fin-prod"\n  cluster        "fin-prod"\n  monitoring     prometheus\n${clientIds}`;
const DRILL = '  backup      every 1h keep 30d\n  drill       weekly query "select count(*) from entries"\n';

/** One platform on `cloud`, one database `ledger` in namespace `fin` (Vault for its credentials: no cloud secret identities to mix in). */
function spec(platform: string, db = DRILL, namespace = "fin"): string {
  return `platform fin {
${platform}  environments prod
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace ${namespace} {}
database ledger {
  namespace   ${namespace}
  storage     20Gi fast
  credentials from vault "fin/ledger"
${db}}
`;
}

function built(text: string) {
  const program = compileSources({ "main.fin": text });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = buildOutputs(program);
  const docs = out.files.filter((f) => f.path.startsWith("prod/")).map((f) => ({ path: f.path, o: parseYaml(f.content) as Obj }));
  const find = (kind: string, name: string) => docs.find((d) => d.o.kind === kind && d.o.metadata.name === name)?.o;
  const cron = find("CronJob", "ledger-drill");
  const pod = cron?.spec.jobTemplate.spec.template;
  const env: Record<string, string> = Object.fromEntries((pod?.spec.containers[0].env ?? []).map((e: Obj) => [e.name, e.value]));
  return { program, out, docs, find, cron, pod, env };
}

/**
 * The emitted script run up to PostgreSQL's start, with stubs: barman-cloud-restore records its
 * command line and makes the data directory; pg_ctl fails, so the script stops right after writing
 * the recovery settings (the WAL restore_command among them).
 */
function restoreCommandLines(env: Record<string, string>): { restore: string; restoreCommand: string } {
  const root = mkdtempSync(join(tmpdir(), "finc-drill-args-"));
  const bin = join(root, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "barman-cloud-restore"), `#!/bin/sh\necho "$*" > ${root}/restore.args\neval "mkdir -p \\"\\\${$#}\\""\n`);
  writeFileSync(join(bin, "pg_ctl"), "#!/bin/sh\nexit 1\n");
  for (const f of ["barman-cloud-restore", "pg_ctl"]) chmodSync(join(bin, f), 0o755);
  mkdirSync(join(root, "tmp"));
  const r = spawnSync("sh", ["-c", DRILL_SCRIPT], { encoding: "utf8", env: { PATH: `${bin}:/usr/bin:/bin`, ...env, PGDATA: join(root, "pgdata"), TMPDIR: join(root, "tmp"), HOME: join(root, "tmp") } });
  expect(r.status, r.stdout + r.stderr).not.toBe(0);
  expect(existsSync(join(root, "restore.args")), r.stdout + r.stderr).toBe(true);
  const conf = readFileSync(join(root, "pgdata", "postgresql.auto.conf"), "utf8");
  return { restore: readFileSync(join(root, "restore.args"), "utf8").trim().replace(join(root, "pgdata"), "<PGDATA>"), restoreCommand: /^restore_command = (.*)$/m.exec(conf)![1]! };
}

describe("restore drills on Google Cloud Storage (cloud gcp)", () => {
  const { find, pod, env, program } = built(spec(GCP));
  const bucket = "w-prod-backups-example-wallet-prod";

  it("restores the Cluster's own archive: gs://<the backup bucket>/postgres/<namespace>, its server name, with the GCS provider", () => {
    const cluster = find("Cluster", "ledger")!;
    expect(cluster.spec.backup.barmanObjectStore.destinationPath).toBe(`gs://${bucket}/postgres/fin`);
    expect(env).toMatchObject({ DRILL_PROVIDER: "google-cloud-storage", DRILL_BUCKET: bucket, DRILL_PREFIX: "postgres/fin", DRILL_SERVER: "ledger", DRILL_DATABASE: "ledger", DRILL_QUERY: "select count(*) from entries" });
    expect(env).not.toHaveProperty("DRILL_AZURE_LOGIN");
    expect(env).not.toHaveProperty("DRILL_ACCOUNT_URL");
  });

  it("the script runs barman-cloud-restore and barman-cloud-wal-restore against that path with --cloud-provider google-cloud-storage", () => {
    const lines = restoreCommandLines(env);
    expect(lines.restore).toBe(`--cloud-provider google-cloud-storage gs://${bucket}/postgres/fin ledger latest <PGDATA>`);
    expect(lines.restoreCommand).toBe(`'barman-cloud-wal-restore --cloud-provider google-cloud-storage gs://${bucket}/postgres/fin ledger %f %p'`);
  });

  it("its ServiceAccount is bound to a Google service account of its own (GKE Workload Identity), not the Cluster's", () => {
    expect(find("ServiceAccount", "ledger-drill")!.metadata.annotations).toEqual({ "iam.gke.io/gcp-service-account": "w-prod-fin-ledger-drill@example-wallet-prod.iam.gserviceaccount.com" });
    expect(find("Cluster", "ledger")!.spec.serviceAccountTemplate.metadata.annotations["iam.gke.io/gcp-service-account"]).toBe("w-prod-fin-ledger@example-wallet-prod.iam.gserviceaccount.com");
    expect(pod.spec.serviceAccountName).toBe("ledger-drill");
    expect(pod.metadata.labels).not.toHaveProperty("azure.workload.identity/use");
  });

  it("terraform: that Google service account, usable only by fin/ledger-drill, with objectViewer on the bucket conditioned to postgres/fin/", () => {
    const m = module(terraformFiles(program), "prod");
    const sa = (m.resource["google_service_account"] as Record<string, Obj>)["drill__fin__ledger"]!;
    expect(sa).toMatchObject({ account_id: "w-prod-fin-ledger-drill", project: "example-wallet-prod" });
    expect((m.resource["google_service_account_iam_member"] as Record<string, Obj>)["drill__fin__ledger"]).toEqual({
      service_account_id: "${google_service_account.drill__fin__ledger.name}",
      role: "roles/iam.workloadIdentityUser",
      member: "serviceAccount:example-wallet-prod.svc.id.goog[fin/ledger-drill]",
    });
    const grant = (m.resource["google_storage_bucket_iam_member"] as Record<string, Obj>)["drill__fin__ledger"]!;
    expect(grant.role).toBe("roles/storage.objectViewer");
    expect(grant.member).toBe("serviceAccount:${google_service_account.drill__fin__ledger.email}");
    expect(grant.bucket).toBe("${google_storage_bucket.backups.name}");
    expect(grant.condition[0].expression).toBe(`resource.name == "projects/_/buckets/${bucket}" || resource.name.startsWith("projects/_/buckets/${bucket}/objects/postgres/fin/")`);
    // Nothing else is granted to the drill's identity.
    const grants = Object.entries(m.resource).flatMap(([type, blocks]) => Object.entries(blocks as Record<string, Obj>).filter(([, b]) => JSON.stringify(b).includes("drill__fin__ledger.email")).map(([n]) => `${type}.${n}`));
    expect(grants).toEqual(["google_storage_bucket_iam_member.drill__fin__ledger"]);
    expect((m.output["drill_service_accounts"] as Obj).value).toEqual({ "fin/ledger-drill": "${google_service_account.drill__fin__ledger.email}" });
  });

  it("NetworkPolicy: nothing in; out to public addresses on 443 (storage.googleapis.com) and GKE's metadata server (Workload Identity's tokens)", () => {
    expect(find("NetworkPolicy", "ledger-drill")!.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "ledger-drill" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [
        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] },
        { to: [{ ipBlock: { cidr: "169.254.169.254/32" } }], ports: [{ protocol: "TCP", port: 80 }] },
        { to: [{ ipBlock: { cidr: "169.254.169.252/32" } }], ports: [{ protocol: "TCP", port: 988 }] },
      ],
    });
  });

  it("the needs file: GCS and the metadata server, never the live database", () => {
    const needs = needsOf(program.checked.models.get("prod")!) as { external: Obj[]; denied: Obj[] };
    expect(needs.external.filter((e) => e.from === "fin/ledger-drill")).toEqual([
      { from: "fin/ledger-drill", to: "storage.googleapis.com", port: 443 },
      { from: "fin/ledger-drill", to: "169.254.169.254/32", port: 80 },
    ]);
    expect(needs.denied).toContainEqual({ from: "fin/ledger-drill", to: "fin/ledger" });
  });
});

describe("restore drills on Azure Blob (cloud azure)", () => {
  const { find, pod, env, program } = built(spec(AZURE()));

  it("restores the Cluster's own archive: https://<account>.blob.core.windows.net/backups/postgres/<namespace>, with managed-identity credentials", () => {
    const cluster = find("Cluster", "ledger")!;
    const destination: string = cluster.spec.backup.barmanObjectStore.destinationPath;
    expect(destination).toMatch(/^https:\/\/finprodbk[0-9a-f]{8}\.blob\.core\.windows\.net\/backups\/postgres\/fin$/);
    expect(cluster.spec.backup.barmanObjectStore.azureCredentials).toEqual({ inheritFromAzureAD: true });
    expect(env).toMatchObject({ DRILL_PROVIDER: "azure-blob-storage", DRILL_AZURE_LOGIN: "managed-identity", DRILL_BUCKET: "backups", DRILL_PREFIX: "postgres/fin", DRILL_SERVER: "ledger" });
    expect(`${env.DRILL_ACCOUNT_URL}/${env.DRILL_BUCKET}/${env.DRILL_PREFIX}`).toBe(destination);
    // The storage account the terraform target creates.
    const m = module(terraformFiles(program), "prod");
    expect(env.DRILL_ACCOUNT_URL).toBe(`https://${(m.resource["azurerm_storage_account"] as Record<string, Obj>)["backups"]!.name}.blob.core.windows.net`);
  });

  it("the script runs barman-cloud with --cloud-provider azure-blob-storage --credential managed-identity (as CloudNativePG does for inheritFromAzureAD)", () => {
    const lines = restoreCommandLines(env);
    const url = `${env.DRILL_ACCOUNT_URL}/backups/postgres/fin`;
    expect(url).toMatch(/^https:\/\/finprodbk[0-9a-f]{8}\.blob\.core\.windows\.net\/backups\/postgres\/fin$/);
    expect(lines.restore).toBe(`--cloud-provider azure-blob-storage --credential managed-identity ${url} ledger latest <PGDATA>`);
    expect(lines.restoreCommand).toBe(`'barman-cloud-wal-restore --cloud-provider azure-blob-storage --credential managed-identity ${url} ledger %f %p'`);
  });

  it("Azure Workload Identity: its ServiceAccount carries its own client ID and the tenant, its pods the webhook's label", () => {
    expect(find("ServiceAccount", "ledger-drill")!.metadata.annotations).toEqual({ "azure.workload.identity/client-id": DRILL_ID, "azure.workload.identity/tenant-id": TENANT });
    expect(pod.metadata.labels["azure.workload.identity/use"]).toBe("true");
    expect(pod.spec.automountServiceAccountToken).toBe(false);
  });

  it("terraform: a managed identity federated to fin/ledger-drill only, Storage Blob Data Reader on the container for postgres/fin/ only, its client ID in client_ids_field", () => {
    const m = module(terraformFiles(program), "prod");
    expect((m.resource["azurerm_user_assigned_identity"] as Record<string, Obj>)["drill__fin__ledger"]).toMatchObject({ name: "fin-prod-fin-ledger-drill", resource_group_name: "fin-prod", location: "westeurope" });
    expect((m.resource["azurerm_federated_identity_credential"] as Record<string, Obj>)["drill__fin__ledger"]).toMatchObject({ subject: "system:serviceaccount:fin:ledger-drill", user_assigned_identity_id: "${azurerm_user_assigned_identity.drill__fin__ledger.id}" });
    const grant = (m.resource["azurerm_role_assignment"] as Record<string, Obj>)["drill__fin__ledger"]!;
    const read = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
    const blobs = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
    expect(grant).toMatchObject({
      scope: "${azurerm_storage_container.backups.id}",
      role_definition_name: "Storage Blob Data Reader",
      principal_id: "${azurerm_user_assigned_identity.drill__fin__ledger.principal_id}",
      principal_type: "ServicePrincipal",
      condition_version: "2.0",
      condition: `((!(ActionMatches{'${read}'} AND NOT SubOperationMatches{'Blob.List'})) OR (@Resource[${blobs}:path] StringStartsWith 'postgres/fin/')) AND ((!(ActionMatches{'${read}'} AND SubOperationMatches{'Blob.List'})) OR (@Request[${blobs}:prefix] StringStartsWith 'postgres/fin/'))`,
    });
    const grants = Object.entries(m.resource["azurerm_role_assignment"] as Record<string, Obj>).filter(([, b]) => String(b.principal_id).includes("drill__fin__ledger")).map(([n]) => n);
    expect(grants).toEqual(["drill__fin__ledger"]);
    expect((m.output["workload_client_ids"] as Obj).value["fin/ledger-drill"]).toBe("${azurerm_user_assigned_identity.drill__fin__ledger.client_id}");
    expect((m.output["client_ids_field"] as Obj).value).toContain('"fin/ledger-drill" "${azurerm_user_assigned_identity.drill__fin__ledger.client_id}"');
  });

  it("NetworkPolicy: nothing in; out to public addresses on 443 only (the Blob endpoint, Entra ID)", () => {
    expect(find("NetworkPolicy", "ledger-drill")!.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] },
    ]);
  });

  it("the needs file: Blob storage (as `egress azure storage` names it) and login.microsoftonline.com", () => {
    const needs = needsOf(program.checked.models.get("prod")!) as { external: Obj[] };
    expect(needs.external.filter((e) => e.from === "fin/ledger-drill")).toEqual([
      { from: "fin/ledger-drill", to: "*.blob.core.windows.net", port: 443 },
      { from: "fin/ledger-drill", to: "login.microsoftonline.com", port: 443 },
    ]);
  });

  it("before terraform apply (no client IDs yet): FIN4103 (a warning) names what to paste, no drill is emitted, and terraform creates its identity", () => {
    const program = compileSources({ "main.fin": spec(AZURE(`  client-ids   "fin/ledger" "${CLUSTER_ID}"\n`)) });
    const warnings = program.diagnostics.filter((d) => d.code === "FIN4103");
    expect(warnings.map((d) => [d.severity, d.message, d.hint])).toEqual([[
      "warning",
      "The drill of 'ledger' is not built yet: the managed identity of fin/ledger-drill has no client ID in the platform's `client-ids` yet (Azure picks it when the terraform target creates the identity).",
      'Apply the terraform target, then paste its output `client_ids_field` into the platform (per environment: `platform.client-ids …`); it carries "fin/ledger-drill".',
    ]]);
    expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const out = buildOutputs(program);
    expect(out.files.filter((f) => f.path.includes("ledger-drill"))).toEqual([]);
    const m = module(terraformFiles(program), "prod");
    expect((m.resource["azurerm_user_assigned_identity"] as Record<string, Obj>)["drill__fin__ledger"]).toBeDefined();
    expect((m.output["client_ids_field"] as Obj).value).toContain('"fin/ledger-drill"');
  });

  it("with neither client ID, FIN4103 names both and says the backups are volume snapshots meanwhile", () => {
    const d = compileSources({ "main.fin": spec(AZURE("")) }).diagnostics.find((x) => x.code === "FIN4103")!;
    expect(d.message).toBe("The drill of 'ledger' is not built yet: the managed identities of fin/ledger and fin/ledger-drill have no client ID in the platform's `client-ids` yet (Azure picks it when the terraform target creates the identity), and until then the Cluster's backups are volume snapshots.");
  });
});

describe("FIN4077: a drill where finc creates no object store, FIN4103: Azure before its client IDs", () => {
  itReportsEach([
    { name: "on cloud onprem", spec: spec('  cloud        onprem\n  storage-provisioner "csi.vsphere.vmware.com"\n'), code: "FIN4077", covers: 'weekly query "select count(*) from entries"', line: 16 },
    { name: "on gcp without cluster (the Workload Identity binding)", spec: spec('  cloud        gcp\n  regions      europe-west1 primary\n  account      "example-wallet-prod"\n'), code: "FIN4077", covers: 'weekly query "select count(*) from entries"', line: 17 },
    { name: "on azure without resource-group", spec: spec(`  cloud        azure\n  regions      westeurope primary\n  account      "${SUB}"\n`), code: "FIN4077", covers: 'weekly query "select count(*) from entries"', line: 17 },
    { name: "on azure without the drill's client ID", spec: spec(AZURE(`  client-ids   "fin/ledger" "${CLUSTER_ID}"\n`)), code: "FIN4103", covers: 'weekly query "select count(*) from entries"', line: 22 },
    { name: "a CloudNativePG minimal image (no barman-cloud) on the drilled database", spec: spec(GCP, `  image       "ghcr.io/cloudnative-pg/postgresql:16.10-minimal-trixie"\n${DRILL}`), code: "FIN4078", covers: '"ghcr.io/cloudnative-pg/postgresql:16.10-minimal-trixie"', line: 18 },
  ]);

  it("FIN4078 says which images have barman-cloud; the system tag and other registries' images pass", () => {
    const fin4078 = (image: string) => compileSources({ "main.fin": spec(GCP, `  image       "${image}"\n${DRILL}`) }).diagnostics.filter((x) => x.code === "FIN4078");
    const [d] = fin4078("ghcr.io/cloudnative-pg/postgresql:16.10-standard-bookworm");
    expect(d?.message).toBe("The drill of 'ledger' cannot succeed: its image 'ghcr.io/cloudnative-pg/postgresql:16.10-standard-bookworm' is CloudNativePG's standard image, which has no barman-cloud (those images leave it to the Barman Cloud plugin), and the drill runs barman-cloud-restore in the database's image.");
    expect(d?.hint).toBe('Use the image with barman-cloud: its `system` tag, e.g. `image "ghcr.io/cloudnative-pg/postgresql:16"` (or a copy of it in your registry).');
    expect(fin4078("ghcr.io/cloudnative-pg/postgresql:16.10-system-trixie")).toEqual([]);
    expect(fin4078("ghcr.io/cloudnative-pg/postgresql:16.10")).toEqual([]);
  });

  it("each says what is missing and what to add, per cloud", () => {
    const message = (platform: string) => compileSources({ "main.fin": spec(platform) }).diagnostics.find((x) => x.code === "FIN4077")!;
    const onprem = message('  cloud        onprem\n  storage-provisioner "csi.vsphere.vmware.com"\n');
    expect(onprem.message).toBe("The database 'ledger' cannot be drilled: on `cloud onprem` finc creates no object store: its backups are volume snapshots, with no base backup and WAL archive to restore from.");
    const gcp = message('  cloud        gcp\n  regions      europe-west1 primary\n  account      "example-wallet-prod"\n');
    expect(gcp.message).toContain("on `cloud gcp` CloudNativePG archives to the GCS backup bucket only with the platform's `cluster`");
    expect(gcp.hint).toBe('Add `cluster "<GKE cluster>"` to the platform.');
    const azure = message(`  cloud        azure\n  regions      westeurope primary\n  account      "${SUB}"\n`);
    expect(azure.hint).toBe('Add `account "<subscription id>"` and `resource-group "<name>"` to the platform.');
  });
});

describe("drills on gcp and azure: every document validates, and runtime-check finds no error", () => {
  it.skipIf(!schemasAvailable)("CronJob, ServiceAccount, NetworkPolicy, PrometheusRule on each cloud", () => {
    for (const platform of [GCP, AZURE()]) {
      const { docs } = built(spec(platform));
      const mine = docs.filter((d) => d.o.metadata.name === "ledger-drill");
      expect(mine.map((d) => d.o.kind).sort()).toEqual(["CronJob", "NetworkPolicy", "PrometheusRule", "ServiceAccount"]);
      for (const d of mine) expect(validateManifest(d.o), d.path).toEqual([]);
    }
  });

  it.skipIf(!RUNTIME_CHECK_PRESENT)("gcp and azure fixtures with their needs files: 0 errors, and the drill's egress is among the allowed needs", () => {
    const check = installRuntimeCheck();
    for (const platform of [GCP, AZURE()]) {
      const { program, out } = built(spec(platform));
      const dir = writeBuild(program, out);
      const r = runRuntimeCheck(check, dir, "prod", true);
      expect(r.summary, r.findings.join("\n")).toMatch(/^runtime-check: 0 errors,/);
      // The one drill finding: the live database's pods are the operator's (no pod template to check the denial against).
      expect(r.findings.filter((f) => f.includes("ledger-drill"))).toEqual(["WARN Needs/fin/denied fin/ledger-drill->fin/ledger: cannot resolve fin/ledger in fin"]);
    }
  }, 180_000);
});

describe("the secret scanner and the drill's names", () => {
  it("an alert name of whole PascalCase words is not a token; the Azure account reaches the drill only inside its endpoint URL", () => {
    expect(scanText("x", "  - alert: SavingsDbDrillNotSucceeded")).toEqual([]);
    // Still found: mixed case with digits, and random case.
    expect(scanText("x", "key: wJalrXUtnFEMI7MDENGbPxRfiCY").map((f) => f.rule)).toEqual(["high-entropy"]);
    expect(scanText("x", "key: QwErTyUiOpAsDfGhJkLzXcVbNm").map((f) => f.rule)).toEqual(["high-entropy"]);
    const { out } = built(spec(AZURE()));
    const cron = out.files.find((f) => f.path === "prod/fin/cronjob-ledger-drill.yaml")!;
    expect(scanText(cron.path, cron.content)).toEqual([]);
  });
});
