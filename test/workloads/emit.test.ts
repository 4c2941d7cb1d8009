import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import type { EmittedDocument } from "../../compiler/emit/output.js";
import { needsOf } from "../../compiler/emit/needs/index.js";
import { maxCronGapSeconds } from "../../compiler/model/cron-gap.js";
import { compileSources } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

/** What a worker, a job and a cron job compile to, with and without the mesh and monitoring. */

const spec = (platform: string) => `platform p {
  cloud aws
  regions eu-west-1 primary
  environments dev, prod
${platform}
}
secretstore vault {
  provider vault
  server "https://vault.example.com:8200"
}
namespace apps {}
service api {
  image "r.io/api:1.0.0"
  port http 8080
}
worker fraud-consumer {
  image "r.io/fraud:1.0.0"
  metrics 9102
  health 8081 /healthz
  replicas 1 to 5
  scale on kafka "payments" lag 100
  calls api
  secret KEY from vault "a/b" key "k"
}
cronjob settlement {
  image "r.io/settle:1.0.0"
  schedule "0 22 * * 1-5"
  timezone "Europe/London"
  timeout 2h
  calls ledger
  secret DATABASE_URL from ledger.url
}
job seed {
  image "r.io/seed:1.0.0"
  ttl 1d
  restart on-failure
  calls ledger
}
database ledger {
  storage 10Gi fast
  credentials from vault "db/ledger"
}
environment dev {
  settlement.suspend yes
}
`;
const SIDECAR = spec("  mesh istio sidecar cni\n  monitoring prometheus");
const AMBIENT = spec("  mesh istio ambient\n  monitoring prometheus");
const PLAIN = spec("");

function build(text: string, env = "prod"): EmittedDocument[] {
  const program = compileSources({ "main.fin": text });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return [...buildOutputs(program).documents.get(env)!];
}
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const find = (docs: EmittedDocument[], kind: string, name: string): Obj | undefined => docs.find((d) => d.object["kind"] === kind && (d.object["metadata"] as Obj)["name"] === name)?.object as Obj | undefined;
const ofWorkload = (docs: EmittedDocument[], name: string) => docs.filter((d) => ((d.object["metadata"] as Obj)?.["labels"] as Obj | undefined)?.["app.kubernetes.io/name"] === name).map((d) => `${d.object["kind"]}/${(d.object["metadata"] as Obj)["name"]}`).sort();

describe("worker", () => {
  const docs = build(SIDECAR);
  it("is a Deployment with its own ports only, no Service, DestinationRule or route", () => {
    expect(ofWorkload(docs, "fraud-consumer")).toEqual([
      "AuthorizationPolicy/fraud-consumer-metrics",
      "Deployment/fraud-consumer",
      "NetworkPolicy/fraud-consumer-metrics",
      "NetworkPolicy/fraud-consumer-traffic",
      "PeerAuthentication/fraud-consumer-metrics",
      "PodMonitor/fraud-consumer",
      "ScaledObject/fraud-consumer",
      "ServiceAccount/fraud-consumer",
    ]);
    expect(find(docs, "ExternalSecret", "fraud-consumer-secrets")).toBeDefined();
    const c = find(docs, "Deployment", "fraud-consumer")!.spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ name: "health", containerPort: 8081, protocol: "TCP" }, { name: "metrics", containerPort: 9102, protocol: "TCP" }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "health" });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "health" });
    expect(c.startupProbe).toBeUndefined();
  });
  it("admits no caller, and Prometheus alone to its metrics port; egress to what it calls and Kafka", () => {
    const np = find(docs, "NetworkPolicy", "fraud-consumer-traffic")!;
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.egress).toContainEqual({ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } } }], ports: [{ protocol: "TCP", port: 8080 }] });
    expect(np.spec.egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kafka" } } }], ports: [{ protocol: "TCP", port: 9092 }] });
    const metrics = find(docs, "NetworkPolicy", "fraud-consumer-metrics")!;
    expect(metrics.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }], ports: [{ protocol: "TCP", port: 9102 }] }]);
    // No call-graph AuthorizationPolicy: nobody may call it.
    expect(find(docs, "AuthorizationPolicy", "fraud-consumer")).toBeUndefined();
  });
  it("under sidecars, only the metrics port accepts Prometheus's plain-text scrape", () => {
    expect(find(docs, "PeerAuthentication", "fraud-consumer-metrics")!.spec).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": "fraud-consumer" } }, mtls: { mode: "STRICT" }, portLevelMtls: { "9102": { mode: "PERMISSIVE" } } });
    expect(find(docs, "AuthorizationPolicy", "fraud-consumer-metrics")!.spec.rules).toEqual([{ to: [{ operation: { ports: ["9102"], methods: ["GET"], paths: ["/metrics"] } }] }]);
    expect(find(docs, "PodMonitor", "fraud-consumer")!.spec.podMetricsEndpoints[0].port).toBe("metrics");
  });
  it("in ambient mode the scrape keeps Prometheus's identity (no PeerAuthentication exception)", () => {
    const a = build(AMBIENT);
    expect(find(a, "PeerAuthentication", "fraud-consumer-metrics")).toBeUndefined();
    expect(find(a, "AuthorizationPolicy", "fraud-consumer-metrics")!.spec.rules[0].from[0].source.principals).toEqual(["cluster.local/ns/monitoring/sa/kube-prometheus-stack-prometheus"]);
  });
  it("KEDA scales its Deployment", () => {
    expect(find(docs, "ScaledObject", "fraud-consumer")!.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "fraud-consumer" });
  });
});

describe("cron job", () => {
  const docs = build(SIDECAR);
  const cj = find(docs, "CronJob", "settlement")!;
  it("is a CronJob that never overlaps itself, with the documented defaults", () => {
    expect({ ...cj.spec, jobTemplate: undefined }).toEqual({
      schedule: "0 22 * * 1-5",
      timeZone: "Europe/London",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: false,
      jobTemplate: undefined,
    });
    expect(cj.spec.jobTemplate.spec.backoffLimit).toBe(3);
    expect(cj.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(7200);
    expect(cj.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
  });
  it("runs its pod to completion: restartPolicy Never, no ports, no probes, native sidecars under the mesh", () => {
    const pod = cj.spec.jobTemplate.spec.template;
    expect(pod.spec.restartPolicy).toBe("Never");
    expect(pod.spec.containers[0].ports).toBeUndefined();
    expect(pod.spec.containers[0].readinessProbe).toBeUndefined();
    expect(pod.metadata.annotations["sidecar.istio.io/nativeSidecar"]).toBe("true");
    expect(pod.spec.serviceAccountName).toBe("settlement");
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(pod.spec.containers[0].env[0]).toEqual({ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "settlement-secrets", key: "DATABASE_URL" } } });
  });
  it("has no Service, HPA or PDB; its NetworkPolicy admits nothing and reaches its database", () => {
    expect(ofWorkload(docs, "settlement").filter((k) => /^(Service|HorizontalPodAutoscaler|PodDisruptionBudget|DestinationRule|Deployment)\//.test(k))).toEqual([]);
    const np = find(docs, "NetworkPolicy", "settlement-traffic")!;
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.egress[0]).toEqual({ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "ledger" } } }], ports: [{ protocol: "TCP", port: 5432 }] });
  });
  it("an environment suspends it", () => {
    expect(find(build(SIDECAR, "dev"), "CronJob", "settlement")!.spec.suspend).toBe(true);
  });
  it("without the mesh its pod has no sidecar annotation", () => {
    expect(find(build(PLAIN), "CronJob", "settlement")!.spec.jobTemplate.spec.template.metadata.annotations?.["sidecar.istio.io/nativeSidecar"]).toBeUndefined();
  });
  it("with monitoring, alerts when a run fails, does not succeed on schedule or does not start", () => {
    const rules = find(docs, "PrometheusRule", "settlement-runs")!.spec.groups[0].rules as Obj[];
    expect(rules.map((r) => [r.alert, r.labels.severity])).toEqual([["SettlementFailed", "critical"], ["SettlementNotSucceeded", "critical"], ["SettlementMissed", "warning"]]);
    expect(rules[0]!.expr).toContain('kube_job_failed{namespace="apps",condition="true"}');
    expect(rules[0]!.expr).toContain('owner_kind="CronJob",owner_name="settlement"');
    // Friday 22:00 → Monday 22:00 is the longest gap, plus the starting deadline, the run deadline and an hour.
    expect(rules[1]!.expr).toBe(`time() - kube_cronjob_status_last_successful_time{namespace="apps",cronjob="settlement"} > ${72 * 3600 + 600 + 7200 + 3600}`);
    expect(rules[2]!.expr).toContain("unless on (namespace, cronjob) (kube_cronjob_spec_suspend");
    expect(find(build(PLAIN), "PrometheusRule", "settlement-runs")).toBeUndefined();
  });
});

describe("job", () => {
  const docs = build(SIDECAR);
  const job = find(docs, "Job", "seed")!;
  it("is a Job with its run policy, replaced (not patched) when it changes", () => {
    expect(job.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("Force=true,Replace=true");
    expect(job.spec.backoffLimit).toBe(3);
    expect(job.spec.activeDeadlineSeconds).toBe(3600);
    expect(job.spec.ttlSecondsAfterFinished).toBe(86400);
    expect(job.spec.template.spec.restartPolicy).toBe("OnFailure");
    expect(job.spec.selector).toBeUndefined();
    expect(job.spec.template.metadata.annotations["sidecar.istio.io/nativeSidecar"]).toBe("true");
  });
});

describe("needs", () => {
  it("declares no call into a worker or job, and Prometheus's scrape of the worker", () => {
    const program = compileSources({ "main.fin": SIDECAR });
    const needs = needsOf(program.checked.models.get("prod")!) as { calls: Obj[]; denied: Obj[] };
    expect(needs.calls).toContainEqual({ from: "prometheus", to: "apps/fraud-consumer", port: 9102 });
    expect(needs.calls.filter((c) => c.to === "apps/settlement" || c.to === "apps/seed")).toEqual([]);
    expect(needs.denied.filter((d) => d.to === "apps/settlement" || d.to === "apps/seed")).toEqual([]);
    expect(needs.denied).toContainEqual({ from: "apps/api", to: "apps/fraud-consumer" });
  });
});

describe("the longest gap of a cron schedule", () => {
  it.each([
    ["0 22 * * 1-5", 72],
    ["0 2 * * *", 24],
    ["*/15 * * * *", 0.25],
    ["30 6 * * MON", 168],
    ["0 2 1 * *", 31 * 24],
    ["0 9-17 * * 1-5", 64],
  ])("%s: %d h", (cron, hours) => expect(maxCronGapSeconds(cron)).toBe(hours * 3600));
});

describe.skipIf(!schemasAvailable)("upstream schemas", () => {
  it.each([["sidecar", SIDECAR], ["ambient", AMBIENT], ["plain", PLAIN]])("every document of the %s build validates", (_n, text) => {
    const errors = build(text).flatMap((d) => validateManifest(d.object).map((e) => `${d.path}: ${e}`));
    expect(errors).toEqual([]);
  });
});

describe("Vault agent delivery", () => {
  it("a job's agent is the init container only, even with a refresh (a sidecar would keep the pod running); a worker's keeps re-rendering", () => {
    const text = PLAIN.replace('  server "https://vault.example.com:8200"\n', '  server "https://vault.vault.svc:8200"\n  delivery vault-agent\n  refresh 5m\n')
      .replace("  ttl 1d\n", '  ttl 1d\n  secret SEED_KEY from vault "a/seed" key "k"\n');
    const docs = build(text);
    const annotations = (o: Obj) => o.spec.template.metadata.annotations as Record<string, string>;
    expect(annotations(find(docs, "Job", "seed")!)["vault.hashicorp.com/agent-pre-populate-only"]).toBe("true");
    expect(annotations(find(docs, "Job", "seed")!)["vault.hashicorp.com/template-static-secret-render-interval"]).toBeUndefined();
    expect(annotations(find(docs, "Deployment", "fraud-consumer")!)["vault.hashicorp.com/agent-pre-populate-only"]).toBe("false");
  });
});
