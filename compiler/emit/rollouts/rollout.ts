import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { formatDuration } from "../../model/units.js";
import { labels, metadata, selector } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { ambientCanary, analysisTemplateName, CANARY_HASH_ARG, CANONICAL_REVISION } from "./analysis.js";
import { isProduction } from "../../model/environment-kind.js";
import { baseEnvironment } from "../../model/cluster-topology.js";

/** The DestinationRule subsets and VirtualService route Argo Rollouts shifts weight between (emit/istio/traffic.ts). */
export const STABLE_SUBSET = "stable";
export const CANARY_SUBSET = "canary";
export const MESH_ROUTE = "default";

export { isProduction };

export const previewServiceName = (s: ServiceModel): string =>
  (s.scaling?.rollout?.kind === "blue-green" ? s.scaling.rollout.preview : undefined) ?? `${s.name}-preview`;

/** Does Argo shift the canary's weight through the mesh (a VirtualService with stable/canary subsets)? */
export function meshCanary(model: PlatformModel, s: ServiceModel): boolean {
  return model.platform.mesh === "istio" && s.scaling?.rollout?.kind === "canary" && s.ports.some((p) => p.protocol !== "tcp");
}

/**
 * `rollout …`: an Argo Rollout that references the service's Deployment (`workloadRef`),
 * the approach Argo documents for adopting an existing Deployment: the Deployment keeps
 * the pod template (so Helm values, Kustomize patches, config hashes and policy checks
 * apply unchanged) at 0 replicas, and the Rollout runs the pods from it.
 */
export function rolloutDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  const r = s.scaling?.rollout;
  if (!r) return [];
  const f = s.fields;
  const analysis = r.conditions.length
    ? (service: string) => ({ templates: [{ templateName: analysisTemplateName(s) }], args: [{ name: "service", value: service }, { name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: "Latest" } }] })
    : undefined;
  let strategy: Record<string, unknown>;
  if (r.kind === "canary") {
    const steps = r.weights.flatMap((w) => [
      { setWeight: w },
      ...(r.pauseMs !== undefined ? [{ pause: { duration: formatDuration(r.pauseMs) } }] : []),
      ...(analysis ? [{ analysis: analysis(s.name) }] : []),
    ]);
    strategy = {
      canary: {
        maxSurge: s.update.maxSurge,
        maxUnavailable: s.update.maxUnavailable,
        ...(meshCanary(model, s)
          ? { trafficRouting: { istio: { virtualService: { name: s.name, routes: [MESH_ROUTE] }, destinationRule: { name: s.name, canarySubsetName: CANARY_SUBSET, stableSubsetName: STABLE_SUBSET } } } }
          : {}),
        // Ambient: the waypoint learns the pods' labels from istiod, so these ephemeral labels (changed in place at promotion) reach the metrics.
        ...(analysis && ambientCanary(model, s)
          ? { canaryMetadata: { labels: { [CANONICAL_REVISION]: "canary" } }, stableMetadata: { labels: { [CANONICAL_REVISION]: "stable" } } }
          : {}),
        steps,
      },
    };
  } else {
    const auto = r.promote ? r.promote === "auto" : !isProduction(baseEnvironment(model));
    strategy = {
      blueGreen: {
        activeService: s.name,
        previewService: previewServiceName(s),
        autoPromotionEnabled: auto,
        ...(analysis ? { prePromotionAnalysis: analysis(previewServiceName(s)) } : {}),
        scaleDownDelaySeconds: 30,
      },
    };
  }
  const docs = [document(`${s.namespace}/rollout-${s.name}.yaml`, {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Rollout",
    metadata: metadata(s.name, s.namespace, labels(model, s.name, "rollout")),
    spec: {
      replicas: s.replicas.min,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector(s.name) },
      workloadRef: { apiVersion: "apps/v1", kind: "Deployment", name: s.name, scaleDown: "progressively" },
      strategy,
    },
  }, f["rollout"] ?? s.origin, { "/spec/replicas": f["replicas"], "/spec/strategy": f["rollout"] })];
  if (r.kind === "blue-green") {
    docs.push(document(`${s.namespace}/service-${previewServiceName(s)}.yaml`, {
      apiVersion: "v1",
      kind: "Service",
      metadata: metadata(previewServiceName(s), s.namespace, labels(model, s.name, "rollout", { "app.kubernetes.io/instance": previewServiceName(s) })),
      spec: {
        type: "ClusterIP",
        selector: selector(s.name),
        ports: s.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: "TCP", appProtocol: p.protocol === "grpc" ? "grpc" : p.protocol === "http" ? "http" : "tcp" })),
      },
    }, f["rollout"] ?? s.origin));
  }
  return docs;
}
