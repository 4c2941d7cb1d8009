import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { Entity } from "./platform-model.js";

/**
 * The traffic part of the model (mission areas 3 and 4): mesh tracing, per-service
 * traffic policy, certificate issuers. Kept apart from platform-model.ts so the
 * mesh and ingress emitters own their vocabulary; platform-model.ts only refers to it.
 */

/** `tracing otel "otel-collector.observability:4317" sampling 10%` */
export interface TracingModel {
  readonly provider: "jaeger" | "otel";
  /** Collector service host (as written, without the port) and OTLP gRPC port. */
  readonly host: string;
  readonly port: number;
  /** Percentage of requests sampled, 0–100. */
  readonly sampling: number;
}

/** `dns external-dns ttl 5m` (the default when anything is exposed) or `dns none`. */
export interface DnsModel {
  readonly provider: "external-dns" | "none";
  readonly ttlSeconds: number;
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly perTryMs?: number;
  readonly on: readonly string[];
}

export interface CircuitBreaker {
  readonly errors: number;
  readonly intervalMs: number;
  readonly ejectMs: number;
  readonly maxEjectPercent: number;
}

export type LoadBalancer =
  | { readonly kind: "round-robin" | "least-request" | "random" }
  | { readonly kind: "consistent-hash"; readonly header: string };

/** One weighted version of a service; the first is the service's own Deployment. */
export interface SplitVersion {
  readonly version: string;
  readonly weight: number;
  /** Image of an additional Deployment `<service>-<version>`; absent for the primary version. */
  readonly image?: string;
}

export interface TrafficPolicy {
  readonly timeoutMs?: number;
  readonly retries?: RetryPolicy;
  readonly circuitBreaker?: CircuitBreaker;
  readonly connections?: { readonly max: number; readonly pending?: number };
  readonly balance?: LoadBalancer;
  readonly affinity?: { readonly kind: "cookie"; readonly cookie: string } | { readonly kind: "client-ip" };
  readonly split?: readonly SplitVersion[];
}

/**
 * How an ACME issuer proves control of a host: HTTP-01 through the platform's ingress,
 * or DNS-01 with a cloud DNS API (`solver dns route53|cloudflare|google|azure …`).
 */
export type AcmeSolver =
  | { readonly kind: "http" }
  | { readonly kind: "route53"; readonly hostedZoneId?: string; readonly region?: string }
  | { readonly kind: "cloudflare"; readonly secret: string; readonly key: string }
  | { readonly kind: "google"; readonly project: string; readonly zone?: string }
  | { readonly kind: "azure"; readonly subscription: string; readonly resourceGroup: string; readonly zone?: string };

/** `issuer letsencrypt { acme "https://…/directory" email "ops@example.com" }` or `{ ca "root-ca" }`. */
export interface IssuerModel extends Entity {
  readonly acme?: { readonly server: string; readonly email: string };
  readonly ca?: { readonly secret: string };
  /** The solver as written; absent means the platform's default (see acme-solver.ts). */
  readonly solver?: AcmeSolver;
}

/** `mesh istio` (sidecars, the default) or `mesh istio ambient` (ztunnel and waypoints). */
export type MeshMode = "sidecar" | "ambient";

/** The range of a `tls <issuer>` or `port <name>` word inside an `expose` value, for diagnostics. */
export interface ExposureRefs {
  readonly port?: string;
  readonly tlsRange?: SourceRange;
  readonly portRange?: SourceRange;
}
