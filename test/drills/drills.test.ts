import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { needsOf } from "../../compiler/emit/needs/index.js";
import { compileSources, itReportsEach } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";
import { module, terraformFiles, type Json } from "../terraform/support.js";

type Obj = Record<string, any>;

/** AWS with account and cluster (a backup bucket, WAL archiving, IRSA), monitoring, one database `books`. */
function spec(db: string, platform = '  account      "123456789012"\n  cluster      "trading-eks"\n  monitoring   prometheus\n'): string {
  return `platform trading {
  cloud        aws
  regions      eu-west-1 primary
${platform}  environments prod
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace trading {}
database books {
  namespace   trading
  storage     100Gi fast
  credentials from vault "trading/books"
${db}}
`;
}

const WEEKLY = '  backup      every 1h keep 30d\n  recovery    rpo 5m rto 45m\n  drill       weekly query "select count(*) from fills"\n';

function built(text: string, targets?: string[]) {
  const program = compileSources({ "main.fin": text });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = buildOutputs(program, targets ? { targets } : {});
  const docs = out.files.filter((f) => f.path.startsWith("prod/")).map((f) => ({ path: f.path, o: parseYaml(f.content) as Obj }));
  const find = (kind: string, name: string) => docs.find((d) => d.o.kind === kind && d.o.metadata.name === name)?.o;
  return { program, out, docs, find };
}

describe("restore drills: the CronJob", () => {
  const { find, program } = built(spec(WEEKLY));
  const cron = find("CronJob", "books-drill")!;
  const pod = cron.spec.jobTemplate.spec.template;
  const c = pod.spec.containers[0];

  it("runs weekly (Sundays 04:00 UTC), never overlapping, one failure is a finding (no retry), within its deadline", () => {
    expect(cron.spec).toMatchObject({ schedule: "0 4 * * 0", timeZone: "Etc/UTC", concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 3 });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 6 * 3600 });
  });

  it("restores the database's own archive: the Cluster's destinationPath bucket and prefix, its server name, its database", () => {
    const cluster = find("Cluster", "books")!;
    const destination: string = cluster.spec.backup.barmanObjectStore.destinationPath;
    const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));
    expect(`s3://${env.DRILL_BUCKET}/${env.DRILL_PREFIX}`).toBe(destination);
    expect(env).toMatchObject({ DRILL_SERVER: "books", DRILL_DATABASE: "books", DRILL_QUERY: "select count(*) from fills", PGDATA: "/var/lib/drill/pgdata" });
    // The Cluster's own image: the PostgreSQL and barman-cloud it backed up with.
    expect(c.image).toBe(cluster.spec.imageName);
  });

  it("into a scratch volume of the database's size and class, deleted with the pod; restricted, as the postgres user, out of the mesh", () => {
    const data = pod.spec.volumes.find((v: Obj) => v.name === "data");
    expect(data.ephemeral.volumeClaimTemplate.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "finc-fast", resources: { requests: { storage: "100Gi" } } });
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 26, fsGroup: 26 });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.serviceAccountName).toBe("books-drill");
  });

  it("reads the bucket with a role of its own (IRSA), which the terraform target creates read-only", () => {
    expect(find("ServiceAccount", "books-drill")!.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/trading-eks-trading-books-drill" });
    const m = module(terraformFiles(program), "prod");
    const role = (m.resource["aws_iam_role"] as Record<string, { name: string }>)["drill__trading__books"];
    expect(role?.name).toBe("trading-eks-trading-books-drill");
    const docs = m.data["aws_iam_policy_document"] as Json;
    const perms = (docs["drill__trading__books_permissions"] as { statement: { actions: string[]; resources: string[] }[] }).statement;
    const actions = perms.flatMap((s) => s.actions);
    expect(actions).toContain("s3:GetObject");
    for (const write of ["s3:PutObject", "s3:DeleteObject", "kms:Encrypt"]) expect(actions).not.toContain(write);
    expect(perms[0]!.resources).toEqual(["${aws_s3_bucket.backups.arn}/postgres/trading/*"]);
    const trust = (docs["drill__trading__books_trust"] as { statement: { condition: { values: string[] }[] }[] }).statement[0]!;
    expect(trust.condition[0]!.values).toEqual(["system:serviceaccount:trading:books-drill"]);
  });

  it("a cron string is the schedule as written", () => {
    const { find: f } = built(spec('  backup      every 1h keep 30d\n  drill       "30 5 * * 6" timeout 2h\n'));
    expect(f("CronJob", "books-drill")!.spec.schedule).toBe("30 5 * * 6");
    expect(f("CronJob", "books-drill")!.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(7200);
    expect(f("CronJob", "books-drill")!.spec.jobTemplate.spec.template.spec.containers[0].env.map((e: Obj) => e.name)).not.toContain("DRILL_QUERY");
  });
});

describe("restore drills: reaches the object store and nothing else", () => {
  it("its NetworkPolicy: no ingress; egress to public addresses on 443 only (S3, STS), no private range", () => {
    const { find } = built(spec(WEEKLY));
    expect(find("NetworkPolicy", "books-drill")!.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "books-drill" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] }],
    });
  });

  it("with the mesh it stays out of it (labels as the instances'), so no AuthorizationPolicy is needed", () => {
    const { find, docs } = built(spec(WEEKLY, '  account      "123456789012"\n  cluster      "trading-eks"\n  mesh         istio sidecar cni\n'));
    expect(find("CronJob", "books-drill")!.spec.jobTemplate.spec.template.metadata.labels["sidecar.istio.io/inject"]).toBe("false");
    expect(docs.filter((d) => d.o.kind === "AuthorizationPolicy" && /drill/.test(d.o.metadata.name))).toEqual([]);
  });

  it("the needs file: S3 in the primary region on 443, and never the live database", () => {
    const { program } = built(spec(WEEKLY));
    const needs = needsOf(program.checked.models.get("prod")!) as { external: Obj[]; denied: Obj[] };
    expect(needs.external).toContainEqual({ from: "trading/books-drill", to: "s3.eu-west-1.amazonaws.com", port: 443 });
    expect(needs.denied).toContainEqual({ from: "trading/books-drill", to: "trading/books" });
  });
});

describe("restore drills: the measured time and the alerts", () => {
  const { find } = built(spec(WEEKLY));
  const rules: Obj[] = find("PrometheusRule", "books-drill")!.spec.groups[0].rules;
  const byName = (n: string) => rules.find((r) => r.alert === n || r.record === n)!;

  it("records the last successful drill's run time from kube-state-metrics, per CronJob", () => {
    const r = byName("finc:drill_restore_seconds");
    expect(r.expr).toContain('kube_job_status_completion_time{namespace="trading"} - kube_job_status_start_time{namespace="trading"}');
    expect(r.expr).toContain('kube_job_owner{namespace="trading",owner_kind="CronJob",owner_name="books-drill"}');
    expect(r.expr).toContain('"cronjob", "$1", "owner_name"');
  });

  it("alerts on a failed drill, on no success within the period (7 days + 1h start + 6h run + 1h), and on a restore slower than the RTO (45m)", () => {
    expect(byName("BooksDrillFailed")).toMatchObject({ labels: { severity: "critical", namespace: "trading", cronjob: "books-drill", database: "books" } });
    expect(byName("BooksDrillFailed").expr).toContain('kube_job_failed{namespace="trading",condition="true"}');
    expect(byName("BooksDrillNotSucceeded").expr).toBe(`time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{namespace="trading",cronjob="books-drill"} or kube_cronjob_created{namespace="trading",cronjob="books-drill"}) > ${7 * 86400 + 3600 + 6 * 3600 + 3600}`);
    expect(byName("BooksDrillSlow").expr).toBe('finc:drill_restore_seconds{namespace="trading",cronjob="books-drill"} > 2700');
  });

  it("no RTO, no slow alert; no monitoring, no rule", () => {
    const { find: noRto } = built(spec('  backup      every 1h keep 30d\n  drill       weekly\n'));
    expect(noRto("PrometheusRule", "books-drill")!.spec.groups[0].rules.map((r: Obj) => r.alert ?? r.record)).toEqual(["finc:drill_restore_seconds", "BooksDrillFailed", "BooksDrillNotSucceeded"]);
    const { find: noMon } = built(spec('  backup      every 1h keep 30d\n  drill       weekly\n', '  account      "123456789012"\n  cluster      "trading-eks"\n'));
    expect(noMon("PrometheusRule", "books-drill")).toBeUndefined();
    expect(noMon("CronJob", "books-drill")).toBeDefined();
  });
});

describe("restore drills: every document validates against the upstream schemas", () => {
  it.skipIf(!schemasAvailable)("CronJob, ServiceAccount, NetworkPolicy, PrometheusRule (monitoring.coreos.com)", () => {
    const { docs } = built(spec(WEEKLY));
    const mine = docs.filter((d) => d.o.metadata.name === "books-drill");
    expect(mine.map((d) => d.o.kind).sort()).toEqual(["CronJob", "NetworkPolicy", "PrometheusRule", "ServiceAccount"]);
    for (const d of mine) expect(validateManifest(d.o), d.path).toEqual([]);
  });
});

describe("FIN4077, FIN4078", () => {
  itReportsEach([
    { name: "a drill without backups", spec: spec('  drill       weekly\n'), code: "FIN4077", covers: "weekly", line: 18 },
    { name: "a drill of a standalone database", spec: spec('  engine      postgres 16 standalone\n  backup      every 1h keep 30d\n  drill       weekly\n'), code: "FIN4077", covers: "weekly", line: 20 },
    { name: "a drill where backups are volume snapshots (no account: no bucket)", spec: spec('  backup      every 1h keep 30d\n  drill       weekly\n', ""), code: "FIN4077", covers: "weekly", line: 16 },
    { name: "a query of two statements", spec: spec('  backup      every 1h keep 30d\n  drill       weekly query "select 1; drop table fills"\n'), code: "FIN4078", covers: '"select 1; drop table fills"', line: 19 },
    { name: "a psql meta-command", spec: spec('  backup      every 1h keep 30d\n  drill       weekly query "\\\\dt"\n'), code: "FIN4078", covers: '"\\\\dt"', line: 19 },
    { name: "a deadline shorter than the restore", spec: spec('  backup      every 1h keep 30d\n  drill       weekly timeout 10m\n'), code: "FIN4078", covers: "weekly timeout 10m", line: 19 },
  ]);

  it("under pci-dss with a registry, the drill's image (the database's) must come from it: the operator's default is refused, a registry copy accepted", () => {
    const platform = '  account      "123456789012"\n  cluster      "trading-eks"\n  compliance   pci-dss\n  mesh         istio sidecar cni\n  registry     "registry.example.com" credentials vault "ci/registry" key "dockerconfigjson"\n';
    const refused = compileSources({ "main.fin": spec('  backup      every 1h keep 30d\n  drill       weekly\n', platform) });
    const d = refused.diagnostics.find((x) => x.code === "FIN4078")!;
    expect(d.message).toContain("image 'ghcr.io/cloudnative-pg/postgresql:16' is not from the registry registry.example.com");
    const digest = "a".repeat(64);
    const accepted = compileSources({ "main.fin": spec(`  image       "registry.example.com/postgresql:16.4@sha256:${digest}"\n  backup      every 1h keep 30d\n  drill       weekly\n`, platform) });
    expect(accepted.diagnostics.filter((x) => x.code === "FIN4078")).toEqual([]);
  });

  it("a semicolon inside a string literal is data, and a trailing one is fine", () => {
    const p = compileSources({ "main.fin": spec(`  backup      every 1h keep 30d\n  drill       weekly query "select count(*) from fills where note <> ';';"\n`) });
    expect(p.diagnostics.filter((d) => d.code === "FIN4078")).toEqual([]);
  });

  it("the deadline's message carries the estimate's arithmetic", () => {
    const p = compileSources({ "main.fin": spec('  backup      every 1h keep 30d\n  drill       weekly timeout 10m\n') });
    const d = p.diagnostics.find((x) => x.code === "FIN4078")!;
    // 100 GiB at 100 MiB/s = 1024 s, plus a quarter of 1h = 15m: 32m4s.
    expect(d.message).toBe("The drill of 'books' cannot succeed: its deadline of 10m is shorter than the restore itself, about 32m4s (100Gi at 100 MiB/s plus a quarter of the 1h backup interval of WAL replay).");
  });
});
