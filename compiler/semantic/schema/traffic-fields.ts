import { diag } from "../../diagnostics/messages.js";
import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { eachTerm, rangeOf, single, type FieldContext, type TermReader } from "../readers.js";
import { isImageRef } from "./common-fields.js";
import { field, type KindSpec } from "./field-spec.js";
import { RANGES } from "./value-ranges.js";

/**
 * Traffic fields (mission areas 3 and 4): mesh tracing and DNS on the platform,
 * traffic policy on services, and the `issuer` declaration for TLS certificates.
 */

export const RETRY_CONDITIONS = [
  "5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "refused-stream",
  "retriable-status-codes", "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
] as const;
export const DNS_PROVIDERS = ["route53", "cloudflare", "google", "azure"] as const;
export const BALANCERS = ["round-robin", "least-request", "random", "consistent-hash"] as const;

/** A word, or a number with a unit such as `5xx`, as plain text. */
function token(r: TermReader, expected: string): { text: string; range: SourceRange } | undefined {
  const a = r.next();
  if (a?.kind === "Word" && a.parts.length === 1) return { text: a.parts[0]!.text, range: rangeOf(r.ctx, a) };
  if (a?.kind === "Number") return { text: a.raw, range: rangeOf(r.ctx, a) };
  return r.mismatch(expected, a);
}

function retryCondition(r: TermReader, ctx: FieldContext): string | undefined {
  const t = token(r, "a retry condition");
  if (!t) return undefined;
  if ((RETRY_CONDITIONS as readonly string[]).includes(t.text)) return t.text;
  ctx.report(diag("FIN3007", t.range, { value: t.text, what: "retry condition", valid: RETRY_CONDITIONS.join(", ") }));
  return undefined;
}

export const platformTrafficFields = {
  mesh: field({
    doc: "The service mesh: istio adds mTLS and authorization between services. Sidecar mode by default; `istio sidecar cni` says the cluster runs the Istio CNI node agent (required with `restricted` or `baseline` namespaces: without it every pod gets an `istio-init` container with NET_ADMIN/NET_RAW, which Pod Security rejects); `istio ambient` labels namespaces for ambient mode (ztunnel) and gives each a waypoint proxy that enforces the call graph.",
    syntax: "istio [sidecar [cni] | cni | ambient] | none",
    example: "istio sidecar cni",
    values: ["istio", "none"],
    read: (ctx) =>
      single(ctx, (r) => {
        const kind = r.oneOf(["istio", "none"] as const, "mesh");
        if (!kind) return undefined;
        if (kind === "none" || r.done) return { kind, mode: "sidecar" as const };
        if (r.accept("cni")) return { kind, mode: "sidecar" as const, cni: true };
        const mode = r.oneOf(["sidecar", "ambient"] as const, "Istio data-plane mode");
        if (mode === "sidecar" && r.accept("cni")) return { kind, mode, cni: true };
        return mode && { kind, mode };
      }),
  }),
  tracing: field({
    doc: "Distributed tracing through the mesh: an Istio Telemetry resource sends spans to a Jaeger or OpenTelemetry collector (OTLP gRPC) with the given sampling rate.",
    syntax: 'jaeger | otel "<collector host>:<port>" [sampling <p>%]',
    example: 'otel "otel-collector.observability:4317" sampling 10%',
    numbers: [RANGES.sampling],
    values: ["jaeger", "otel"],
    read: (ctx) =>
      single(ctx, (r) => {
        const provider = r.oneOf(["jaeger", "otel"] as const, "tracing provider");
        if (!provider) return undefined;
        const addr = r.string("the collector address, host:port");
        if (!addr) return undefined;
        const m = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)(?::(\d{1,5}))?$/.exec(addr.value);
        if (!m) {
          ctx.report(diag("FIN3010", addr.range, { host: addr.value }));
          return undefined;
        }
        if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)) {
          ctx.report(diag("FIN3004", addr.range, { what: "The collector port", bound: "between 1 and 65535", value: m[3], hint: "Write the collector's host:port, e.g. \"otel-collector.observability:4317\"." }));
          return undefined;
        }
        const sampling = r.accept("sampling") ? r.percent(RANGES.sampling) : 1;
        if (sampling === undefined) return undefined;
        return { provider, host: m[1]!, port: m[3] ? Number(m[3]) : 4317, sampling };
      }),
  }),
  dns: field({
    doc: "DNS records for exposed hosts: external-dns annotations (hostname, TTL) on the Gateway or Ingress. On by default when a service is exposed.",
    syntax: "external-dns [ttl <duration>] | none",
    example: "external-dns ttl 5m",
    numbers: [RANGES.dnsTtl],
    values: ["external-dns", "none"],
    read: (ctx) =>
      single(ctx, (r) => {
        const provider = r.oneOf(["external-dns", "none"] as const, "DNS provider");
        if (!provider) return undefined;
        const ttl = r.accept("ttl") ? r.duration(RANGES.dnsTtl) : 300_000;
        if (ttl === undefined) return undefined;
        return { provider, ttlSeconds: Math.max(1, Math.round(ttl / 1000)) };
      }),
  }),
};

export const serviceTrafficFields = {
  timeout: field({
    doc: "The route timeout for requests to this service (mesh VirtualService).",
    syntax: "<duration>",
    example: "2s",
    numbers: [RANGES.timeout],
    read: (ctx) => single(ctx, (r) => r.duration(RANGES.timeout)),
  }),
  retries: field({
    doc: "Retries by the calling sidecar: attempts, an optional per-try timeout and the conditions that trigger a retry. All attempts must fit in the route timeout.",
    syntax: "<n> [per-try <duration>] [on <condition>, …]",
    example: "3 per-try 500ms on 5xx, reset",
    numbers: [RANGES.retries, RANGES.perTry],
    read: (ctx) => {
      const [first, ...rest] = ctx.member.terms;
      if (!first) return single(ctx, () => undefined);
      let out: { attempts: number; perTryMs?: number; on: string[]; range: SourceRange } | undefined;
      eachTerm({ ...ctx, member: { ...ctx.member, terms: [first] } }, (r) => {
        const attempts = r.count(RANGES.retries);
        if (attempts === undefined) return undefined;
        let perTryMs: number | undefined;
        const on: string[] = [];
        if (r.accept("per-try")) {
          perTryMs = r.duration(RANGES.perTry);
          if (perTryMs === undefined) return undefined;
        }
        if (r.accept("on")) {
          const c = retryCondition(r, ctx);
          if (c === undefined) return undefined;
          on.push(c);
        }
        out = { attempts, ...(perTryMs !== undefined ? { perTryMs } : {}), on, range: rangeOf(ctx, ctx.member) };
        return out;
      });
      if (!out) return undefined;
      const conditions = out.on;
      eachTerm({ ...ctx, member: { ...ctx.member, terms: rest } }, (r) => {
        const c = retryCondition(r, ctx);
        if (c !== undefined) conditions.push(c);
        return c;
      });
      if (!conditions.length) conditions.push("5xx", "reset", "connect-failure");
      return out;
    },
  }),
  "circuit-breaker": field({
    doc: "Outlier detection: eject an instance after consecutive errors within an interval, for a base ejection time.",
    syntax: "<n> errors in <duration> [eject <duration>] [max <p>%]",
    example: "5 errors in 30s eject 1m",
    numbers: [RANGES.consecutiveErrors, RANGES.outlierInterval, RANGES.ejection, RANGES.maxEjection],
    read: (ctx) =>
      single(ctx, (r) => {
        const errors = r.count(RANGES.consecutiveErrors);
        if (errors === undefined) return undefined;
        if (!r.accept("errors")) return r.mismatch("'errors'", r.peek(), "Write `circuit-breaker 5 errors in 30s eject 1m`.");
        if (!r.accept("in")) return r.mismatch("'in'", r.peek(), "Write `circuit-breaker 5 errors in 30s eject 1m`.");
        const intervalMs = r.duration(RANGES.outlierInterval);
        if (intervalMs === undefined) return undefined;
        let ejectMs = 30_000;
        let maxEjectPercent = 50;
        if (r.accept("eject")) {
          const e = r.duration(RANGES.ejection);
          if (e === undefined) return undefined;
          ejectMs = e;
        }
        if (r.accept("max")) {
          const p = r.percent(RANGES.maxEjection);
          if (p === undefined) return undefined;
          maxEjectPercent = p;
        }
        return { errors, intervalMs, ejectMs, maxEjectPercent };
      }),
  }),
  connections: field({
    doc: "Connection pool limits per calling sidecar: maximum connections and pending requests (the rest are rejected fast).",
    syntax: "<n> [pending <n>]",
    example: "100 pending 50",
    numbers: [RANGES.connections, RANGES.pending],
    read: (ctx) =>
      single(ctx, (r) => {
        const max = r.count(RANGES.connections);
        if (max === undefined) return undefined;
        if (!r.accept("pending")) return { max };
        const pending = r.count(RANGES.pending);
        return pending === undefined ? undefined : { max, pending };
      }),
  }),
  balance: field({
    doc: "Load-balancing policy between the service's instances; `consistent-hash \"<header>\"` keeps requests with the same header value on one instance.",
    syntax: 'round-robin | least-request | random | consistent-hash "<header>"',
    example: "least-request",
    values: BALANCERS,
    read: (ctx) =>
      single(ctx, (r) => {
        const kind = r.oneOf(BALANCERS, "load-balancing policy");
        if (!kind) return undefined;
        if (kind !== "consistent-hash") return { kind };
        const h = r.string("the header to hash on");
        return h && { kind, header: h.value.toLowerCase() };
      }),
  }),
  affinity: field({
    doc: "Session affinity for stateful services: a cookie (ingress and mesh) or the client IP (Kubernetes Service).",
    syntax: 'cookie ["<name>"] | client-ip',
    example: "cookie",
    values: ["cookie", "client-ip"],
    read: (ctx) =>
      single(ctx, (r) => {
        const kind = r.oneOf(["cookie", "client-ip"] as const, "session affinity");
        if (kind !== "cookie") return kind && { kind };
        const name = r.peek()?.kind === "String" ? r.string("a cookie name")?.value : "route";
        return name === undefined ? undefined : { kind, cookie: name };
      }),
  }),
  split: field({
    doc: "Weighted traffic split between versions (canary): the first version is the service's own image, each further version names its image and gets its own Deployment. Weights add up to 100%.",
    syntax: '<version> <p>%, <version> <p>% "<image>", …',
    example: 'v1 90%, v2 10% "registry.example.com/team/app:2.0.0"',
    numbers: [RANGES.splitWeight],
    read: (ctx) => {
      let index = 0;
      const versions = eachTerm(ctx, (r) => {
        const first = index++ === 0;
        const v = r.word("a version name");
        if (!v) return undefined;
        if (!/^[a-z]([-a-z0-9]{0,18}[a-z0-9])?$/.test(v.name)) {
          ctx.report(diag("FIN3008", v.range, { name: v.name, max: 20 }));
          return undefined;
        }
        const weight = r.percent(RANGES.splitWeight);
        if (weight === undefined) return undefined;
        if (first) return { version: v.name, weight, range: v.range };
        const image = r.string("the image of this version");
        if (!image) return undefined;
        if (!isImageRef(image.value)) ctx.report(diag("FIN3009", image.range, { image: image.value }));
        return { version: v.name, weight, image: image.value, range: v.range };
      });
      return versions.length ? versions : undefined;
    },
  }),
};

export const issuerSpec: KindSpec = {
  doc: "A cert-manager ClusterIssuer that signs the TLS certificates of exposed hosts: ACME (Let's Encrypt) or a private CA.",
  required: [],
  fields: {
    acme: field({
      doc: "An ACME certificate authority (its directory URL) and the account e-mail; `solver` says how challenges are solved.",
      syntax: '"<directory url>" email "<address>"',
      example: '"https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"',
      read: (ctx) =>
        single(ctx, (r) => {
          const server = r.string("the ACME directory URL");
          if (!server) return undefined;
          if (!/^https:\/\/[^\s/]+/.test(server.value)) return r.mismatch("an https:// URL", r.term.atoms[0], 'Example: acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"');
          if (!r.accept("email")) return r.mismatch("'email'", r.peek(), "ACME needs an account e-mail address.");
          const email = r.string("an e-mail address");
          if (!email) return undefined;
          if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(email.value)) return r.mismatch("an e-mail address", r.term.atoms[2]);
          return { server: server.value, email: email.value };
        }),
    }),
    solver: field({
      doc: "How an ACME issuer proves control of a host. `http`: HTTP-01 through the platform's ingress (with `ingress istio` the gateway's HTTP listener answers /.well-known/acme-challenge/ and redirects the rest to HTTPS). `dns …`: DNS-01 through a DNS API — route53 (cert-manager's IAM role via IRSA), cloudflare (an API-token Secret in cert-manager's namespace), google (Cloud DNS via workload identity), azure (Azure DNS via managed identity); DNS-01 also issues wildcard hosts. Default: DNS-01 with Route 53 on aws when the ingress is istio or none, otherwise HTTP-01.",
      syntax: 'http | dns route53 ["<hosted zone id>"] [region "<region>"] | dns cloudflare "<token secret>" [key "<key>"] | dns google "<project>" [zone "<managed zone>"] | dns azure "<subscription id>" group "<resource group>" [zone "<zone>"]',
      example: 'dns route53 "Z0123456789ABCDEFGHIJ" region "eu-west-1"',
      values: ["http", "dns"],
      read: (ctx) =>
        single(ctx, (r) => {
          const kind = r.oneOf(["http", "dns"] as const, "ACME solver");
          if (kind !== "dns") return kind && { kind };
          const provider = r.oneOf(DNS_PROVIDERS, "DNS-01 provider");
          const optional = (word: string, what: string): string | null | undefined => (r.accept(word) ? r.string(what)?.value : null);
          switch (provider) {
            case undefined: return undefined;
            case "route53": {
              const zone = r.peek()?.kind === "String" ? r.string("the hosted zone ID")?.value : null;
              const region = optional("region", "an AWS region");
              if (zone === undefined || region === undefined) return undefined;
              return { kind: provider, ...(zone !== null ? { hostedZoneId: zone } : {}), ...(region !== null ? { region } : {}) };
            }
            case "cloudflare": {
              const secret = r.string("the Secret holding the Cloudflare API token")?.value;
              const key = optional("key", "the key of the API token in the Secret");
              if (secret === undefined || key === undefined) return undefined;
              return { kind: provider, secret, key: key ?? "api-token" };
            }
            case "google": {
              const project = r.string("the Google Cloud project of the DNS zone")?.value;
              const zone = optional("zone", "the Cloud DNS managed zone");
              if (project === undefined || zone === undefined) return undefined;
              return { kind: provider, project, ...(zone !== null ? { zone } : {}) };
            }
            case "azure": {
              const subscription = r.string("the Azure subscription ID")?.value;
              if (subscription === undefined) return undefined;
              if (!r.accept("group")) return r.mismatch("'group'", r.peek(), 'Write `solver dns azure "<subscription id>" group "<resource group>"`.');
              const resourceGroup = r.string("the resource group of the DNS zone")?.value;
              const zone = optional("zone", "the Azure DNS zone");
              if (resourceGroup === undefined || zone === undefined) return undefined;
              return { kind: provider, subscription, resourceGroup, ...(zone !== null ? { zone } : {}) };
            }
          }
        }),
    }),
    ca: field({
      doc: "A private CA: the Secret (in cert-manager's namespace) holding its certificate and key.",
      syntax: '"<secret name>"',
      example: '"payments-root-ca"',
      read: (ctx) => single(ctx, (r) => r.string("the CA secret name")?.value),
    }),
  },
};
