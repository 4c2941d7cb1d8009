import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { servesTraffic } from "../model/workload-kind.js";
import { diag } from "../diagnostics/messages.js";
import { defaultSolver } from "../model/acme-solver.js";
import { sidecarRateLimits } from "../model/mesh.js";
import type { Exposure, PlatformModel, ServiceModel } from "../model/platform-model.js";
import type { IssuerModel } from "../model/traffic-model.js";
import type { DeclarationTable, DeclInfo } from "./declarations.js";
import { didYouMean } from "./did-you-mean.js";
import type { FieldValues } from "./read-fields.js";
import { formatDuration } from "../model/units.js";

/**
 * Traffic checks of one service's fields: `tls <issuer>` resolves to a declared issuer,
 * `port <name>` in a route names one of the service's ports, split weights add up to
 * 100%, and every try of a retried request fits in the route timeout.
 */
export function checkTrafficRefs(
  d: DeclInfo,
  v: FieldValues,
  table: DeclarationTable,
  refer: (r: SourceRange, t: DeclInfo) => void,
  report: (d: Diagnostic) => void,
): void {
  const ports = (v.get<{ name: string }[]>("port") ?? []).map((p) => p.name);
  for (const e of v.all<Exposure[]>("expose").flat()) {
    if (e.tls && e.tlsRange) {
      const issuer = table.lookup("issuer", e.tls);
      if (issuer) refer(e.tlsRange, issuer);
      else
        report(diag("FIN2004", e.tlsRange, {
          expected: "issuer",
          name: e.tls,
          didYouMean: didYouMean(e.tls, table.names("issuer")) || `Declare it: \`issuer ${e.tls} { acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com" }\`.`,
        }));
    }
    if (e.port && e.portRange && !ports.includes(e.port))
      report(diag("FIN2004", e.portRange, { expected: "port", name: e.port, didYouMean: didYouMean(e.port, ports) || `Ports of '${d.name}': ${ports.join(", ")}.` }));
  }
  const split = v.get<{ weight: number }[]>("split");
  if (split) {
    const sum = split.reduce((s, x) => s + x.weight, 0);
    if (Math.abs(sum - 100) > 1e-9) report(diag("FIN3013", v.origins["split"]!, { name: d.name, sum }));
  }
  const retries = v.get<{ attempts: number; perTryMs?: number }>("retries");
  const timeout = v.get<number>("timeout");
  if (retries?.perTryMs !== undefined && timeout !== undefined) {
    const total = (retries.attempts + 1) * retries.perTryMs;
    if (total > timeout)
      report(diag("FIN3014", v.origins["retries"]!, { attempts: retries.attempts, perTry: formatDuration(retries.perTryMs), total: formatDuration(total), timeout: formatDuration(timeout) }, {
        related: [{ message: "route timeout set here", range: v.origins["timeout"]! }],
      }));
  }
}

const MESH_ONLY = ["timeout", "retries", "circuit-breaker", "connections", "balance", "split"] as const;

/** Checks across services: one service per host and path, one issuer per host, issuers, mesh-only fields. */
export function checkTraffic(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const routes = new Map<string, { service: string; e: Exposure }>();
  const hostIssuer = new Map<string, { service: string; issuer: string }>();
  for (const s of model.services) {
    for (const e of s.expose) {
      const key = `${e.host}${e.path}`;
      const prior = routes.get(key);
      if (prior && prior.service !== s.name)
        report(diag("FIN4008", e.origin, { host: e.host, path: e.path, first: prior.service, second: s.name }, { related: [{ message: `exposed by '${prior.service}' here`, range: prior.e.origin }] }));
      else routes.set(key, { service: s.name, e });
      if (e.tls) {
        const t = hostIssuer.get(e.host);
        if (t && t.issuer !== e.tls) report(diag("FIN4012", e.tlsRange ?? e.origin, { host: e.host, first: t.issuer, a: t.service, second: e.tls, b: s.name }));
        else hostIssuer.set(e.host, { service: s.name, issuer: e.tls });
      }
    }
    // A job's `timeout` is its run deadline, not a route timeout (workloads.ts).
    if (model.platform.mesh !== "istio" && servesTraffic(s)) {
      for (const f of MESH_ONLY) if (s.fields[f]) report(diag("FIN4010", s.fields[f]!, { field: f, name: s.name }));
    }
    if (s.rateLimit && !sidecarRateLimits(model)) {
      const r = unenforcedRateLimit(model, s);
      if (r) report(diag("FIN4011", s.fields["limit"] ?? s.origin, { name: s.name, ...r }));
    }
  }
  for (const i of model.issuers ?? []) {
    if (!i.acme === !i.ca) report(diag("FIN4009", i.fields["ca"] ?? i.fields["acme"] ?? i.origin, { name: i.name }));
    checkSolver(model, i, report);
  }
  checkWildcardHttp01(model, report);
}

/** ACME CAs (Let's Encrypt and others, RFC 8555 §7.1.3) validate wildcard identifiers only with DNS-01. */
function checkWildcardHttp01(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const issuers = new Map((model.issuers ?? []).map((i) => [i.name, i]));
  for (const s of model.services)
    for (const e of s.expose) {
      const i = e.tls ? issuers.get(e.tls) : undefined;
      if (!e.host.startsWith("*.") || !i?.acme || (i.solver ?? defaultSolver(model.platform)).kind !== "http") continue;
      report(diag("FIN4017", e.origin, {
        host: e.host,
        issuer: i.name,
        hint: `Give '${i.name}' a DNS-01 solver: \`solver ${DNS_HINT[model.platform.cloud]}\`${i.solver ? "" : " (HTTP-01 is its default on this platform)"}, or expose each host by name.`,
      }, i.fields["solver"] ? { related: [{ message: `'${i.name}' solves HTTP-01 here`, range: i.fields["solver"] }] } : {}));
    }
}


/**
 * `solver` on a CA issuer does nothing; HTTP-01 (written, or the default off AWS) needs
 * an ingress. HTTP-01 behind `ingress istio` is not an error: the gateway's HTTPS
 * redirect is lifted for the challenge path (emit/ingress/acme.ts).
 */
function checkSolver(model: PlatformModel, i: IssuerModel, report: (d: Diagnostic) => void): void {
  if (i.ca && !i.acme && i.solver) report(diag("FIN4013", i.fields["solver"]!, { name: i.name }));
  if (!i.acme || model.platform.ingress !== "none" || (i.solver ?? defaultSolver(model.platform)).kind !== "http") return;
  const dns = DNS_HINT[model.platform.cloud];
  report(diag("FIN4014", i.fields["solver"] ?? i.fields["acme"] ?? i.origin, {
    name: i.name,
    hint: `Solve challenges over DNS instead: \`solver ${dns}\`, or set \`ingress istio|nginx|traefik\` on the platform.`,
  }));
}

const DNS_HINT: Record<PlatformModel["platform"]["cloud"], string> = {
  aws: 'dns route53 "<hosted zone id>"',
  gcp: 'dns google "<project>"',
  azure: 'dns azure "<subscription id>" group "<resource group>"',
  onprem: 'dns cloudflare "<api token secret>"',
};

/** Why a service's `limit` is not enforced without a mesh, and what to do about it; undefined when nginx enforces it. */
function unenforcedRateLimit(model: PlatformModel, s: ServiceModel): { why: string; hint: string } | undefined {
  const meshOrNginx = "Use `mesh istio` (local rate limiting in each sidecar) or `ingress nginx` (limit-rps/limit-rpm annotations).";
  const ambient = model.platform.mesh === "istio";
  const without = ambient
    ? "Istio does not support EnvoyFilter on ambient waypoints, so there is no sidecar to rate-limit in; only exposed services are rate-limited (at the ingress)"
    : "without a mesh only exposed services are rate-limited (at the ingress)";
  if (s.expose.length === 0) return { why: without, hint: ambient ? "Use `mesh istio sidecar`, or expose the service through `ingress nginx` (limit-rps/limit-rpm annotations)." : meshOrNginx };
  if (model.platform.ingress === "nginx") return undefined;
  if (model.platform.ingress !== "traefik") return { why: `the ${model.platform.ingress} ingress has no rate-limit annotations finc can set`, hint: meshOrNginx };
  // Traefik rate-limits with its Middleware CRD, which finc does not emit (no schema to validate it against).
  const r = s.rateLimit!;
  const average = Math.max(1, Math.round(r.amount));
  const period = r.per === "s" ? "1s" : r.per === "m" ? "1m" : "1h";
  const middleware = `${s.name}-ratelimit`;
  return {
    why: "Traefik rate-limits with a Middleware object, which finc does not emit",
    hint:
      `Apply a Middleware yourself — apiVersion traefik.io/v1alpha1, kind Middleware, name ${middleware}, namespace ${s.namespace}, ` +
      `spec.rateLimit {average: ${average}, period: ${period}, burst: ${average}} — and attach it to the Ingress of '${s.name}' (its own, annotated finc.dev/rate-limit) with the annotation ` +
      `traefik.ingress.kubernetes.io/router.middlewares: ${s.namespace}-${middleware}@kubernetescrd. Or use \`mesh istio\` or \`ingress nginx\`, which finc configures for you.`,
  };
}
