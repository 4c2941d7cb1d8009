import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { labels, metadata, selector } from "./labels.js";
import { names } from "./names.js";
import { configData, configMapName, podTemplate } from "./pod.js";
import { rbacDocuments } from "./rbac.js";
import { kubernetesSecrets, rotationOf, sealedSecretDocuments, secretNameOf, serviceSecretDocuments } from "./secrets.js";
import { kedaScaled, scaleTargetRef } from "../rollouts/target.js";
import { isBatch, servesTraffic, workloadKind } from "../../model/workload-kind.js";
import { batchDocument } from "./job.js";
import { needsRecreate, persistentVolumeClaimDocuments } from "./pod-volumes.js";
import { statefulDocuments } from "./stateful-service.js";
import { isStateful } from "../../model/volumes.js";
import { withUserAnnotations, withUserLabels } from "./pod-details.js";
import { loadBalancerAnnotations, serviceTypeOf } from "../../model/service-exposure.js";
import { gceServiceAnnotations } from "../ingress/gce.js";

const nonEmpty = (a: Record<string, string>) => (Object.keys(a).length ? a : undefined);

/** Every Kubernetes object a `service` declaration produces. */
export function serviceDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  const dir = s.namespace;
  const l = withUserLabels(s, labels(model, s.name, workloadKind(s), { "app.kubernetes.io/version": imageTag(s.image) }));
  const f = s.fields;
  const docs: EmittedDocument[] = [];
  const configMaps = s.config.length ? [configMapName(s)] : [];
  // Exactly the Secrets the pod template references (ESO target and/or SealedSecret), never the registry's pull secret (the kubelet reads that).
  const secrets = [...new Set(kubernetesSecrets(model, s).map((sec) => secretNameOf(s, sec)))].sort();
  // The Role is emitted only for workloads that get an API token (`kubernetes-api yes`). Without a mounted token
  // a Role would document intent but also grant Secret reads to any token minted later for the ServiceAccount
  // (TokenRequest, a debug pod): an unused permission is attack surface, so it is not granted.
  docs.push(...rbacDocuments(model, s, "service", s.kubernetesApi ? { configMaps, secrets } : { configMaps: [], secrets: [] }, model.platform.registry ? names.registrySecret : undefined));
  if (s.config.length) {
    const cmFields: Record<string, typeof f[string]> = {};
    for (const c of s.config) cmFields[`/data/${c.key}`] = c.origin;
    docs.push(document(`${dir}/configmap-${configMapName(s)}.yaml`, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: metadata(configMapName(s), s.namespace, l),
      ...(s.configImmutable ? { immutable: true } : {}),
      data: configData(s),
    }, f["config"] ?? s.origin, cmFields));
  }
  docs.push(...serviceSecretDocuments(model, s), ...sealedSecretDocuments(model, s), ...persistentVolumeClaimDocuments(model, s));
  // Rotated database credentials: ESO updates the Secret in place, and env vars are read only at start, so
  // Reloader (stakater/reloader) rolls the Deployment when that Secret changes.
  const rotated = rotationOf(model, s) !== undefined ? { "secret.reloader.stakater.com/reload": names.secret(s.name) } : undefined;
  const c = "/spec/template/spec/containers/0";
  // A job or cron job runs its pod to completion (job.ts); a service or worker keeps it running.
  // Every run starts new pods, which read the Secret as it is then: no Reloader annotation.
  if (isBatch(s)) docs.push(batchDocument(model, s, l));
  // `volume … per-replica`: a StatefulSet and its headless Service (stateful-service.ts).
  else if (isStateful(s)) docs.push(...statefulDocuments(model, s, l, withUserAnnotations(s, rotated)));
  else docs.push(document(`${dir}/deployment-${s.name}.yaml`, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(s.name, s.namespace, l, withUserAnnotations(s, rotated)),
    spec: {
      // With `rollout …` the Argo Rollout runs the pods from this template (workloadRef): the Deployment itself runs none.
      replicas: s.scaling?.rollout ? 0 : s.replicas.min,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { ...selector(s.name), ...primaryVersion(s) } },
      // A shared ReadWriteOnce claim attaches to one node: the old pod goes before the new one starts.
      strategy: needsRecreate(s) ? { type: "Recreate" } : { type: "RollingUpdate", rollingUpdate: { maxSurge: s.update.maxSurge, maxUnavailable: s.update.maxUnavailable } },
      template: podTemplate(model, s, { ...selector(s.name), ...primaryVersion(s), "app.kubernetes.io/part-of": model.platform.name }),
    },
  }, s.origin, {
    "/spec/replicas": f["replicas"],
    "/spec/strategy/rollingUpdate": f["update"],
    [`${c}/image`]: f["image"],
    [`${c}/ports`]: f["port"],
    [`${c}/resources/requests/cpu`]: f["cpu"],
    [`${c}/resources/limits/cpu`]: f["cpu"],
    [`${c}/resources/requests/memory`]: f["memory"],
    [`${c}/resources/limits/memory`]: f["memory"],
    [`${c}/readinessProbe`]: f["probe"],
    [`${c}/livenessProbe`]: f["probe"],
    [`${c}/startupProbe`]: f["probe"],
    [`${c}/env`]: f["secret"],
    "/spec/template/spec/initContainers/0": f["migrate"],
    "/spec/template/spec/terminationGracePeriodSeconds": f["grace"],
    "/spec/template/spec/securityContext/runAsUser": f["user"],
  }));
  // A worker, job or cron job has no callers: no Service.
  if (servesTraffic(s)) docs.push(document(`${dir}/service-${s.name}.yaml`, {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(s.name, s.namespace, l, nonEmpty({ ...loadBalancerAnnotations(model.platform.cloud, s.serviceType), ...gceServiceAnnotations(model, s) })),
    spec: {
      type: serviceTypeOf(s.serviceType),
      ...(s.traffic?.affinity?.kind === "client-ip" ? { sessionAffinity: "ClientIP" } : {}),
      selector: selector(s.name),
      ports: s.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: "TCP", appProtocol: p.protocol === "grpc" ? "grpc" : p.protocol === "http" ? "http" : "tcp" })),
    },
  }, f["port"] ?? s.origin, { "/spec/ports": f["port"], "/spec/type": f["service-type"] }));
  // With `scale on …` KEDA's ScaledObject owns the HPA (emit/autoscaling): a second HPA on the same workload would fight it.
  if (s.replicas.max > s.replicas.min && !kedaScaled(s)) {
    const metrics = [
      ...(s.replicas.cpuTarget !== undefined || s.replicas.memoryTarget === undefined ? [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: s.replicas.cpuTarget ?? 80 } } }] : []),
      ...(s.replicas.memoryTarget !== undefined ? [{ type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: s.replicas.memoryTarget } } }] : []),
    ];
    docs.push(document(`${dir}/horizontalpodautoscaler-${s.name}.yaml`, {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: metadata(s.name, s.namespace, l),
      spec: { scaleTargetRef: scaleTargetRef(s), minReplicas: Math.max(1, s.replicas.min), maxReplicas: s.replicas.max, metrics },
    }, f["replicas"] ?? s.origin, { "/spec/minReplicas": f["replicas"], "/spec/maxReplicas": f["replicas"] }));
  }
  if (s.replicas.min >= 2) {
    docs.push(document(`${dir}/poddisruptionbudget-${s.name}.yaml`, {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: metadata(s.name, s.namespace, l),
      spec: { maxUnavailable: 1, selector: { matchLabels: selector(s.name) } },
    }, f["replicas"] ?? s.origin));
  }
  return docs;
}

function imageTag(image: string): string {
  const last = image.split("/").pop()!;
  const tag = last.includes("@") ? last.split("@sha256:")[1]!.slice(0, 12) : last.includes(":") ? last.split(":")[1]! : "latest";
  return tag.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 63);
}

/** With `split`, the main Deployment runs the first version: its pods carry `version` for the mesh's subsets (see emit/istio). */
function primaryVersion(s: ServiceModel): Record<string, string> {
  const v = s.traffic?.split?.[0]?.version;
  return v ? { version: v } : {};
}
