import type { FieldValues } from "../semantic/read-fields.js";
import { applyGatewayRead, type GatewayRead } from "./mesh.js";
import type { PlatformModel } from "./platform-model.js";

/**
 * The Istio egress gateway (`egress-gateway …` on the platform): where it runs as installed, so
 * that routes, DestinationRules, NetworkPolicies and its AuthorizationPolicy name it exactly.
 * `podPort` is the port its pods listen on behind the Service's 443: NetworkPolicy sees the pod's
 * port (after the Service's DNAT), Istio's routes the Service's.
 */
export interface EgressGatewayModel {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly service: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly podPort: number;
}

/**
 * Default: Istio's `gateway` Helm chart installed as release `istio-egressgateway` in namespace
 * `istio-egress` (Istio's documented Helm install of an egress gateway): service account and
 * Service named after the release, pods labelled `istio: egressgateway`, listening on 443 itself
 * (the chart lets the pods bind low ports).
 */
export const HELM_EGRESS_DEFAULT: EgressGatewayModel = helmEgress("istio-egressgateway", "istio-egress");

/** istioctl's `istio-egressgateway` (demo profile, or enabled in an IstioOperator): istio-system, Service 443 → pod 8443. */
export const ISTIOCTL_EGRESS: EgressGatewayModel = {
  namespace: "istio-system",
  serviceAccount: "istio-egressgateway-service-account",
  service: "istio-egressgateway",
  labels: { istio: "egressgateway" },
  podPort: 8443,
};

function helmEgress(release: string, namespace: string): EgressGatewayModel {
  return { namespace, serviceAccount: release, service: release, labels: { istio: release.replace(/^istio-/, "") }, podPort: 443 };
}

export function resolveEgressGateway(g: GatewayRead): EgressGatewayModel {
  return applyGatewayRead(g, { istioctl: ISTIOCTL_EGRESS, helm: helmEgress, fallback: HELM_EGRESS_DEFAULT });
}

/** What PlatformInfo adds: the egress gateway, when the platform routes egress through one. */
export interface PlatformEgressGateway {
  readonly egressGateway?: EgressGatewayModel;
}

export function lowerPlatformEgressGateway(v: FieldValues): PlatformEgressGateway {
  const g = v.get<GatewayRead>("egress-gateway");
  return g ? { egressGateway: resolveEgressGateway(g) } : {};
}

/** The egress gateway external hosts leave through: only with Istio sidecars (FIN4058 refuses it otherwise). */
export function egressGatewayOf(model: PlatformModel): EgressGatewayModel | undefined {
  const p = model.platform;
  return p.mesh === "istio" && p.meshMode !== "ambient" ? p.egressGateway : undefined;
}

/** The gateway's Service, as the sidecars' routes and DestinationRules name it. */
export const egressGatewayHost = (g: EgressGatewayModel) => `${g.service}.${g.namespace}.svc.cluster.local`;
