import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";
import { module, terraformFiles, type Json } from "../terraform/support.js";
import { build, find, type Doc } from "./helpers.js";

const platform = (extra = "", regions = "eu-west-1 primary, eu-central-1") => `platform p {
  cloud        aws
  regions      ${regions}
  account      "123456789012"
  cluster      "p-eks"
  environments dev, prod
  monitoring   prometheus
${extra}}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
`;
const ledger = (extra = "", engine = "postgres 16") => `database ledger {
  engine      ${engine}
  instances   3
  storage     50Gi fast
  credentials from vault "apps/ledger"
  backup      every 6h keep 30d
${extra}}
`;
const SPEC = platform() + ledger("  replicate   to eu-central-1\n");
const PRIMARY_BUCKET = "p-eks-backups-123456789012";
const REPLICA_BUCKET = "p-eks-backups-eu-central-1-123456789012";

const regionAffinity = (c: Doc) => c.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;

describe("replicate to <region>: a CloudNativePG replica cluster in that region", () => {
  const { docs, diagnostics } = build(SPEC, "prod");

  it("compiles without diagnostics", () => expect(diagnostics).toEqual([]));

  it("is a second Cluster <db>-<region>, in replica mode from the primary, bootstrapped by recovery from the primary's archive", () => {
    const r = find(docs, "Cluster", "ledger-eu-central-1");
    expect(r.metadata.namespace).toBe("apps");
    expect(r.spec.replica).toEqual({ enabled: true, source: "ledger" });
    expect(r.spec.bootstrap).toEqual({ recovery: { source: "ledger" } });
    expect(r.spec.instances).toBe(3);
    expect(r.spec.imageName).toBe(find(docs, "Cluster", "ledger").spec.imageName);
    // The primary's WAL and base backups, as S3 replication copies them into the replica's region (terraform's replica bucket).
    expect(r.spec.externalClusters).toEqual([{
      name: "ledger",
      barmanObjectStore: expect.objectContaining({ destinationPath: `s3://${REPLICA_BUCKET}/postgres/apps`, serverName: "ledger", s3Credentials: { inheritFromIAMRole: true } }),
    }]);
  });

  it("takes its own backups into its region's bucket, under its own name (never into the primary's archive)", () => {
    const r = find(docs, "Cluster", "ledger-eu-central-1");
    expect(r.spec.backup.barmanObjectStore.destinationPath).toBe(`s3://${REPLICA_BUCKET}/postgres/apps`);
    expect(r.spec.backup.barmanObjectStore.serverName ?? r.metadata.name).toBe("ledger-eu-central-1");
    expect(r.spec.backup.retentionPolicy).toBe("30d");
    const sb = find(docs, "ScheduledBackup", "ledger-eu-central-1");
    expect(sb.spec).toMatchObject({ cluster: { name: "ledger-eu-central-1" }, method: "barmanObjectStore" });
    expect(find(docs, "Cluster", "ledger").spec.backup.barmanObjectStore.destinationPath).toBe(`s3://${PRIMARY_BUCKET}/postgres/apps`);
  });

  it("runs on the replica region's nodes only; the primary on the primary region's", () => {
    expect(regionAffinity(find(docs, "Cluster", "ledger-eu-central-1"))).toEqual([{ matchExpressions: [{ key: "topology.kubernetes.io/region", operator: "In", values: ["eu-central-1"] }] }]);
    expect(regionAffinity(find(docs, "Cluster", "ledger"))).toEqual([{ matchExpressions: [{ key: "topology.kubernetes.io/region", operator: "In", values: ["eu-west-1"] }] }]);
  });

  it("has its own IRSA role (annotated), NetworkPolicy and PodMonitor", () => {
    const r = find(docs, "Cluster", "ledger-eu-central-1");
    expect(r.spec.serviceAccountTemplate.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::123456789012:role/p-eks-apps-ledger-eu-central-1");
    expect(find(docs, "NetworkPolicy", "ledger-eu-central-1-cnpg").spec.podSelector).toEqual({ matchLabels: { "cnpg.io/cluster": "ledger-eu-central-1" } });
    expect(find(docs, "PodMonitor", "ledger-eu-central-1").spec.selector.matchLabels["cnpg.io/cluster"]).toBe("ledger-eu-central-1");
  });

  it.skipIf(!schemasAvailable)("validates against the CloudNativePG schemas", () => {
    for (const d of docs.filter((x) => x.metadata.name.startsWith("ledger-eu-central-1"))) expect(validateManifest(d), `${d.kind}/${d.metadata.name}`).toEqual([]);
  });

  it("terraform: the replica's role reads and writes postgres/<ns>/ of the bucket in its region, with that bucket's key", () => {
    const m = module(terraformFiles(compileSources({ "main.fin": SPEC.replace('  cluster      "p-eks"\n', '  cluster      "p-eks"\n  kms          "alias/p"\n') })), "dev");
    const role = (m.resource["aws_iam_role"] as Json)["postgres__apps__ledger-eu-central-1"] as Json;
    expect(role["name"]).toBe("p-eks-apps-ledger-eu-central-1");
    const st = ((m.data["aws_iam_policy_document"] as Json)["postgres__apps__ledger-eu-central-1_permissions"] as { statement: { sid: string; resources: string[] }[] }).statement;
    expect(Object.fromEntries(st.map((s) => [s.sid, s.resources]))).toEqual({
      ArchiveObjects: ["${aws_s3_bucket.replica__eu_central_1.arn}/postgres/apps/*"],
      ArchiveListing: ["${aws_s3_bucket.replica__eu_central_1.arn}"],
      BackupKey: ["${aws_kms_key.replica__eu_central_1.arn}"],
    });
    expect(((m.resource["aws_s3_bucket"] as Json)["replica__eu_central_1"] as Json)["bucket"]).toBe("p-eks-backups-eu-central-1-${data.aws_caller_identity.current.account_id}".replace("${data.aws_caller_identity.current.account_id}", "123456789012"));
  });

  it("without `replicate` there is one Cluster and the primary keeps the residency-only placement", () => {
    const one = build(platform() + ledger(), "prod").docs;
    expect(one.filter((d) => d.kind === "Cluster").map((d) => d.metadata.name)).toEqual(["ledger"]);
    expect(find(one, "Cluster", "ledger").spec.affinity.nodeAffinity).toBeUndefined();
  });
});

describe("replicate to <region>: checks", () => {
  it("FIN4055: on a standalone database (no operator, no replica cluster)", () => {
    const ds = diagnosticsOf({ "main.fin": platform() + ledger("  replicate   to eu-central-1\n", "postgres 16 standalone").replace("  instances   3\n", "") });
    expect(ds.map((d) => [d.code, d.text])).toEqual([["FIN4055", "replicate   to eu-central-1"]]);
  });

  it("FIN4055 (warning): backups without an object store (no account: volume snapshots, which do not leave the region); no replica Cluster", () => {
    const ds = diagnosticsOf({ "main.fin": platform().replace('  account      "123456789012"\n', "") + ledger("  replicate   to eu-central-1\n") });
    expect(ds.map((d) => [d.code, d.text])).toEqual([["FIN4055", "replicate   to eu-central-1"]]);
    const p = compileSources({ "main.fin": platform().replace('  account      "123456789012"\n', "") + ledger("  replicate   to eu-central-1\n") });
    expect(p.diagnostics[0]!.severity).toBe("warning");
    expect(build(platform().replace('  account      "123456789012"\n', "") + ledger("  replicate   to eu-central-1\n")).docs.filter((d) => d.kind === "Cluster").map((d) => d.metadata.name)).toEqual(["ledger"]);
  });

  it("FIN4055: a replica Cluster name over CloudNativePG's 50 characters", () => {
    const long = "l".repeat(40);
    const ds = diagnosticsOf({ "main.fin": platform() + ledger("  replicate   to eu-central-1\n").replace("database ledger", `database ${long}`) });
    expect(ds.map((d) => d.code)).toEqual(["FIN4055"]);
  });

  it("the region rules stay FIN4030 (not a platform region, the primary, no backup) — stable codes", () => {
    expect(diagnosticsOf({ "main.fin": platform() + ledger("  replicate   to us-east-1\n") }).map((d) => d.code)).toEqual(["FIN4030"]);
    expect(diagnosticsOf({ "main.fin": platform() + ledger("  replicate   to eu-west-1\n") }).map((d) => d.code)).toEqual(["FIN4030"]);
  });

  it("residency still applies to the replica's region: a replica in London next to `residency eu` is FIN4050", () => {
    const spec = platform("", "eu-west-1 primary, eu-west-2").replace("namespace apps {}", "namespace apps {\n  residency eu\n}") + ledger("  replicate   to eu-west-2\n");
    expect(diagnosticsOf({ "main.fin": spec }).map((d) => [d.code, d.text])).toEqual([["FIN4050", "eu-west-2"]]);
  });
});
