import type { PlatformModel } from "../../model/platform-model.js";

/**
 * How one cluster of a multi-cluster environment publishes the exposed hosts (external-dns on
 * Route 53), one record set per cluster (`set-identifier`):
 *
 * - `primary`/`standby`: failover records, the primary PRIMARY and a standby SECONDARY;
 * - `active`: latency records (`aws-region`): Route 53 answers each client with the healthy
 *   cluster of lowest latency, so every active cluster takes traffic.
 *
 * Each alias evaluates the load balancer's target health; with the cluster's `health-check`
 * (terraform's Route 53 check of the application's own path, model/dns-health-checks.ts) the
 * record also follows that check. Nothing on one cluster.
 *
 * Off aws finc writes no routing policy (Cloud DNS routing policies and Azure Traffic Manager are
 * not modelled; `role active` there is FIN4101): the primary alone publishes the hosts, and a
 * standby's objects carry external-dns's `controller` annotation with another value than its own
 * (`dns-controller`), which external-dns skips — two clusters' external-dns would otherwise claim
 * the same names. Failing over there is the rebuild that makes the standby the primary.
 */
export function clusterRoutingAnnotations(model: PlatformModel): Record<string, string> {
  const c = model.cluster;
  if (!c) return {};
  if (model.platform.cloud !== "aws") return c.role === "standby" ? { "external-dns.alpha.kubernetes.io/controller": "finc-standby" } : {};
  const routing: Record<string, string> = c.role === "active" ? { "external-dns.alpha.kubernetes.io/aws-region": c.region } : { "external-dns.alpha.kubernetes.io/aws-failover": c.role === "primary" ? "PRIMARY" : "SECONDARY" };
  return {
    "external-dns.alpha.kubernetes.io/set-identifier": c.name,
    ...routing,
    "external-dns.alpha.kubernetes.io/aws-evaluate-target-health": "true",
    ...(c.healthCheck ? { "external-dns.alpha.kubernetes.io/aws-health-check-id": c.healthCheck } : {}),
  };
}
