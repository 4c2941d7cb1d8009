import type { FieldValues } from "../semantic/read-fields.js";
import type { IngressController, PlatformModel } from "./platform-model.js";

/** Local rate limits in Envoy sidecars: only `mesh istio` in sidecar mode has them (EnvoyFilter is not supported on ambient waypoints). */
export function sidecarRateLimits(model: PlatformModel): boolean {
  return model.platform.mesh === "istio" && model.platform.meshMode !== "ambient";
}

/**
 * Where the Istio ingress gateway runs: the namespace its pods are in, the service account
 * they run as (their mesh identity, which the AuthorizationPolicies admit), the name of its
 * Service, and the pod labels a Gateway's `selector` and that Service select (the `istio`
 * label both istioctl and the Helm chart set; `app` is left out so either install matches).
 */
export interface IngressGatewayModel {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly service: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The defaults are those of Istio's `gateway` Helm chart installed as release
 * `istio-ingressgateway` in namespace `istio-ingress` (Istio's documented Helm install:
 * the chart names the service account and the Service after the release, and labels the pods
 * `istio: <release without "istio-">`, the label Gateways select). They are what finc always assumed.
 */
export const HELM_GATEWAY_DEFAULT: IngressGatewayModel = helmGateway("istio-ingressgateway", "istio-ingress");

/** `istioctl install` (default profile): the gateway in istio-system with its own `-service-account`. */
export const ISTIOCTL_GATEWAY: IngressGatewayModel = {
  namespace: "istio-system",
  serviceAccount: "istio-ingressgateway-service-account",
  service: "istio-ingressgateway",
  labels: { istio: "ingressgateway" },
};

/** What the `istio/gateway` Helm chart creates for a release in a namespace. */
export function helmGateway(release: string, namespace: string): IngressGatewayModel {
  return { namespace, serviceAccount: release, service: release, labels: { istio: release.replace(/^istio-/, "") } };
}

/** The value the platform's `gateway` field reads to (see schema/platform.ts). */
export interface GatewayRead {
  readonly profile?: { readonly kind: "istioctl" } | { readonly kind: "helm"; readonly release: string };
  readonly namespace?: string;
  readonly account?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export function resolveGateway(g: GatewayRead | undefined): IngressGatewayModel {
  return g ? applyGatewayRead(g, { istioctl: ISTIOCTL_GATEWAY, helm: helmGateway, fallback: HELM_GATEWAY_DEFAULT }) : HELM_GATEWAY_DEFAULT;
}

/**
 * A gateway as the platform field says it is installed (ingress or egress alike): the install
 * profile's defaults, then the namespace, account and labels the field sets.
 */
export function applyGatewayRead<T extends IngressGatewayModel>(g: GatewayRead, profiles: { readonly istioctl: T; readonly helm: (release: string, namespace: string) => T; readonly fallback: T }): T {
  const base =
    g.profile?.kind === "istioctl" ? profiles.istioctl
    : g.profile?.kind === "helm" ? profiles.helm(g.profile.release, g.namespace ?? profiles.fallback.namespace)
    : profiles.fallback;
  return {
    ...base,
    namespace: g.namespace ?? base.namespace,
    serviceAccount: g.account ?? base.serviceAccount,
    labels: g.labels && Object.keys(g.labels).length ? g.labels : base.labels,
  };
}

/** What platform-model.ts's PlatformInfo adds for the mesh's installation. */
export interface PlatformMesh {
  /** `mesh istio sidecar cni`: the Istio CNI node agent sets up the redirection, so pods get no privileged istio-init. */
  readonly meshCni?: boolean;
  /** The Istio ingress gateway (`gateway …`), defaults resolved. */
  readonly gateway?: IngressGatewayModel;
}

/** Platform fields → the mesh facts (spread into lowerPlatform). */
export function lowerPlatformMesh(v: FieldValues): PlatformMesh {
  const mesh = v.get<{ kind: "istio" | "none"; cni?: boolean }>("mesh");
  return { ...(mesh?.kind === "istio" && mesh.cni ? { meshCni: true } : {}), gateway: resolveGateway(v.get<GatewayRead>("gateway")) };
}

export function ingressGateway(model: PlatformModel): IngressGatewayModel {
  return model.platform.gateway ?? HELM_GATEWAY_DEFAULT;
}

/** Where each ingress controller runs and the service account it runs as (the mesh principal of exposed traffic). */
export function ingressController(model: PlatformModel, controller: Exclude<IngressController, "none">): { namespace: string; serviceAccount: string } {
  switch (controller) {
    // `ingress alb`: with the mesh the ALB targets the Istio gateway, the in-cluster hop the services see (emit/ingress/alb.ts).
    case "alb":
    case "gce":
    case "application-gateway":
    case "istio": {
      const g = ingressGateway(model);
      return { namespace: g.namespace, serviceAccount: g.serviceAccount };
    }
    case "nginx":
      return { namespace: "ingress-nginx", serviceAccount: "ingress-nginx" };
    case "traefik":
      return { namespace: "traefik", serviceAccount: "traefik" };
  }
}

/** The Istio ingress gateway routes exposed traffic: `ingress istio`, or `ingress alb` in front of it with the mesh. */
export const gatewayRoutes = (p: { readonly ingress: IngressController; readonly mesh: string }): boolean => p.ingress === "istio" || (cloudLoadBalancerIngress(p.ingress) && p.mesh === "istio");

/** `ingress alb|gce|application-gateway`: a cloud L7 load balancer that terminates TLS itself (and sends its targets no SNI). */
export const cloudLoadBalancerIngress = (i: IngressController): boolean => i === "alb" || i === "gce" || i === "application-gateway";

/** Istio with sidecars (not ambient). */
export function sidecarMesh(model: PlatformModel): boolean {
  return model.platform.mesh === "istio" && model.platform.meshMode !== "ambient";
}
