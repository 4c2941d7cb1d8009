import type { SourceRange } from "../diagnostics/diagnostic.js";
import { isCatchAll } from "./catch-all-host.js";
import type { PlatformModel, PortModel, ServiceModel } from "./platform-model.js";

/**
 * Route 53 health checks on the application's own path, one per cluster per exposed host, for a
 * multi-cluster environment on aws whose DNS external-dns publishes (task H4).
 *
 * Why a per-cluster name: a health check that called the public host would resolve it through the
 * very records it decides (whichever cluster DNS answers with), and one that called a cluster's
 * load balancer by its AWS name would send that name as Host (and SNI), which the Istio gateway
 * does not serve. So each cluster's gateway also serves `<cluster>.<host>` (health-check-gateway.ts:
 * only the checked path, to the host's service, published by external-dns as a plain record of
 * that cluster's load balancer), and the check calls that name on the readiness (or smoke-test)
 * path. Over HTTP on port 80, which the gateway's load balancer already listens on: the path
 * answers a status and carries no data, and serving the name over HTTPS would need a certificate
 * of its own (the host's on a second Gateway is a duplicate certificate that breaks HTTP/2
 * connection reuse, istioctl IST0138), issued for a name that exists only for the check.
 *
 * Why pasted back (`health-checks` on the cluster): external-dns attaches a health check to a
 * record only by its ID (`aws-health-check-id`), which Route 53 picks when terraform creates it.
 * Letting Terraform write the records itself instead would make the Kubernetes output's DNS depend
 * on a Terraform apply and have external-dns and Terraform claim the same names. Until the IDs are
 * pasted the records follow the load balancer's target health, as before.
 */
export interface HealthCheckTarget {
  readonly host: string;
  /** `<cluster>.<host>`: the name the check calls, served by this cluster's gateway only. */
  readonly checkHost: string;
  readonly service: ServiceModel;
  readonly port: PortModel;
  readonly path: string;
  /** Where the path comes from (`probe readiness` or `smoke-test`), for the docs and diagnostics. */
  readonly from: "readiness" | "smoke-test";
  readonly origin: SourceRange;
}

/** A host with no path finc can check, and why. */
export interface UncheckedHost {
  readonly host: string;
  readonly why: string;
  readonly origin: SourceRange;
}

/** Checks every 10 s, unhealthy after 3 failures: ~30 s before Route 53 stops answering with the cluster. */
export const HEALTH_CHECK_TIMING = { requestIntervalSeconds: 10, failureThreshold: 3 } as const;

/** Route 53's health checker regions (at least three must be chosen). */
const CHECKER_REGIONS = ["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"] as const;

/** The checkers: those among the platform's regions, then the defaults, three or more. */
export function checkerRegions(model: PlatformModel): string[] {
  const own = model.platform.regions.map((r) => r.name).filter((r) => (CHECKER_REGIONS as readonly string[]).includes(r));
  const out = [...new Set(own)];
  for (const r of ["us-east-1", "eu-west-1", "ap-southeast-1"]) if (out.length < 3 && !out.includes(r)) out.push(r);
  return out.sort();
}

/**
 * Why this output gets no health checks at all, or undefined when it does: it is one cluster of a
 * multi-cluster environment, on aws, with external-dns, behind the Istio gateway (the one ingress
 * whose extra per-cluster name finc can serve without another certificate or load balancer).
 */
export function healthChecksUnavailable(model: PlatformModel): string | undefined {
  if (!model.cluster) return "the environment runs on one cluster (DNS has nothing to fail over to)";
  if (model.platform.cloud !== "aws") return `Route 53 health checks are AWS's, and the platform is on ${model.platform.cloud}`;
  if ((model.platform.dns?.provider ?? "external-dns") !== "external-dns") return "the platform's `dns` is `none` (external-dns publishes no records to attach them to)";
  if (model.platform.ingress !== "istio") return `finc serves the per-cluster name the checks call on \`ingress istio\` only, and the platform has \`ingress ${model.platform.ingress}\``;
  return undefined;
}

export function healthCheckHost(cluster: string, host: string): string {
  return `${cluster}.${host}`;
}

/** The port a route of `s` for `portName` sends to (common.ts routePort's choice). */
function routePortModel(s: ServiceModel, portName?: string): PortModel | undefined {
  return s.ports.find((p) => p.name === portName) ?? s.ports[0];
}

/** The HTTP path of `s` a health check may GET on `port`: its readiness probe's, else its smoke test's. */
function checkPath(s: ServiceModel, port: PortModel): { path: string; from: HealthCheckTarget["from"] } | string {
  if (port.protocol !== "http") return `'${s.name}' serves it on ${port.protocol} port '${port.name}'`;
  const r = s.probes.readiness;
  if (r && r.check === undefined && r.port === port.name && !r.headers?.length) return { path: r.path, from: "readiness" };
  const t = s.smokeTest;
  if (t?.path && (t.port ?? port.name) === port.name && t.expect >= 200 && t.expect < 400) return { path: t.path, from: "smoke-test" };
  const probe = !r ? "no readiness probe" : r.check ? `a ${r.check} readiness probe` : r.headers?.length ? "a readiness probe that needs a header (Route 53 sends none)" : `its readiness probe on port '${r.port}', not '${port.name}'`;
  return `'${s.name}' has ${probe} and no \`smoke-test /<path>\` on port '${port.name}' answering 2xx or 3xx`;
}

/**
 * Per exposed host (not the catch-all), what this cluster's health check calls: the service
 * routed at the host's shortest path (the host's most general route; the longest one wins a
 * request, so `/` or the shortest prefix is what most of the host depends on).
 */
export function healthCheckTargets(model: PlatformModel): { targets: HealthCheckTarget[]; unchecked: UncheckedHost[] } {
  const targets: HealthCheckTarget[] = [];
  const unchecked: UncheckedHost[] = [];
  const cluster = model.cluster;
  if (!cluster || healthChecksUnavailable(model)) return { targets, unchecked };
  const byHost = new Map<string, { service: ServiceModel; path: string; port?: string; origin: SourceRange }>();
  for (const s of model.services)
    for (const e of s.expose) {
      if (isCatchAll(e.host)) continue;
      const seen = byHost.get(e.host);
      if (!seen || e.path.length < seen.path.length) byHost.set(e.host, { service: s, path: e.path, ...(e.port ? { port: e.port } : {}), origin: e.origin });
    }
  for (const [host, r] of [...byHost].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const port = routePortModel(r.service, r.port);
    if (!port) {
      unchecked.push({ host, why: `'${r.service.name}' has no port`, origin: r.origin });
      continue;
    }
    const found = checkPath(r.service, port);
    if (typeof found === "string") unchecked.push({ host, why: found, origin: r.origin });
    else targets.push({ host, checkHost: healthCheckHost(cluster.name, host), service: r.service, port, path: found.path, from: found.from, origin: r.origin });
  }
  return { targets, unchecked };
}
