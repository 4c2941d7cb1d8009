import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { needsOf } from "../../compiler/emit/needs/index.js";
import { compileSources, itReportsEach } from "../helpers/compile.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";
import { k8sValidate, k8sValidateAvailable } from "../secrets/k8s-validate.js";
import { module, terraformFiles, type Json } from "../terraform/support.js";

type Obj = Record<string, any>;

const PLATFORM = '  cloud        aws\n  regions      eu-west-1 primary\n  account      "123456789012"\n  cluster      "trading-eks"\n  monitoring   prometheus\n';

function spec(drill: string, platform = PLATFORM): string {
  return `platform trading {
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
  backup      every 1h keep 30d
  recovery    rpo 5m rto 45m
  drill       ${drill}
}
`;
}

const INTO = 'weekly query "select count(*) from fills" timeout 3h into namespace drill-scratch';

function built(text: string) {
  const program = compileSources({ "main.fin": text });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = buildOutputs(program, {});
  const docs = out.files.filter((f) => f.path.startsWith("prod/")).map((f) => ({ path: f.path, o: parseYaml(f.content) as Obj }));
  const find = (kind: string, name: string, ns = "drill-scratch") => docs.find((d) => d.o.kind === kind && d.o.metadata.name === name && (d.o.metadata.namespace ?? d.o.metadata.name) === ns)?.o;
  return { program, out, docs, find };
}

describe("drill … into namespace: the scratch namespace and the drill's rights there", () => {
  const { find, docs } = built(spec(INTO));

  it("a restricted Namespace with default-deny and DNS only, like every finc namespace", () => {
    const ns = find("Namespace", "drill-scratch")!;
    expect(ns.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted" });
    expect(find("NetworkPolicy", "default-deny")!.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    expect(find("NetworkPolicy", "allow-dns")!.spec.egress[0].ports).toEqual([{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }]);
  });

  it("a Role in the scratch namespace only (no ClusterRole): create a Cluster, then only the restore Cluster and its one instance by name", () => {
    expect(find("Role", "books-drill")!.rules).toEqual([
      { apiGroups: ["postgresql.cnpg.io"], resources: ["clusters"], verbs: ["create"] },
      { apiGroups: ["postgresql.cnpg.io"], resources: ["clusters"], resourceNames: ["books-restore"], verbs: ["delete", "get", "list", "watch"] },
      { apiGroups: [""], resources: ["pods"], resourceNames: ["books-restore-1"], verbs: ["get"] },
      { apiGroups: [""], resources: ["pods/exec"], resourceNames: ["books-restore-1"], verbs: ["create", "get"] },
    ]);
    expect(find("RoleBinding", "books-drill")).toMatchObject({ roleRef: { kind: "Role", name: "books-drill" }, subjects: [{ kind: "ServiceAccount", name: "books-drill", namespace: "drill-scratch" }] });
    expect(docs.filter((d) => /drill/.test(d.o.metadata.name) && /^Cluster(Role|RoleBinding)$/.test(d.o.kind))).toEqual([]);
    // No Secret read: psql runs by exec in the instance over its socket.
    expect(JSON.stringify(find("Role", "books-drill")!.rules)).not.toContain("secrets");
    // The in-pod drill's objects are not emitted in the database's namespace.
    expect(find("CronJob", "books-drill", "trading")).toBeUndefined();
  });
});

describe("drill … into namespace: the Cluster the CronJob creates", () => {
  const { find } = built(spec(INTO));
  const cluster = parseYaml(find("ConfigMap", "books-drill")!.data["cluster.yaml"]) as Obj;
  const real = find("Cluster", "books", "trading")!;

  it("one instance bootstrapped by recovery from the database's own object store (destinationPath, serverName, IRSA), with no backup of its own", () => {
    expect(cluster.metadata).toMatchObject({ name: "books-restore", namespace: "drill-scratch" });
    expect(cluster.spec.instances).toBe(1);
    expect(cluster.spec.bootstrap).toEqual({ recovery: { source: "books", database: "books", owner: "books" } });
    expect(cluster.spec.externalClusters).toEqual([{ name: "books", barmanObjectStore: { destinationPath: "s3://trading-eks-backups-123456789012/postgres/trading", s3Credentials: { inheritFromIAMRole: true }, serverName: "books", wal: { maxParallel: 8 } } }]);
    expect(cluster.spec.externalClusters[0].barmanObjectStore.destinationPath).toBe(real.spec.backup.barmanObjectStore.destinationPath);
    expect(cluster.spec.backup).toBeUndefined();
    expect(cluster.spec.enablePDB).toBe(false);
    expect(cluster.spec.priorityClassName).toBeUndefined();
  });

  it("the database's image, storage and parameters; its pods assume the drill's read-only role", () => {
    expect(cluster.spec.imageName).toBe(real.spec.imageName);
    expect(cluster.spec.storage).toEqual({ size: "100Gi", storageClass: "finc-fast", resizeInUseVolumes: true });
    expect(cluster.spec.postgresql).toEqual(real.spec.postgresql);
    expect(cluster.spec.serviceAccountTemplate).toEqual({ metadata: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/trading-eks-trading-books-drill" } } });
  });

  it.skipIf(!schemasAvailable)("validates against CloudNativePG's Cluster schema", () => {
    expect(validateManifest(cluster)).toEqual([]);
  });

  it("the CronJob: kubectl pinned by version, restricted, the manifest mounted, create → wait Ready → exec psql → delete", () => {
    const cron = find("CronJob", "books-drill")!;
    expect(cron.spec).toMatchObject({ schedule: "0 4 * * 0", concurrencyPolicy: "Forbid" });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 3 * 3600 });
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe("alpine/k8s:1.31.4");
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(pod.volumes).toContainEqual({ name: "cluster", configMap: { name: "books-drill" } });
    const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));
    expect(env).toMatchObject({ DRILL_NAMESPACE: "drill-scratch", DRILL_CLUSTER: "books-restore", DRILL_DATABASE: "books", DRILL_QUERY: "select count(*) from fills", DRILL_TIMEOUT_SECONDS: "10800" });
    const script: string = c.command[2];
    expect(script).toContain('pod="$DRILL_CLUSTER-1"');
    const order = ["create -f /etc/drill/cluster.yaml", "--for=condition=Ready", 'exec "$pod" -c postgres -- psql', "restored=$(( $(date +%s) - start ))"].map((s) => script.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(script).toContain("trap '$k delete cluster \"$DRILL_CLUSTER\" --ignore-not-found --wait=false' EXIT");
  });

  it("the same measured metric and alerts, on the scratch namespace's CronJob", () => {
    const rules: Obj[] = find("PrometheusRule", "books-drill")!.spec.groups[0].rules;
    expect(rules.map((r) => r.record ?? r.alert)).toEqual(["finc:drill_restore_seconds", "BooksDrillFailed", "BooksDrillNotSucceeded", "BooksDrillSlow"]);
    expect(rules[0]!.expr).toContain('kube_job_owner{namespace="drill-scratch",owner_kind="CronJob",owner_name="books-drill"}');
    expect(rules[3]!.expr).toBe('finc:drill_restore_seconds{namespace="drill-scratch",cronjob="books-drill"} > 2700');
  });
});

describe("drill … into namespace: network and cloud identity", () => {
  const { find, program } = built(spec(INTO));

  it("the drill's pod: no ingress, the API server only (443/6443)", () => {
    expect(find("NetworkPolicy", "books-drill")!.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "books-drill" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] }],
    });
  });

  it("the restored Cluster's pods: the operator in, S3/STS and the API server out (443/6443)", () => {
    const np = find("NetworkPolicy", "books-restore-cnpg")!.spec;
    expect(np.podSelector).toEqual({ matchLabels: { "cnpg.io/cluster": "books-restore" } });
    expect(np.ingress[0]).toEqual({ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "cnpg-system" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "cloudnative-pg" } } }], ports: [{ protocol: "TCP", port: 8000 }, { protocol: "TCP", port: 5432 }] });
    expect(np.egress).toContainEqual({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] });
  });

  it("the read-only IAM role trusts the restored Cluster's ServiceAccount in the scratch namespace, and still may only read", () => {
    const m = module(terraformFiles(program), "prod");
    const docs = m.data["aws_iam_policy_document"] as Json;
    const trust = (docs["drill__trading__books_trust"] as { statement: { condition: { values: string[] }[] }[] }).statement[0]!;
    expect(trust.condition[0]!.values).toEqual(["system:serviceaccount:drill-scratch:books-restore"]);
    const actions = (docs["drill__trading__books_permissions"] as { statement: { actions: string[] }[] }).statement.flatMap((s) => s.actions);
    expect(actions).toContain("s3:GetObject");
    for (const write of ["s3:PutObject", "s3:DeleteObject"]) expect(actions).not.toContain(write);
  });

  it("the needs file: the drill's pod never reaches the live database", () => {
    const needs = needsOf(program.checked.models.get("prod")!) as { external: Obj[]; denied: Obj[] };
    expect(needs.denied).toContainEqual({ from: "drill-scratch/books-drill", to: "trading/books" });
    expect(needs.external.filter((e) => String(e.from).includes("books-drill"))).toEqual([]);
  });

  it("two drills into one scratch namespace: one Namespace", () => {
    const text = spec(INTO).replace(/\}\n$/, "}\ndatabase orders {\n  namespace   trading\n  storage     10Gi fast\n  credentials from vault \"trading/orders\"\n  backup      every 1h keep 30d\n  drill       daily into namespace drill-scratch\n}\n");
    const { docs } = built(text);
    expect(docs.filter((d) => d.o.kind === "Namespace" && d.o.metadata.name === "drill-scratch").length).toBe(1);
    expect(docs.filter((d) => d.o.kind === "CronJob" && d.o.metadata.namespace === "drill-scratch").map((d) => d.o.metadata.name).sort()).toEqual(["books-drill", "orders-drill"]);
  });
});

describe("drill … into namespace: the documents pass k8s-validate and runtime-check", () => {
  it.skipIf(!k8sValidateAvailable())("every document of the scratch namespace, and the Cluster the script applies", () => {
    const { out } = built(spec(INTO));
    const dir = mkdtempSync(join(tmpdir(), "finc-drill-into-"));
    const files = out.files.filter((f) => f.path.startsWith("prod/drill-scratch/"));
    const paths = files.map((f) => {
      const path = join(dir, f.path.replace(/\//g, "_"));
      writeFileSync(path, f.content);
      return path;
    });
    const cm = parseYaml(files.find((f) => f.path.endsWith("configmap-books-drill.yaml"))!.content) as Obj;
    const clusterPath = join(dir, "cluster.yaml");
    writeFileSync(clusterPath, cm.data["cluster.yaml"]);
    const r = k8sValidate([...paths, clusterPath]);
    expect(r.results.filter((x) => x.status !== "OK")).toEqual([]);
    expect(r.results.map((x) => x.kind).sort()).toEqual(["Cluster", "ConfigMap", "CronJob", "Namespace", "NetworkPolicy", "NetworkPolicy", "NetworkPolicy", "NetworkPolicy", "PrometheusRule", "Role", "RoleBinding", "ServiceAccount"]);
  }, 120_000);

  it.skipIf(!RUNTIME_CHECK_PRESENT)("the fixture with its needs file: 0 errors", () => {
    const { program, out } = built(spec(INTO));
    const r = runRuntimeCheck(installRuntimeCheck(), writeBuild(program, out), "prod", true);
    expect(r.summary, r.findings.join("\n")).toMatch(/^runtime-check: 0 errors,/);
  }, 180_000);
});

describe("FIN4078 for into namespace", () => {
  itReportsEach([
    { name: "a scratch namespace the spec declares", spec: spec("weekly into namespace trading"), code: "FIN4078", covers: "trading", line: 20 },
    { name: "a scratch namespace that is no namespace name", spec: spec("weekly into namespace Scratch_1"), code: "FIN4078", covers: "Scratch_1", line: 20 },
    { name: "into namespace on a platform with a registry", spec: spec("weekly into namespace drill-scratch", `${PLATFORM}  registry     "registry.example.com" credentials vault "ci/registry" key "dockerconfigjson"\n`), code: "FIN4078", covers: "drill-scratch", line: 21 },
  ]);

  it("on azure the form is refused with what to do", () => {
    const ids = '  client-ids     "trading/books" "11111111-1111-4111-8111-111111111111", "trading/books-drill" "22222222-2222-4222-8222-222222222222"\n';
    const p = compileSources({ "main.fin": spec("weekly into namespace drill-scratch", `  cloud          azure\n  regions        westeurope primary\n  account        "00000000-0000-4000-8000-000000000000"\n  resource-group "trading-prod"\n  cluster        "trading-aks"\n${ids}`) });
    const d = p.diagnostics.find((x) => x.code === "FIN4078")!;
    expect(d.message).toBe("The drill of 'books' cannot succeed: its `into namespace` form restores a Cluster with IRSA or GKE Workload Identity and is built on `cloud aws` and `cloud gcp` only, not on `cloud azure`.");
  });
});

describe("drill … into namespace: the script, run with a stand-in kubectl", () => {
  const { find } = built(spec(INTO));
  const c = find("CronJob", "books-drill")!.spec.jobTemplate.spec.template.spec.containers[0];
  const script: string = c.command[2];
  const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));

  /** Runs the script with a kubectl that logs its arguments and fails on `wait` when asked. */
  function run(failWait: boolean) {
    const dir = mkdtempSync(join(tmpdir(), "finc-drill-kubectl-"));
    writeFileSync(join(dir, "kubectl"), `#!/bin/sh\necho "$*" >> "${dir}/calls"\ncase "$*" in *" wait "*) ${failWait ? "exit 1" : "exit 0"} ;; esac\nexit 0\n`, { mode: 0o755 });
    const r = spawnSync("sh", ["-c", script], { env: { ...env, PATH: `${dir}:/usr/bin:/bin` }, encoding: "utf8" });
    const calls = readFileSync(join(dir, "calls"), "utf8").trim().split("\n");
    return { status: r.status, stdout: r.stdout, calls };
  }

  it("deletes a leftover, creates, waits within the deadline, queries the one instance, reports, deletes", () => {
    const r = run(false);
    expect(r.status).toBe(0);
    expect(r.calls.map((x) => x.replace(/--timeout=\d+s/, "--timeout=Ns"))).toEqual([
      "-n drill-scratch delete cluster books-restore --ignore-not-found --wait=true --timeout=15m",
      "-n drill-scratch create -f /etc/drill/cluster.yaml",
      "-n drill-scratch wait cluster/books-restore --for=condition=Ready --timeout=Ns",
      "-n drill-scratch exec books-restore-1 -c postgres -- psql -d books -v ON_ERROR_STOP=1 -Atc select 1",
      "-n drill-scratch exec books-restore-1 -c postgres -- psql -d books -v ON_ERROR_STOP=1 -Atc select count(*) from fills",
      "-n drill-scratch delete cluster books-restore --ignore-not-found --wait=false",
    ]);
    // The wait gets the deadline (3h) less what has passed and two minutes for the queries and the report.
    const timeout = Number(/--timeout=(\d+)s/.exec(r.calls[2]!)![1]);
    expect(timeout).toBeGreaterThan(10800 - 120 - 5);
    expect(timeout).toBeLessThanOrEqual(10800 - 120);
    expect(r.stdout).toMatch(/restore drill passed: books restored as a Cluster and verified in \d+s/);
  });

  it("a Cluster that never gets Ready fails the drill, runs no query, and is still deleted", () => {
    const r = run(true);
    expect(r.status).not.toBe(0);
    expect(r.calls.some((x) => x.includes(" exec "))).toBe(false);
    expect(r.calls.at(-1)).toBe("-n drill-scratch delete cluster books-restore --ignore-not-found --wait=false");
  });
});

describe("drill … into namespace on gcp: GKE Workload Identity for the restored Cluster", () => {
  const GCP = '  cloud        gcp\n  regions      europe-west1 primary\n  account      "trading-prod"\n  cluster      "trading-gke"\n  monitoring   prometheus\n';
  const { find, program } = built(spec(INTO, GCP));
  const cluster = parseYaml(find("ConfigMap", "books-drill")!.data["cluster.yaml"]) as Obj;
  const real = find("Cluster", "books", "trading")!;

  it("recovers from the GCS archive with gkeEnvironment credentials, its ServiceAccount bound to the drill's reader", () => {
    expect(cluster.spec.externalClusters[0].barmanObjectStore).toEqual({ destinationPath: real.spec.backup.barmanObjectStore.destinationPath, googleCredentials: { gkeEnvironment: true }, serverName: "books", wal: { maxParallel: 8 } });
    expect(cluster.spec.externalClusters[0].barmanObjectStore.destinationPath).toMatch(/^gs:\/\/.+\/postgres\/trading$/);
    const annotations = cluster.spec.serviceAccountTemplate.metadata.annotations;
    expect(Object.keys(annotations)).toEqual(["iam.gke.io/gcp-service-account"]);
    expect(annotations["iam.gke.io/gcp-service-account"]).toMatch(/@trading-prod\.iam\.gserviceaccount\.com$/);
  });

  it.skipIf(!schemasAvailable)("validates against CloudNativePG's Cluster schema", () => {
    expect(validateManifest(cluster)).toEqual([]);
  });

  it("the reader's Workload Identity member is the restored Cluster's ServiceAccount in the scratch namespace", () => {
    const m = module(terraformFiles(program), "prod");
    const members = m.resource["google_service_account_iam_member"] as Record<string, { member: string }>;
    expect(members["drill__trading__books"]?.member).toBe("serviceAccount:trading-prod.svc.id.goog[drill-scratch/books-restore]");
  });
});
