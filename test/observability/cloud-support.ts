import { expect } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import type { EmittedDocument } from "../../compiler/emit/output.js";
import { compileSources } from "../helpers/compile.js";

/** Shared by test/observability/cloud-*.test.ts: a GCP spec with a choice of monitoring, one environment's documents, one object. */
export const gcpSpec = (monitoring: string, mesh = "mesh istio sidecar cni", scope = "cluster") => `platform p {
  cloud gcp
  regions europe-west1 primary
  account "proj-1"
  cluster "gke-1"
  environments dev
  ${mesh}
  monitoring ${monitoring}
  alerting slack "#shop-oncall" from vault "monitoring/slack" key "webhook-url", pagerduty from vault "monitoring/pagerduty" key "routing-key"
}
secretstore vault {
  provider vault
  server "https://vault.example.com"
  scope ${scope}
}
namespace shop {}
service api {
  image "r.io/api:1.0.0"
  port http 8080, metrics 9102
  slo availability 99.9%, latency p99 250ms
}
worker consumer {
  image "r.io/consumer:1.0.0"
  metrics 9100
}
`;

export function documents(spec: string, targets = ["kubernetes", "istio", "observability"]): EmittedDocument[] {
  const p = compileSources({ "main.fin": spec });
  expect(p.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return [...buildOutputs(p, { environments: ["dev"], targets }).documents.get("dev")!];
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
export const find = (docs: EmittedDocument[], kind: string, name: string, ns = "shop"): Json => {
  const d = docs.find((x) => x.object["kind"] === kind && (x.object["metadata"] as Json)["name"] === name && (x.object["metadata"] as Json)["namespace"] === ns);
  expect(d, `${kind} ${ns}/${name}`).toBeDefined();
  return d!.object as Json;
};

/** An AWS platform on Amazon Managed Service for Prometheus, with alerting, an SLO and sidecars. */
export const AMP_SPEC = `platform shop {
  cloud aws
  regions eu-west-1 primary
  account "123456789012"
  cluster "eks-shop"
  environments dev
  mesh istio sidecar cni
  monitoring amazon-managed-prometheus interval 30s
  alerting slack "#shop-oncall" from vault "monitoring/slack" key "webhook-url", pagerduty from vault "monitoring/pagerduty" key "routing-key"
}
secretstore vault {
  provider vault
  server "https://vault.example.com"
}
namespace shop {}
service api {
  image "r.io/api:1.0.0"
  port http 8080, metrics 9102
  slo availability 99.9%, latency p99 250ms
}
`;

/** Every document's schema violations (upstream schemas, and the CRDs vendored in test/schemas/crds), by kind and name. */
export function schemaProblems(docs: readonly EmittedDocument[], validate: (d: { apiVersion?: unknown; kind?: unknown }) => string[]): string[] {
  return docs.flatMap((d) => validate(d.object as { apiVersion?: unknown; kind?: unknown }).map((p) => `${String(d.object["kind"])} ${String((d.object["metadata"] as Json | undefined)?.["name"])}: ${p}`));
}
