import type { NamespaceModel, PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { ingressController } from "./common.js";

/**
 * Istio ambient mode (`mesh istio ambient`): no sidecars; each node's ztunnel carries
 * mTLS (HBONE, port 15008) and enforces L4 AuthorizationPolicies, and a waypoint proxy
 * per namespace (a Gateway API Gateway of class istio-waypoint) enforces policies that
 * target it or its Services — the L7 layer.
 *
 * How the call graph stays exact (see mesh.ts):
 * - ztunnel (policies with a selector): allow-nothing per namespace, then per workload its
 *   declared callers (traffic addressed to pods, e.g. a headless database Service), the
 *   ingress gateway where exposed, and the namespace's waypoint on the workload's ports;
 * - waypoint (policies with targetRefs): allow-nothing on the waypoint, then per Service
 *   its declared callers, checked against the caller's own identity.
 * NetworkPolicies must let HBONE through: every hop of ambient traffic arrives on 15008,
 * so at L3 the namespaces accept 15008 from ambient namespaces and the ingress gateway, and
 * the identities above decide.
 */

/** The waypoint's name, which is also its service account (its SPIFFE identity). */
export const WAYPOINT = "waypoint";
export const HBONE_PORT = 15008;

export function ambient(model: PlatformModel): boolean {
  return model.platform.mesh === "istio" && model.platform.meshMode === "ambient";
}

/** The namespace labels that put its pods in the mesh. */
export function meshNamespaceLabels(model: PlatformModel): Record<string, string> {
  if (model.platform.mesh !== "istio") return {};
  return ambient(model) ? { "istio.io/dataplane-mode": "ambient", "istio.io/use-waypoint": WAYPOINT } : { "istio-injection": "enabled" };
}

/**
 * `mesh istio sidecar cni`: the namespace states that the Istio CNI node agent sets up its pods'
 * traffic redirection, so they get no privileged istio-init container and pass Pod Security
 * `restricted`. Istio itself needs no marker (istiod injects for CNI when it is installed with
 * `istio_cni.enabled`); this is the evidence for reviewers and admission checks.
 */
export function meshNamespaceAnnotations(model: PlatformModel): Record<string, string> {
  return model.platform.mesh === "istio" && !ambient(model) && model.platform.meshCni ? { "finc.dev/istio-cni": "true" } : {};
}

export function ambientNamespaceDocuments(model: PlatformModel, ns: NamespaceModel): EmittedDocument[] {
  const l = labels(model, ns.name, "mesh");
  const origin = model.platform.fields["mesh"] ?? ns.origin;
  const ambientPeers: Record<string, unknown>[] = [{ namespaceSelector: { matchLabels: { "istio.io/dataplane-mode": "ambient" } } }];
  if (model.platform.ingress !== "none")
    ambientPeers.push({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ingressController(model, model.platform.ingress).namespace } } });
  const hbone = [{ protocol: "TCP", port: HBONE_PORT }];
  return [
    document(`${ns.name}/gateway-${WAYPOINT}.yaml`, {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: metadata(WAYPOINT, ns.name, { ...l, "istio.io/waypoint-for": "service" }),
      spec: { gatewayClassName: "istio-waypoint", listeners: [{ name: "mesh", port: HBONE_PORT, protocol: "HBONE" }] },
    }, origin),
    document(`${ns.name}/authorizationpolicy-${WAYPOINT}-allow-nothing.yaml`, {
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: metadata(`${WAYPOINT}-allow-nothing`, ns.name, l),
      spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: WAYPOINT }], action: "ALLOW" },
    }, origin),
    document(`${ns.name}/networkpolicy-allow-hbone.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata("allow-hbone", ns.name, l),
      spec: {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: ambientPeers, ports: hbone }],
        egress: [{ to: [ambientPeers[0]!], ports: hbone }],
      },
    }, origin),
  ];
}
