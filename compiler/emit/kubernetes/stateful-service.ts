import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { metadata, selector } from "./labels.js";
import { podTemplate } from "./pod.js";
import { claimSpec, claimVolumeName } from "./pod-volumes.js";
import { statefulServiceName } from "../../model/volumes.js";

/**
 * `volume … per-replica`: the workload runs as a StatefulSet, each replica with its own claim
 * per volume (`<volume>-<workload>-<ordinal>`, kept when the set is deleted or scaled down: a
 * bank does not lose a replica's data by scaling), and a headless Service `<workload>-pods` that
 * gives each pod a stable DNS name. The pods carry the same labels as a Deployment's, so the
 * NetworkPolicies, disruption budget, mesh policies, probes and the normal Service apply unchanged.
 * Pods start and stop in parallel like a Deployment's: per-replica storage needs no ordering.
 */
export const headlessServiceName = statefulServiceName;

export function statefulDocuments(model: PlatformModel, s: ServiceModel, l: Record<string, string>, annotations?: Record<string, string>): EmittedDocument[] {
  const f = s.fields;
  const perReplica = (s.volumes ?? []).filter((v) => v.perReplica);
  const c = "/spec/template/spec/containers/0";
  const set = document(`${s.namespace}/statefulset-${s.name}.yaml`, {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: metadata(s.name, s.namespace, l, annotations),
    spec: {
      serviceName: headlessServiceName(s.name),
      replicas: s.replicas.min,
      revisionHistoryLimit: 5,
      podManagementPolicy: "Parallel",
      updateStrategy: { type: "RollingUpdate" },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      selector: { matchLabels: selector(s.name) },
      template: podTemplate(model, s, { ...selector(s.name), "app.kubernetes.io/part-of": model.platform.name }),
      volumeClaimTemplates: perReplica.map((v) => ({ metadata: { name: claimVolumeName(v), labels: { ...selector(s.name), "app.kubernetes.io/component": "storage" } }, spec: claimSpec(v) })),
    },
  }, s.origin, {
    "/spec/replicas": f["replicas"],
    "/spec/volumeClaimTemplates": f["volume"],
    [`${c}/image`]: f["image"],
    [`${c}/ports`]: f["port"],
    [`${c}/resources`]: f["memory"] ?? f["cpu"],
    [`${c}/env`]: f["secret"],
    "/spec/template/spec/terminationGracePeriodSeconds": f["grace"],
  });
  const headless = document(`${s.namespace}/service-${headlessServiceName(s.name)}.yaml`, {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(headlessServiceName(s.name), s.namespace, l),
    spec: {
      clusterIP: "None",
      selector: selector(s.name),
      ...(s.ports.length ? { ports: s.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: "TCP", appProtocol: p.protocol === "grpc" ? "grpc" : p.protocol === "http" ? "http" : "tcp" })) } : {}),
    },
  }, f["volume"] ?? s.origin);
  return [set, headless];
}
