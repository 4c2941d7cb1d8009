import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf, itReportsEach } from "../helpers/compile.js";

/** Two regions on AWS with an account; `extra` adds declarations (clusters, a database, environments). */
const base = (extra: string, envs = "dev, prod") => `platform p {
  cloud        aws
  regions      eu-west-1 primary, eu-central-1
  account      "123456789012"
  environments ${envs}
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
${extra}`;

const cluster = (name: string, region: string, role: string, more = "") => `cluster ${name} {
  region ${region}
  role   ${role}
${more}}
`;

const ledger = (more: string) => `database ledger {
  storage     10Gi
  credentials from vault "apps/ledger"
${more}}
`;

const TWO = cluster("west", "eu-west-1", "primary") + cluster("central", "eu-central-1", "standby");
const REPLICATED = ledger("  backup      every 6h keep 30d\n  replicate   to eu-central-1\n");

describe("cluster checks", () => {
  itReportsEach([
    {
      name: "a cluster in a region the platform does not list",
      spec: base(cluster("west", "eu-west-1", "primary") + cluster("south", "eu-south-1", "standby")),
      code: "FIN4080",
      covers: "region eu-south-1",
      line: 17,
    },
    {
      name: "two primaries in one environment",
      spec: base(cluster("west", "eu-west-1", "primary") + cluster("central", "eu-central-1", "primary")),
      code: "FIN4081",
      covers: "role   primary",
      line: 18,
    },
    {
      name: "an environment that runs on a standby cluster alone",
      spec: base(cluster("west", "eu-west-1", "primary", "  environments prod\n") + cluster("central", "eu-central-1", "standby", "  environments dev\n")),
      code: "FIN4081",
      covers: "role   standby",
      line: 19,
    },
    {
      name: "a cluster naming an environment the platform does not list",
      spec: base(TWO.replace("role   standby\n", "role   standby\n  environments prod, qa\n")),
      code: "FIN4081",
      covers: "qa",
      line: 19,
    },
    {
      name: "a standby cluster with a database that has no backup",
      spec: base(TWO + ledger("")),
      code: "FIN4082",
      covers: "database ledger",
      line: 20,
    },
    {
      name: "a standby cluster whose region the database's backups are not replicated to",
      spec: base(TWO + ledger("  backup      every 6h keep 30d\n")),
      code: "FIN4082",
      covers: "backup      every 6h keep 30d",
      line: 23,
    },
    {
      name: "an RTO met only by the replica in a region no cluster of the environment runs in",
      spec: base(cluster("west", "eu-west-1", "primary") + cluster("central", "eu-central-1", "standby", "  environments prod\n") + REPLICATED.replace("}\n", "  recovery    rpo 30m rto 15m\n}\n")),
      code: "FIN4083",
      covers: "rpo 30m rto 15m",
      line: 26,
    },
  ]);

  it("says what is missing and what to write", () => {
    const p = compileSources({ "main.fin": base(TWO + ledger("")) });
    const noBackup = p.diagnostics.filter((d) => d.code === "FIN4082");
    // Once per environment (dev and prod both span the standby), each naming the cluster, the database and the fix.
    expect(noBackup.map((d) => d.message)).toEqual([
      "Standby cluster 'central' (eu-central-1) in environment 'dev' cannot get the data of database 'ledger': it has no `backup`, so nothing archives its WAL.",
      "Standby cluster 'central' (eu-central-1) in environment 'prod' cannot get the data of database 'ledger': it has no `backup`, so nothing archives its WAL.",
    ]);
    expect(noBackup[0]!.hint).toContain("Add `backup every 6h keep 30d` and `replicate to eu-central-1`");
    const rto = diagnosticsOf({ "main.fin": base(cluster("west", "eu-west-1", "primary") + cluster("central", "eu-central-1", "standby", "  environments prod\n") + REPLICATED.replace("}\n", "  recovery    rpo 30m rto 15m\n}\n")) }).filter((d) => d.code === "FIN4083");
    // Only dev lacks the standby; prod has a cluster in eu-central-1.
    expect(rto).toHaveLength(1);
  });

  it("a well-formed primary + standby with a replicated, backed-up database reports nothing of its own", () => {
    const codes = diagnosticsOf({ "main.fin": base(TWO + REPLICATED.replace("}\n", "  recovery    rpo 30m rto 15m\n}\n")) }).map((d) => d.code);
    expect(codes.filter((c) => /^FIN408[0-3]$/.test(c))).toEqual([]);
    expect(codes.filter((c) => c === "FIN4069" || c === "FIN4068")).toEqual([]);
  });

  it("without clusters nothing changes: no FIN4083 for a replicated database with an RTO", () => {
    const codes = diagnosticsOf({ "main.fin": base(REPLICATED.replace("}\n", "  recovery    rpo 30m rto 15m\n}\n")) }).map((d) => d.code);
    expect(codes.filter((c) => /^FIN408[0-3]$/.test(c))).toEqual([]);
  });
});
