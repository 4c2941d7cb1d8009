import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { needsFiles, needsOf } from "../../compiler/emit/needs/index.js";
import { compileSources } from "../helpers/compile.js";

const spec = `platform p {
  environments dev, prod
  mesh         istio sidecar cni
  ingress      istio
  monitoring   prometheus
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
service web {
  image  "registry.example.com/web:1.0.0"
  port   http 8080, metrics 9102
  config LOG_LEVEL = "info"
  secret TOKEN from vault "web/token" key "token"
  egress "api.partner.example.com" 443
  expose "web.example.com" path /
  calls  orders
}
service orders {
  image  "registry.example.com/orders:1.0.0"
  port   http 8080
  secret DATABASE_URL from orders-db.url
  calls  orders-db
}
database orders-db {
  engine      postgres 16
  storage     10Gi
  credentials from vault "orders/db"
}
database audit-db {
  engine      postgres 16 standalone
  storage     10Gi
  credentials from vault "audit/db"
}
`;

describe("runtime-check needs file from the model", () => {
  const program = compileSources({ "main.fin": spec });
  it("compiles cleanly", () => expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]));
  const model = program.checked.models.get("prod")!;
  const needs = needsOf(model) as Record<string, { from?: string; to?: string; port?: number; workload?: string; names?: string[]; paths?: string[] }[]>;

  it("lists each declared call at the callee's Service port, never its metrics port", () => {
    expect(needs["calls"]).toContainEqual({ from: "apps/web", to: "apps/orders", port: 8080 });
    expect(needs["calls"]).toContainEqual({ from: "apps/orders", to: "apps/orders-db", port: 5432 });
    expect(needs["calls"]).not.toContainEqual(expect.objectContaining({ from: "apps/web", port: 9102 }));
  });
  it("lists the ingress gateway's route to an exposed service", () => {
    expect(needs["calls"]).toContainEqual({ from: "ingress-gateway", to: "apps/web", port: 8080 });
  });
  it("lets Prometheus scrape the metrics port, under its own service account", () => {
    expect(needs["calls"]).toContainEqual({ from: "prometheus", to: "apps/web", port: 9102 });
    expect(needs["platform"]).toEqual({ prometheus: { namespace: "monitoring", serviceAccount: "kube-prometheus-stack-prometheus" }, gatewayServiceAccount: "istio-ingressgateway" });
  });
  it("lists declared egress", () => {
    expect(needs["external"]).toContainEqual({ from: "apps/web", to: "api.partner.example.com", port: 443 });
  });
  it("denies every undeclared service and database pair, in both directions", () => {
    expect(needs["denied"]).toContainEqual({ from: "apps/web", to: "apps/orders-db" });
    expect(needs["denied"]).toContainEqual({ from: "apps/web", to: "apps/audit-db" });
    expect(needs["denied"]).toContainEqual({ from: "apps/orders", to: "apps/web" });
    expect(needs["denied"]).toContainEqual({ from: "apps/orders-db", to: "apps/orders" });
    expect(needs["denied"]).not.toContainEqual({ from: "apps/web", to: "apps/orders" });
  });
  it("names the env vars each workload reads and its writable paths; a standalone server's image contract", () => {
    expect(needs["env"]).toContainEqual({ workload: "apps/web", names: ["LOG_LEVEL", "TOKEN"] });
    expect(needs["env"]).toContainEqual({ workload: "apps/orders", names: ["DATABASE_URL"] });
    expect(needs["env"]).toContainEqual({ workload: "apps/audit-db", names: ["POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"] });
    expect(needs["writable"]).toContainEqual({ workload: "apps/web", paths: ["/tmp"] });
  });
  it("writes one YAML file per environment under .finc/needs", () => {
    const files = needsFiles([...program.checked.models.values()]);
    expect(files.map((f) => f.path)).toEqual([".finc/needs/dev.yaml", ".finc/needs/prod.yaml"]);
    expect(YAML.parse(files[1]!.content)).toEqual(needs);
  });
});
