import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import type { ScaleTrigger } from "../../model/scaling-model.js";
import { awakeWindows } from "../../model/sleep.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { externalSecret } from "../kubernetes/secrets.js";
import { document, type EmittedDocument } from "../output.js";
import { scaleTargetRef } from "../rollouts/target.js";

const KEDA = "keda.sh/v1alpha1";
/** Where KEDA finds Kafka and Prometheus when a `scale` line does not say (Strimzi's and kube-prometheus' in-cluster names). */
export const DEFAULT_KAFKA_BROKERS = "kafka-kafka-bootstrap.kafka.svc:9092";
export const DEFAULT_PROMETHEUS = "http://prometheus-operated.monitoring.svc:9090";

type Trigger = ScaleTrigger & { readonly origin: PlatformModel["platform"]["origin"] };

/** The TriggerAuthentication (and, for a secret store, the ExternalSecret behind it) of each trigger that needs credentials. */
function authName(s: ServiceModel, t: Trigger, all: readonly Trigger[]): string | undefined {
  if (t.kind === "sqs") return `${s.name}-aws`;
  if (t.kind !== "kafka" || !t.auth) return undefined;
  const kafka = all.filter((x): x is Trigger & { kind: "kafka" } => x.kind === "kafka" && !!x.auth);
  return kafka.length === 1 ? `${s.name}-kafka` : `${s.name}-kafka-${kafka.indexOf(t as Trigger & { kind: "kafka" }) + 1}`;
}

function trigger(s: ServiceModel, t: Trigger, auth: string | undefined): Record<string, unknown> {
  const ref = auth ? { authenticationRef: { name: auth } } : {};
  switch (t.kind) {
    case "kafka":
      return { type: "kafka", metadata: { bootstrapServers: t.brokers ?? DEFAULT_KAFKA_BROKERS, consumerGroup: t.group ?? s.name, topic: t.topic, lagThreshold: String(t.lag) }, ...ref };
    case "sqs":
      return { type: "aws-sqs-queue", metadata: { queueURL: t.url, queueLength: String(t.depth), awsRegion: t.region }, ...ref };
    case "prometheus":
      return { type: "prometheus", metadata: { serverAddress: t.server ?? DEFAULT_PROMETHEUS, query: t.query, threshold: String(t.above) } };
    case "cron":
      return { type: "cron", metadata: { timezone: t.timezone, start: t.start, end: t.end, desiredReplicas: String(t.replicas) } };
  }
}

/**
 * `scale on …`: one ScaledObject per service. KEDA creates and owns the HPA behind it,
 * so the plain HPA is not emitted (emit/kubernetes/service.ts); a CPU or memory target of
 * `replicas … at cpu 70%` becomes a cpu/memory trigger of the same ScaledObject.
 */
export function scaledObjectDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  const triggers = s.scaling?.scale ?? [];
  const sleep = s.scaling?.sleep;
  if (!triggers.length && !sleep) return [];
  const f = s.fields;
  const docs: EmittedDocument[] = [];
  const fields: Record<string, typeof f[string]> = { "/spec/minReplicaCount": f["replicas"], "/spec/maxReplicaCount": f["replicas"] };
  const specs = triggers.map((t, i) => {
    fields[`/spec/triggers/${i}`] = t.origin;
    return trigger(s, t, authName(s, t, triggers));
  });
  const resource = (name: "cpu" | "memory", target: number | undefined) =>
    target === undefined ? [] : [{ type: name, metricType: "Utilization", metadata: { value: String(target) } }];
  // `sleep`: awake windows hold the workload's minimum (at least 1); outside them KEDA falls to 0.
  if (sleep)
    for (const w of awakeWindows(sleep)) {
      fields[`/spec/triggers/${specs.length}`] = sleep.origin;
      specs.push({ type: "cron", metadata: { timezone: sleep.timezone, start: w.start, end: w.end, desiredReplicas: String(Math.max(1, s.replicas.min)) } });
    }
  if (sleep) fields["/spec/minReplicaCount"] = sleep.origin;
  // With only `sleep`, the ScaledObject replaces the plain HPA of a replica range and keeps its metrics
  // (CPU 80% when none is given, emit/kubernetes/service.ts); a fixed count had no HPA to convert.
  const replacesHpa = !triggers.length && s.replicas.max > s.replicas.min;
  const cpu = replacesHpa && s.replicas.memoryTarget === undefined ? s.replicas.cpuTarget ?? 80 : s.replicas.cpuTarget;
  if (triggers.length || replacesHpa) specs.push(...resource("cpu", cpu), ...resource("memory", s.replicas.memoryTarget));
  docs.push(document(`${s.namespace}/scaledobject-${s.name}.yaml`, {
    apiVersion: KEDA,
    kind: "ScaledObject",
    metadata: metadata(s.name, s.namespace, labels(model, s.name, "autoscaling")),
    spec: {
      scaleTargetRef: scaleTargetRef(s),
      minReplicaCount: sleep ? 0 : s.replicas.min,
      maxReplicaCount: Math.max(1, s.replicas.max),
      triggers: specs,
    },
  }, f["scale"] ?? sleep?.origin ?? s.origin, fields));
  const seen = new Set<string>();
  triggers.forEach((t) => {
    const name = authName(s, t, triggers);
    if (!name || seen.has(name)) return;
    seen.add(name);
    docs.push(...triggerAuthDocuments(model, s, t, name));
  });
  return docs;
}

function triggerAuthDocuments(model: PlatformModel, s: ServiceModel, t: Trigger, name: string): EmittedDocument[] {
  const l = labels(model, name, "autoscaling");
  if (t.kind === "sqs") {
    // The KEDA operator assumes the workload's own IAM role (IRSA / EKS Pod Identity): no key anywhere.
    return [document(`${s.namespace}/triggerauthentication-${name}.yaml`, {
      apiVersion: KEDA,
      kind: "TriggerAuthentication",
      metadata: metadata(name, s.namespace, l),
      spec: { podIdentity: { provider: "aws", identityOwner: "workload" } },
    }, t.origin)];
  }
  if (t.kind !== "kafka" || !t.auth) return [];
  // The credentials stay in the secret store: ESO syncs them into a Secret that only KEDA reads.
  const keys = ["username", "password"];
  const es = externalSecret(model, s.namespace, name, "autoscaling",
    keys.map((k) => ({ secretKey: k, store: t.auth!.store, path: t.auth!.path, property: k })),
    { engineVersion: "v2", data: { sasl: t.auth.sasl, tls: "enable", username: '{{ index . "username" }}', password: '{{ index . "password" }}' } });
  return [
    document(`${s.namespace}/externalsecret-${name}.yaml`, es, t.origin),
    document(`${s.namespace}/triggerauthentication-${name}.yaml`, {
      apiVersion: KEDA,
      kind: "TriggerAuthentication",
      metadata: metadata(name, s.namespace, l),
      spec: { secretTargetRef: ["sasl", "tls", "username", "password"].map((k) => ({ parameter: k, name, key: k })) },
    }, t.origin),
  ];
}
