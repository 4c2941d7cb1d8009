import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { terraformFiles, module, type Json } from "../terraform/support.js";
import { build, find } from "./helpers.js";

const platform = (fields: string) => `platform p {
  cloud        aws
  regions      eu-west-1 primary
  environments dev
${fields}}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
database ledger {
  storage     10Gi
  credentials from vault "apps/ledger"
  backup      every 6h keep 7d
}
`;

describe("CloudNativePG backups: the IAM role of the Cluster's service account", () => {
  it("FIN4061: account without cluster is a warning at the backup line, naming what to add", () => {
    const ds = diagnosticsOf({ "main.fin": platform('  account "123456789012"\n') });
    expect(ds.map((d) => [d.code, d.text])).toEqual([["FIN4061", "backup      every 6h keep 7d"]]);
    const p = compileSources({ "main.fin": platform('  account "123456789012"\n') });
    expect(p.diagnostics[0]!.severity).toBe("warning");
    expect(p.diagnostics[0]!.hint).toContain("cluster");
  });

  it("no FIN4061 with both account and cluster, nor without account (no bucket: volume snapshots, no role needed), nor for standalone", () => {
    expect(diagnosticsOf({ "main.fin": platform('  account "123456789012"\n  cluster "p-eks"\n') })).toEqual([]);
    expect(diagnosticsOf({ "main.fin": platform("") })).toEqual([]);
    expect(diagnosticsOf({ "main.fin": platform('  account "123456789012"\n').replace("  storage     10Gi\n", "  engine      postgres 16 standalone\n  storage     10Gi\n") })).toEqual([]);
  });

  it("with account and cluster the role exists in terraform and the Cluster's ServiceAccount template carries its ARN", () => {
    const program = compileSources({ "main.fin": platform('  account "123456789012"\n  cluster "p-eks"\n') });
    const m = module(terraformFiles(program), "dev");
    const role = ((m.resource["aws_iam_role"] as Json)["postgres__apps__ledger"] as Json);
    expect(role["name"]).toBe("p-eks-apps-ledger");
    const docs = (buildOutputs(program, { environments: ["dev"] }).documents.get("dev") ?? []).map((d) => d.object as { kind: string; metadata: { name: string }; spec: Json });
    const cluster = docs.find((d) => d.kind === "Cluster" && d.metadata.name === "ledger")!;
    expect(cluster.spec["serviceAccountTemplate"]).toEqual({ metadata: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/p-eks-apps-ledger" } } });
  });

  it("without cluster the Cluster still archives to the bucket, but carries no annotation it cannot know", () => {
    const { docs } = build(platform('  account "123456789012"\n'));
    const c = find(docs, "Cluster", "ledger");
    expect(c.spec.backup.barmanObjectStore.destinationPath).toBe("s3://p-dev-backups-123456789012/postgres/apps");
    expect(c.spec.serviceAccountTemplate).toBeUndefined();
  });
});
