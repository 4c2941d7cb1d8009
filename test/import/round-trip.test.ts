import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { installRuntimeCheck, RUNTIME_CHECK_PRESENT, RUNTIME_CHECK_SKIPPED, runRuntimeCheck } from "../helpers/runtime-check.js";
import { runFinc } from "../helpers/run-cli.js";
import { envNames, nonBlankLines, outputCallGraph, outputObjects, podSpecOf, probeShape, quantity, readYamlObjects, yamlFilesIn, yamlLines, type K8s } from "./manifest-view.js";

/**
 * Issue 15 item 2: `finc import` then `finc build` gives back, object by object, the input's
 * workloads, ports, probes, env names, resources, replicas, hosts and call graph (ignoring what
 * finc adds by design: hardening, policies, labels), and runtime-check passes on the rebuild.
 * The expectations that are not read off the input — which workload a Service renames and the
 * call graph — are written out here by hand for each fixture.
 */
const FIXTURES = resolve(__dirname, "fixtures");
interface Fixture {
  readonly app: string;
  readonly platform: string;
  /** Input workload name → finc name (renamed after the one Service that selects it). */
  readonly renamed: Readonly<Record<string, string>>;
  readonly calls: readonly string[];
}
const CASES: readonly Fixture[] = [
  {
    app: "online-shop", platform: "shop", renamed: { cartservice: "cart" },
    // No policies in the input: inferred from env values naming Services, and the database URL secret.
    calls: ["cart -> redis-cart", "checkout -> cart", "checkout -> orders-db", "email -> redis-cart", "frontend -> cart", "frontend -> checkout", "frontend -> productcatalog"],
  },
  {
    app: "payments-api", platform: "payments", renamed: {},
    // From the NetworkPolicies (env LEDGER_URL agrees).
    calls: ["api -> ledger", "ledger -> ledger-db", "settlement -> ledger"],
  },
  {
    app: "helm-wallet", platform: "wallet", renamed: { "wallet-cache": "wallet-cache-pods" },
    // From the AuthorizationPolicies; `sa/default` is every workload running as `default` (FIN6004 says so).
    calls: ["wallet-api -> wallet-cache-pods", "wallet-api -> wallet-ledger", "wallet-cache-pods -> wallet-ledger", "wallet-migrate -> wallet-ledger"],
  },
];

const WORKLOADS = new Set(["Deployment", "StatefulSet", "CronJob", "Job"]);
let check = "";
beforeAll(() => {
  if (RUNTIME_CHECK_PRESENT) check = installRuntimeCheck();
}, 180_000);

describe.each(CASES)("finc import $app → finc build", (fx) => {
  const dir = join(FIXTURES, fx.app);
  const work = mkdtempSync(join(tmpdir(), `finc-import-${fx.app}-`));
  const specDir = join(work, "spec");
  const out = join(work, "out");
  let input: K8s[] = [];
  let output: K8s[] = [];
  let fin = "";

  beforeAll(async () => {
    const imported = await runFinc(["import", dir, "--out", specDir], work);
    expect(imported.err).not.toMatch(/error\[/);
    expect(imported.code).toBe(0);
    fin = readFileSync(join(specDir, `${fx.platform}.fin`), "utf8");
    const built = await runFinc(["build", join(specDir, `${fx.platform}.fin`), "--out", out], work);
    expect(built.err).not.toMatch(/error\[/);
    expect(built.code).toBe(0);
    input = readYamlObjects(yamlFilesIn(dir));
    output = outputObjects(join(out, "prod"));
    // The closing figures of issue 15: input YAML lines against .fin lines.
    console.log(`finc import ${fx.app}: ${yamlLines(yamlFilesIn(dir))} lines of YAML (non-blank, non-comment) → ${nonBlankLines(fin)} non-blank lines of .fin`);
  }, 120_000);

  const find = (kind: string, ns: string, name: string) => output.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === ns);
  const inputWorkloads = () => input.filter((o) => WORKLOADS.has(o.kind));

  it("gives back every workload with the same kind, image, container ports, env names and resources", () => {
    expect(inputWorkloads().length).toBeGreaterThan(2);
    for (const w of inputWorkloads()) {
      const name = fx.renamed[w.metadata.name] ?? w.metadata.name;
      const ns = w.metadata.namespace;
      const got = find(w.kind, ns, name);
      expect(got, `${w.kind} ${ns}/${name}`).toBeDefined();
      const [c] = podSpecOf(w).containers;
      const [g] = podSpecOf(got!).containers;
      expect(g.image, name).toBe(c.image);
      expect((g.ports ?? []).map((p: K8s) => p.containerPort).sort(), `${name} ports`).toEqual((c.ports ?? []).map((p: K8s) => p.containerPort).sort());
      expect(envNames(g, output, ns), `${name} env`).toEqual(envNames(c, input, ns));
      const inits = (spec: K8s) => (spec.initContainers ?? []).map((i: K8s) => [i.image, [...(i.command ?? []), ...(i.args ?? [])].join(" ")]);
      expect(inits(podSpecOf(got!)), `${name} init containers`).toEqual(expect.arrayContaining(inits(podSpecOf(w))));
      for (const side of ["requests", "limits"] as const) for (const r of ["cpu", "memory"]) {
        if (c.resources?.[side]?.[r] === undefined) continue;
        expect(quantity(g.resources[side][r]), `${name} ${side}.${r}`).toBe(quantity(c.resources[side][r]));
      }
    }
  });

  it("gives back every probe: handler, path, port and each timing the input set", () => {
    let probes = 0;
    for (const w of inputWorkloads()) {
      const got = find(w.kind, w.metadata.namespace, fx.renamed[w.metadata.name] ?? w.metadata.name)!;
      const [c] = podSpecOf(w).containers;
      const [g] = podSpecOf(got).containers;
      for (const kind of ["readinessProbe", "livenessProbe", "startupProbe"]) {
        const want = probeShape(c[kind], c.ports ?? []);
        if (!want) continue;
        probes++;
        const have = probeShape(g[kind], g.ports ?? []);
        expect(have?.handler, `${w.metadata.name} ${kind}`).toEqual(want.handler);
        for (const t of ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold"]) if (c[kind][t] !== undefined) expect(have?.[t], `${w.metadata.name} ${kind}.${t}`).toBe(want[t]);
      }
    }
    expect(probes).toBeGreaterThan(0);
  });

  it("gives back replicas (or the autoscaler's range and target), Service ports and the batch schedule", () => {
    for (const w of inputWorkloads()) {
      const name = fx.renamed[w.metadata.name] ?? w.metadata.name;
      const ns = w.metadata.namespace;
      const got = find(w.kind, ns, name)!;
      const hpa = input.find((o) => o.kind === "HorizontalPodAutoscaler" && o.spec.scaleTargetRef.name === w.metadata.name);
      if (hpa) {
        const out = find("HorizontalPodAutoscaler", ns, name)!;
        expect([out.spec.minReplicas, out.spec.maxReplicas], `${name} HPA`).toEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas]);
        expect(out.spec.metrics.find((m: K8s) => m.resource?.name === "cpu")?.resource.target.averageUtilization).toBe(hpa.spec.metrics[0].resource.target.averageUtilization);
      } else if (w.spec.replicas !== undefined) expect(got.spec.replicas, `${name} replicas`).toBe(w.spec.replicas);
      if (w.kind === "CronJob") {
        for (const k of ["schedule", "timeZone", "concurrencyPolicy", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"]) expect(got.spec[k], k).toBe(w.spec[k]);
        for (const k of ["backoffLimit", "activeDeadlineSeconds"]) expect(got.spec.jobTemplate.spec[k], k).toBe(w.spec.jobTemplate.spec[k]);
      }
      if (w.kind === "Job") for (const k of ["backoffLimit", "ttlSecondsAfterFinished"]) expect(got.spec[k], k).toBe(w.spec[k]);
    }
    for (const s of input.filter((o) => o.kind === "Service")) {
      const w = inputWorkloads().find((x) => Object.entries(s.spec.selector).every(([k, v]) => x.spec.template?.metadata.labels[k] === v))!;
      const name = fx.renamed[w.metadata.name] ?? w.metadata.name;
      const got = find("Service", s.metadata.namespace, name);
      expect(got, `Service ${name}`).toBeDefined();
      const cports: K8s[] = podSpecOf(w).containers[0].ports;
      const target = (p: K8s, ports: K8s[]) => (typeof p.targetPort === "number" ? p.targetPort : ports.find((q) => q.name === (p.targetPort ?? p.name))?.containerPort ?? p.port);
      const gports: K8s[] = podSpecOf(find(w.kind, s.metadata.namespace, name)!).containers[0].ports;
      expect(got!.spec.ports.map((p: K8s) => [p.port, target(p, gports)]).sort(), `Service ${name} ports`).toEqual(s.spec.ports.map((p: K8s) => [p.port, target(p, cports)]).sort());
    }
  });

  it("gives back the hosts and the call graph", () => {
    const hostsIn = (objs: K8s[]) => [...new Set(objs.flatMap((o) => (o.kind === "Ingress" ? o.spec.rules.map((r: K8s) => r.host) : o.kind === "VirtualService" && o.spec.gateways?.some((g: string) => g !== "mesh") ? o.spec.hosts : [])))].sort();
    expect(hostsIn(output)).toEqual(expect.arrayContaining(hostsIn(input)));
    expect(outputCallGraph(output)).toEqual([...fx.calls].sort());
  });

  it.skipIf(!RUNTIME_CHECK_PRESENT)("passes runtime-check on the rebuilt output: 0 errors; with the needs file only the operator's database Services unresolved " + (RUNTIME_CHECK_PRESENT ? "" : RUNTIME_CHECK_SKIPPED), () => {
    const plain = runRuntimeCheck(check, out, "prod", false);
    console.log(`runtime-check ${fx.app}: ${plain.summary}`);
    expect(plain.summary).toMatch(/^runtime-check: 0 errors, /);
    // As in test/runtime/runtime-check.test.ts: runtime-check does not model the `<db>-rw` Services
    // CloudNativePG creates, so a declared call to an operator-run database cannot resolve.
    const databases = input.filter((o) => o.kind === "Cluster").map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    const withNeeds = runRuntimeCheck(check, out, "prod", true);
    console.log(`runtime-check ${fx.app} with needs: ${withNeeds.summary}`);
    const unexplained = withNeeds.findings.filter((f) => f.startsWith("ERROR") && !databases.some((db) => f.endsWith(`"${db}" port 5432 is not a Service or workload port in ${db.split("/")[0]}`)));
    expect(unexplained, withNeeds.summary).toEqual([]);
  }, 120_000);
});
