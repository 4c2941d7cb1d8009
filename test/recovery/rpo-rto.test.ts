import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { recoveryEstimate, RECOVERY_ASSUMPTIONS } from "../../compiler/model/recovery.js";
import { replicaBucketId } from "../../compiler/emit/terraform/aws.js";
import { compileSources } from "../helpers/compile.js";

/** An AWS platform (with `account`: a backup bucket, so WAL archiving) and one database with `recovery`. */
function spec(o: { regions?: string; account?: boolean; db: string }): Record<string, string> {
  return {
    "main.fin": `platform bank {
  cloud        aws
  regions      ${o.regions ?? "eu-west-1 primary"}
${o.account === false ? "" : '  account      "123456789012"\n  cluster      "bank-eks"\n'}  environments prod
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace core {}
database ledger {
  namespace   core
  storage     100Gi
  credentials from vault "core/ledger"
${o.db}}
`,
  };
}

function recoveryDiagnostics(files: Record<string, string>) {
  const p = compileSources(files);
  return p.diagnostics.filter((d) => d.code === "FIN4068" || d.code === "FIN4069").map((d) => ({ code: d.code, message: d.message, hint: d.hint ?? "", text: p.getSourceFile(d.range.file)!.text.slice(d.range.start, d.range.end) }));
}

function clusterParameters(files: Record<string, string>): Record<string, string> {
  const out = buildOutputs(compileSources(files), { targets: ["kubernetes"] });
  const f = out.files.find((x) => x.path === "prod/core/cluster-ledger.yaml")!;
  return (parseYaml(f.content) as { spec: { postgresql: { parameters: Record<string, string> } } }).spec.postgresql.parameters;
}

describe("recovery rpo … rto … on one region: the loss of the database", () => {
  it("WAL archiving meets an RPO of 5m; a 100Gi restore with 6h of WAL to replay does not meet an RTO of 30m", () => {
    const d = recoveryDiagnostics(spec({ db: "  backup      every 6h keep 30d\n  recovery    rpo 5m rto 30m\n" }));
    // By hand: 5m to provision + 100 GiB / 100 MiB/s = 1024 s (17m04s) + a quarter of 6h = 90m → 112m04s, "about 1h53m".
    expect(d).toEqual([{ code: "FIN4069", text: "rpo 5m rto 30m", message: expect.stringContaining("about 1h53m"), hint: expect.stringContaining("back up more often") }]);
    expect(d[0]!.message).toContain("1024s to restore 100Gi");
  });

  it("an hourly backup and a 45m RTO: 5m + 17m04s + 15m = 37m04s, met", () => {
    expect(recoveryDiagnostics(spec({ db: "  backup      every 1h keep 30d\n  recovery    rpo 5m rto 45m\n" }))).toEqual([]);
  });

  it("an RPO below the operator's 5min archive_timeout sets archive_timeout to it", () => {
    const files = spec({ db: "  backup      every 1h keep 30d\n  recovery    rpo 2m rto 45m\n" });
    expect(recoveryDiagnostics(files)).toEqual([]);
    expect(clusterParameters(files)["archive_timeout"]).toBe("2min");
    // Without an objective the operator's default stays.
    expect(clusterParameters(spec({ db: "  backup      every 1h keep 30d\n" }))["archive_timeout"]).toBeUndefined();
  });

  it("an RPO under a minute is refused: WAL archiving cannot give it", () => {
    const d = recoveryDiagnostics(spec({ db: "  backup      every 1h keep 30d\n  recovery    rpo 30s rto 45m\n" }));
    expect(d.map((x) => x.code)).toEqual(["FIN4068"]);
    expect(d[0]!.hint).toContain("at least 1m");
  });

  it("snapshots only (no backup bucket without `account`): the RPO is the snapshot interval", () => {
    const d = recoveryDiagnostics(spec({ account: false, db: "  backup      every 6h keep 30d\n  recovery    rpo 15m rto 30m\n" }));
    expect(d.map((x) => x.code)).toEqual(["FIN4068"]);
    expect(d[0]!.message).toContain("up to 6h of data (a volume snapshot every 6h");
    expect(d[0]!.hint).toContain("archives WAL continuously");
  });

  it("no backup: neither objective can be met", () => {
    const d = recoveryDiagnostics(spec({ db: "  recovery    rpo 1h rto 4h\n" }));
    expect(d.map((x) => x.code)).toEqual(["FIN4068", "FIN4069"]);
    expect(d[0]!.message).toContain("it has no `backup`");
  });
});

describe("recovery with two regions: the loss of the primary region", () => {
  const regions = "eu-west-1 primary, eu-central-1";

  it("a single-region database cannot meet a regional objective", () => {
    const d = recoveryDiagnostics(spec({ regions, db: "  backup      every 1h keep 30d\n  recovery    rpo 1h rto 4h\n" }));
    expect(d.map((x) => x.code)).toEqual(["FIN4068", "FIN4069"]);
    expect(d[0]!.message).toContain("if eu-west-1 (the primary region) is lost");
    expect(d[1]!.hint).toContain("replicate to eu-central-1");
  });

  it("a replica cluster: RPO = archive_timeout 5m + 15m S3 replication = 20m, RTO = 10m promotion", () => {
    const files = spec({ regions, db: "  backup      every 1h keep 30d\n  replicate   to eu-central-1\n  recovery    rpo 20m rto 10m\n" });
    expect(recoveryDiagnostics(files)).toEqual([]);
    const p = compileSources(files);
    const model = p.checked.models.get("prod")!;
    const e = recoveryEstimate(model, model.databases[0]!);
    expect([e.rpo.ms, e.rto.ms]).toEqual([20 * 60_000, RECOVERY_ASSUMPTIONS.promotionMs]);
    // The RPO counts on S3 Replication Time Control: the replica bucket's rule enables it.
    const tf = buildOutputs(p, { targets: ["terraform"] }).files.find((f) => f.path === "terraform/prod/backups.tf.json")!;
    const rule = JSON.parse(tf.content).resource.aws_s3_bucket_replication_configuration[replicaBucketId("eu-central-1")].rule[0];
    expect(rule.destination.replication_time).toEqual({ status: "Enabled", time: { minutes: 15 } });
    expect(rule.destination.metrics).toEqual({ status: "Enabled", event_threshold: { minutes: 15 } });
  });

  it("an RPO of 18m leaves 3m for WAL switching; 10m is below what S3 replication bounds", () => {
    const files = spec({ regions, db: "  backup      every 1h keep 30d\n  replicate   to eu-central-1\n  recovery    rpo 18m rto 10m\n" });
    expect(recoveryDiagnostics(files)).toEqual([]);
    expect(clusterParameters(files)["archive_timeout"]).toBe("3min");
    const d = recoveryDiagnostics(spec({ regions, db: "  backup      every 1h keep 30d\n  replicate   to eu-central-1\n  recovery    rpo 10m rto 10m\n" }));
    expect(d.map((x) => x.code)).toEqual(["FIN4068"]);
    expect(d[0]!.hint).toContain("at least 16m");
  });
});
