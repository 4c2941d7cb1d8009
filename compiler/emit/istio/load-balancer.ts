import type { Cloud, PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { ingressGateway } from "../../model/mesh.js";

/** Envoy's readiness endpoint on an Istio gateway: ready once it has its configuration from istiod. */
export const GATEWAY_HEALTH = { port: 15021, path: "/healthz/ready" } as const;

/**
 * The cloud load balancer in front of the Istio ingress gateway, per cloud.
 *
 * - aws: an NLB from the AWS Load Balancer Controller (`type: external`) with IP targets,
 *   so it sends traffic and health checks straight to the gateway pods; the health check
 *   is the gateway's readiness endpoint (15021 /healthz/ready), not the traffic port.
 * - gcp: the backend-service-based external passthrough NLB (`l4-rbs`).
 * - azure: the standard public load balancer.
 * With `externalTrafficPolicy: Local` (which keeps the client's source IP), GCP and Azure
 * probe kube-proxy's healthCheckNodePort, which answers healthy only on nodes running a
 * *ready* gateway pod — whose readiness probe is the same 15021 /healthz/ready — so no
 * probe annotations are needed there (Azure ignores them under Local).
 */
export function loadBalancerAnnotations(cloud: Cloud): Record<string, string> {
  switch (cloud) {
    case "aws":
      return {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": String(GATEWAY_HEALTH.port),
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": GATEWAY_HEALTH.path,
        "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
      };
    case "gcp":
      return { "cloud.google.com/l4-rbs": "enabled" };
    case "azure":
      return { "service.beta.kubernetes.io/azure-load-balancer-internal": "false" };
    case "onprem":
      return {};
  }
}

/**
 * `ingress istio`: the gateway's Service of type LoadBalancer in the gateway namespace,
 * selecting the gateway pods (the platform's `gateway` labels), HTTP 80 and HTTPS 443. Target
 * ports are 80/443 as the Istio `gateway` Helm chart runs Envoy (unprivileged ports from 0).
 */
export function gatewayServiceDocuments(model: PlatformModel): EmittedDocument[] {
  const gw = ingressGateway(model);
  const ns = gw.namespace;
  const name = gw.service;
  return [document(`${ns}/service-${name}.yaml`, {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(name, ns, labels(model, name, "gateway"), loadBalancerAnnotations(model.platform.cloud)),
    spec: {
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      selector: { ...gw.labels },
      ports: [
        { name: "http2", port: 80, targetPort: 80, protocol: "TCP" },
        { name: "https", port: 443, targetPort: 443, protocol: "TCP" },
      ],
    },
  }, model.platform.fields["ingress"] ?? model.platform.origin, { "/metadata/annotations": model.platform.fields["cloud"] })];
}
