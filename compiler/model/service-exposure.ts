import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { Cloud } from "./platform-model.js";

/**
 * `service-type`: how the Service is reached. `cluster-ip` (the default) only from inside the
 * cluster; `load-balancer` through a cloud L4 load balancer, internal (the default: reachable
 * from the VPC and peered networks) or `public` (internet-facing); `node-port` on every node's IP.
 */
export type ServiceExposure =
  | { readonly kind: "cluster-ip" }
  | { readonly kind: "load-balancer"; readonly internal: boolean; readonly origin?: SourceRange }
  | { readonly kind: "node-port"; readonly origin?: SourceRange };

export const serviceTypeOf = (e: ServiceExposure | undefined): "ClusterIP" | "LoadBalancer" | "NodePort" =>
  e?.kind === "load-balancer" ? "LoadBalancer" : e?.kind === "node-port" ? "NodePort" : "ClusterIP";

/**
 * The annotations each cloud's load-balancer controller reads. AWS: the AWS Load Balancer
 * Controller (`type: external`) provisions an NLB that targets pod IPs directly (`ip`), with the
 * scheme asked for; without these the legacy in-tree controller would make a Classic ELB to node
 * ports. GKE and AKS make an external balancer unless told `Internal`. On-prem (MetalLB and the
 * like) needs none.
 */
export function loadBalancerAnnotations(cloud: Cloud, e: ServiceExposure | undefined): Record<string, string> {
  if (e?.kind !== "load-balancer") return {};
  switch (cloud) {
    case "aws":
      return {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": e.internal ? "internal" : "internet-facing",
      };
    case "gcp":
      return e.internal ? { "networking.gke.io/load-balancer-type": "Internal" } : {};
    case "azure":
      return e.internal ? { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" } : {};
    case "onprem":
      return {};
  }
}

/** RFC 1918: the addresses VPCs, peered networks and nodes use. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/**
 * Where a load balancer's (or node port's) packets come from, as the pod's NetworkPolicy sees
 * them: the sources are outside the cluster, so only an ipBlock can admit them. An internal
 * balancer's clients (and an NLB's own addresses when it does not preserve client IPs) are in the
 * VPC or a peered network: private ranges, since finc does not know the VPC's CIDR. A public
 * balancer passes internet clients' addresses through (NLB ip targets, GKE and AKS passthrough
 * balancers): anywhere. A node port arrives SNATed to a node's address: private ranges.
 */
export function externalSources(e: ServiceExposure | undefined): readonly string[] {
  if (e?.kind === "load-balancer") return e.internal ? PRIVATE_RANGES : ["0.0.0.0/0"];
  if (e?.kind === "node-port") return PRIVATE_RANGES;
  return [];
}
