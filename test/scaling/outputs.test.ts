import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { compileSources, REPO, STDLIB } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

type Obj = Record<string, any>;

const platform = (extra: string, cloud = "aws") => `platform p {
  cloud        ${cloud}
  environments dev, prod
${extra}}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
`;

/** Every trigger kind, a VPA, spot capacity, a mesh canary and a blue-green service. */
const SPEC = platform("  mesh istio sidecar cni\n") + `
service worker {
  image    "r.io/worker:1.0.0"
  port     http 8080
  replicas 0 to 20
  scale    on kafka "payments.events" lag 500 group "fraud" auth vault "kafka/worker"
  scale    on queue sqs "https://sqs.eu-west-1.amazonaws.com/123456789012/orders" depth 100
  scale    on prometheus "sum(rate(jobs_total[1m]))" above 50
  scale    on cron "0 7 * * 1-5" to "0 19 * * 1-5" replicas 10 timezone "Europe/London"
  right-size auto
  spot     yes
}
service api {
  image    "r.io/api:1.0.0"
  port     http 8080
  replicas 2 to 10 at cpu 70%
  right-size recommend
  rollout  canary 10%, 50% pause 5m while error-rate < 1%, latency p99 < 300ms
}
service web {
  image    "r.io/web:1.0.0"
  port     http 8080
  rollout  blue-green while error-rate < 2%
}
`;

function documents(spec: string, env = "prod"): Obj[] {
  const program = compileSources({ "main.fin": spec });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return buildOutputs(program).documents.get(env)!.map((d) => d.object as Obj);
}
const find = (docs: Obj[], kind: string, name: string) => docs.find((d) => d["kind"] === kind && d["metadata"].name === name);

describe("KEDA event-driven scaling", () => {
  const docs = documents(SPEC);
  const so = find(docs, "ScaledObject", "worker")!;

  it("one ScaledObject with the replica range and one trigger per `scale` line", () => {
    expect(so["apiVersion"]).toBe("keda.sh/v1alpha1");
    expect(so["spec"]).toMatchObject({ scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "worker" }, minReplicaCount: 0, maxReplicaCount: 20 });
    expect(so["spec"].triggers).toEqual([
      { type: "kafka", metadata: { bootstrapServers: "kafka-kafka-bootstrap.kafka.svc:9092", consumerGroup: "fraud", topic: "payments.events", lagThreshold: "500" }, authenticationRef: { name: "worker-kafka" } },
      { type: "aws-sqs-queue", metadata: { queueURL: "https://sqs.eu-west-1.amazonaws.com/123456789012/orders", queueLength: "100", awsRegion: "eu-west-1" }, authenticationRef: { name: "worker-aws" } },
      { type: "prometheus", metadata: { serverAddress: "http://prometheus-operated.monitoring.svc:9090", query: "sum(rate(jobs_total[1m]))", threshold: "50" } },
      { type: "cron", metadata: { timezone: "Europe/London", start: "0 7 * * 1-5", end: "0 19 * * 1-5", desiredReplicas: "10" } },
    ]);
  });

  it("emits no plain HPA for a KEDA-scaled service (KEDA owns one), and keeps the HPA of the others", () => {
    expect(find(docs, "HorizontalPodAutoscaler", "worker")).toBeUndefined();
    expect(find(docs, "HorizontalPodAutoscaler", "api")).toBeDefined();
  });

  it("a CPU target of `replicas … at cpu` becomes a cpu trigger of the ScaledObject", () => {
    const d = documents(platform("") + 'service q {\n  image "r.io/q:1"\n  port 8080\n  replicas 1 to 5 at cpu 60%\n  scale on kafka "t" lag 10\n}\n');
    expect(find(d, "ScaledObject", "q")!["spec"].triggers[1]).toEqual({ type: "cpu", metricType: "Utilization", metadata: { value: "60" } });
    expect(find(d, "HorizontalPodAutoscaler", "q")).toBeUndefined();
  });

  it("credentials come from the secret store through ESO, never as values; SQS uses the workload's IAM role", () => {
    const auth = find(docs, "TriggerAuthentication", "worker-kafka")!;
    expect(auth["spec"].secretTargetRef).toEqual(["sasl", "tls", "username", "password"].map((k) => ({ parameter: k, name: "worker-kafka", key: k })));
    const es = find(docs, "ExternalSecret", "worker-kafka")!;
    expect(es["spec"].data).toEqual([
      { secretKey: "username", remoteRef: { key: "kafka/worker", property: "username" } },
      { secretKey: "password", remoteRef: { key: "kafka/worker", property: "password" } },
    ]);
    expect(es["spec"].target.template.data).toMatchObject({ sasl: "scram_sha512", tls: "enable" });
    expect(find(docs, "TriggerAuthentication", "worker-aws")!["spec"]).toEqual({ podIdentity: { provider: "aws", identityOwner: "workload" } });
    expect(docs.some((d) => d["kind"] === "Secret")).toBe(false);
  });
});

describe("VerticalPodAutoscaler", () => {
  const docs = documents(SPEC);
  it("auto applies requests within the limits; recommend only recommends", () => {
    const w = find(docs, "VerticalPodAutoscaler", "worker")!;
    expect(w["apiVersion"]).toBe("autoscaling.k8s.io/v1");
    expect(w["spec"].updatePolicy).toEqual({ updateMode: "Recreate" });
    expect(w["spec"].resourcePolicy.containerPolicies[0]).toEqual({ containerName: "worker", controlledResources: ["cpu", "memory"], controlledValues: "RequestsOnly", maxAllowed: { cpu: "500m", memory: "256Mi" } });
    const a = find(docs, "VerticalPodAutoscaler", "api")!;
    expect(a["spec"].updatePolicy).toEqual({ updateMode: "Off" });
    expect(a["spec"].targetRef).toEqual({ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "api" });
  });
});

describe("Argo Rollouts", () => {
  const docs = documents(SPEC);
  const rollout = find(docs, "Rollout", "api")!;

  it("a canary Rollout adopts the Deployment's pod template (workloadRef); the Deployment runs no pods", () => {
    expect(rollout["spec"]).toMatchObject({ replicas: 2, selector: { matchLabels: { "app.kubernetes.io/name": "api" } }, workloadRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" } });
    expect(find(docs, "Deployment", "api")!["spec"].replicas).toBe(0);
    expect(find(docs, "HorizontalPodAutoscaler", "api")!["spec"].scaleTargetRef).toEqual({ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "api" });
  });

  it("steps set the weight, pause and run the analysis", () => {
    const analysis = { analysis: { templates: [{ templateName: "api-analysis" }], args: [{ name: "service", value: "api" }, { name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } }] } };
    expect(rollout["spec"].strategy.canary.steps).toEqual([{ setWeight: 10 }, { pause: { duration: "5m" } }, analysis, { setWeight: 50 }, { pause: { duration: "5m" } }, analysis]);
  });

  it("with the mesh, weights move through the service's VirtualService and DestinationRule subsets", () => {
    expect(rollout["spec"].strategy.canary.trafficRouting).toEqual({
      istio: { virtualService: { name: "api", routes: ["default"] }, destinationRule: { name: "api", canarySubsetName: "canary", stableSubsetName: "stable" } },
    });
    const vs = find(docs, "VirtualService", "api")!;
    expect(vs["spec"].http[0]).toMatchObject({ name: "default", route: [{ destination: { subset: "stable" }, weight: 100 }, { destination: { subset: "canary" }, weight: 0 }] });
    expect(find(docs, "DestinationRule", "api")!["spec"].subsets.map((s: Obj) => s["name"])).toEqual(["stable", "canary"]);
  });

  it("without a mesh the canary is weighted by replicas (no trafficRouting)", () => {
    const d = documents(platform("") + 'service a {\n  image "r.io/a:1"\n  port 8080\n  rollout canary 20%, 60%\n}\n');
    expect(find(d, "Rollout", "a")!["spec"].strategy.canary).toEqual({ maxSurge: "25%", maxUnavailable: 0, steps: [{ setWeight: 20 }, { setWeight: 60 }] });
    expect(find(d, "AnalysisTemplate", "a-analysis")).toBeUndefined();
  });

  it("the AnalysisTemplate queries Prometheus for each condition; a failure aborts (rolls back) the rollout", () => {
    const t = find(docs, "AnalysisTemplate", "api-analysis")!;
    expect(t["spec"].metrics.map((m: Obj) => [m["name"], m["successCondition"]])).toEqual([
      ["error-rate", "len(result) == 0 || isNaN(result[0]) || result[0] < 0.01"],
      ["latency-p99", "len(result) == 0 || isNaN(result[0]) || result[0] < 300"],
    ]);
    expect(t["spec"].metrics[0].provider.prometheus.query).toContain('istio_requests_total{reporter="destination",destination_service_namespace="apps",destination_service_name="{{args.service}}",rollouts_pod_template_hash="{{args.canary-hash}}",response_code=~"5.."}');
    expect(t["spec"].metrics[1].provider.prometheus.query).toMatch(/^histogram_quantile\(0\.99, /);
  });

  it("blue-green: a preview Service, pre-promotion analysis, manual promotion in prod only", () => {
    const prod = find(docs, "Rollout", "web")!["spec"].strategy.blueGreen;
    expect(prod).toMatchObject({ activeService: "web", previewService: "web-preview", autoPromotionEnabled: false, prePromotionAnalysis: { args: [{ name: "service", value: "web-preview" }, { name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } }] } });
    expect(find(docs, "Service", "web-preview")!["spec"].selector).toEqual({ "app.kubernetes.io/name": "web" });
    expect(find(documents(SPEC, "dev"), "Rollout", "web")!["spec"].strategy.blueGreen.autoPromotionEnabled).toBe(true);
  });
});

describe("spot capacity", () => {
  it.each([
    ["aws", "karpenter.sh/capacity-type", "spot"],
    ["gcp", "cloud.google.com/gke-spot", "true"],
    ["azure", "kubernetes.azure.com/scalesetpriority", "spot"],
  ])("%s: tolerates the spot taint and prefers spot nodes", (cloud, key, value) => {
    const d = documents(platform("", cloud) + 'service b {\n  image "r.io/b:1"\n  port 8080\n  tier batch\n  spot yes\n}\n');
    const pod = find(d, "Deployment", "b")!["spec"].template.spec;
    expect(pod.tolerations).toEqual([{ key, operator: "Equal", value, effect: "NoSchedule" }]);
    expect(pod.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([{ weight: 100, preference: { matchExpressions: [{ key, operator: "In", values: [value] }] } }]);
  });
});

describe("nothing is emitted unless used", () => {
  it("a spec without scale, right-size, rollout or spot gets no KEDA, VPA or Argo objects", () => {
    const d = documents(platform("  mesh istio sidecar cni\n") + 'service a {\n  image "r.io/a:1"\n  port 8080\n  replicas 2 to 4\n}\n');
    const kinds = new Set(d.map((o) => o["kind"]));
    for (const k of ["ScaledObject", "TriggerAuthentication", "VerticalPodAutoscaler", "Rollout", "AnalysisTemplate"]) expect(kinds.has(k), k).toBe(false);
    expect(find(d, "Deployment", "a")!["spec"].template.spec.tolerations).toBeUndefined();
  });
});

describe.skipIf(!schemasAvailable)("every new document validates against its upstream schema", () => {
  it.each([["the test spec", SPEC], ["without a mesh", platform("") + 'service a {\n  image "r.io/a:1"\n  port 8080\n  replicas 1 to 3\n  scale on kafka "t" lag 5\n  rollout canary 20%, 60% while error-rate < 1%, latency p95 < 1s\n}\n']])("%s", (_name, spec) => {
    for (const env of ["dev", "prod"])
      for (const d of documents(spec, env)) expect(validateManifest(d as { apiVersion: string; kind: string }), `${env} ${d["kind"]} ${d["metadata"].name}`).toEqual([]);
  });

  it("examples/payments: fraud scales on Kafka lag, payments rolls out as a canary", () => {
    const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples/payments")] });
    const prod = buildOutputs(program).documents.get("prod")!.map((d) => d.object as Obj);
    expect(find(prod, "ScaledObject", "fraud")!["spec"].triggers[0].metadata.topic).toBe("payments.events");
    expect(find(prod, "Rollout", "payments")!["spec"].strategy.canary.steps[0]).toEqual({ setWeight: 10 });
    for (const d of prod.filter((o) => ["keda.sh/v1alpha1", "argoproj.io/v1alpha1"].includes(o["apiVersion"]))) expect(validateManifest(d as { apiVersion: string; kind: string })).toEqual([]);
  });
});

describe("source map", () => {
  it("each trigger points at its `scale` line", () => {
    const program = compileSources({ "main.fin": SPEC });
    const doc = buildOutputs(program).documents.get("prod")!.find((d) => d.object["kind"] === "ScaledObject")!;
    const text = (r: { start: number; end: number } | undefined) => (r ? program.getSourceFile(doc.origin.file)!.text.slice(r.start, r.end) : "");
    expect(text(doc.fields["/spec/triggers/2"])).toBe('on prometheus "sum(rate(jobs_total[1m]))" above 50');
  });
});
