import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { schemasAvailable } from "../helpers/schemas.js";
import { RUNTIME_CHECK_PRESENT } from "../helpers/runtime-check.js";
import { docsOf, expectEveryDocumentValid, expectRuntimeCheckClean, find, fixtureProgram } from "./cloud-ingress-support.js";

const fixture = () => fixtureProgram("gce");

const meshSpec = `platform shop {
  cloud        gcp
  environments dev
  mesh         istio sidecar cni
  ingress      gce
}
issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
}
namespace shop {}
service web {
  image  "r.io/web:1.0.0"
  port   http 8080
  expose "shop.example.com" path / tls letsencrypt
}
`;

describe("ingress gce (GKE Ingress)", () => {
  it("the fixture compiles without diagnostics", () => {
    expect(fixture().diagnostics).toEqual([]);
  });

  it("one Ingress per namespace, class gce by annotation, with its FrontendConfig and managed certificates", () => {
    const docs = docsOf(fixture());
    const ing = find(docs, "Ingress", "shop-ingress", "shop")!;
    expect(ing["metadata"]["annotations"]).toEqual({
      "external-dns.alpha.kubernetes.io/hostname": "shop.example.com",
      "external-dns.alpha.kubernetes.io/ttl": "300",
      "kubernetes.io/ingress.class": "gce",
      "networking.gke.io/v1beta1.FrontendConfig": "shop-https",
      "networking.gke.io/managed-certificates": "shop-example-com",
    });
    expect(ing["spec"]).toEqual({
      rules: [{ host: "shop.example.com", http: { paths: [
        { path: "/cart", pathType: "Prefix", backend: { service: { name: "cart", port: { number: 8080 } } } },
        { path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 8080 } } } },
      ] } }],
    });
    expect(docs.filter((d) => d["kind"] === "Ingress")).toHaveLength(1);
    expect(docs.filter((d) => d["kind"] === "IngressClass")).toEqual([]);
    expect(find(docs, "ManagedCertificate", "shop-example-com", "shop")!["spec"]).toEqual({ domains: ["shop.example.com"] });
    expect(find(docs, "FrontendConfig", "shop-https", "shop")!["spec"]).toEqual({ sslPolicy: "shop-tls12", redirectToHttps: { enabled: true, responseCodeName: "MOVED_PERMANENTLY_DEFAULT" } });
    // Google-managed certificates, never cert-manager's.
    expect(docs.filter((d) => d["kind"] === "Certificate")).toEqual([]);
  });

  it("a BackendConfig per exposed service (health check from the readiness probe, Cloud Armor from `waf`), referenced from its Service with NEGs", () => {
    const docs = docsOf(fixture());
    expect(find(docs, "BackendConfig", "web", "shop")!["spec"]).toEqual({ healthCheck: { type: "HTTP", requestPath: "/ready", port: 8080 }, securityPolicy: { name: "shop-armor" } });
    expect(find(docs, "BackendConfig", "cart", "shop")!["spec"]).toEqual({ securityPolicy: { name: "shop-armor" } });
    expect(find(docs, "Service", "web", "shop")!["metadata"]["annotations"]).toEqual({ "cloud.google.com/neg": '{"ingress": true}', "cloud.google.com/backend-config": '{"default":"web"}' });
  });

  it("admits Google's front-end and health-check ranges on the routed port, and no controller namespace", () => {
    const np = find(docsOf(fixture()), "NetworkPolicy", "web-traffic", "shop")!;
    expect(np["spec"]["ingress"]).toEqual([{ from: [{ ipBlock: { cidr: "130.211.0.0/22" } }, { ipBlock: { cidr: "35.191.0.0/16" } }], ports: [{ protocol: "TCP", port: 8080 }] }]);
  });

  it("with `mesh istio` the load balancer fronts the Istio gateway over HTTP, health-checked on its status port", () => {
    const program = compileSources({ "main.fin": meshSpec });
    expect(program.diagnostics).toEqual([]);
    const docs = docsOf(program, "dev");
    const ing = find(docs, "Ingress", "shop-ingress", "istio-ingress")!;
    expect(ing["spec"]["rules"]).toEqual([{ host: "shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "istio-ingressgateway", port: { number: 80 } } } }] } }]);
    expect(find(docs, "BackendConfig", "istio-ingressgateway", "istio-ingress")!["spec"]).toEqual({ healthCheck: { type: "HTTP", requestPath: "/healthz/ready", port: 15021 } });
    expect(find(docs, "Gateway", "shop", "istio-ingress")!["spec"]["servers"]).toEqual([{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["shop.example.com"] }]);
    expect(find(docs, "Service", "web", "shop")!["metadata"]["annotations"]).toBeUndefined();
  });

  it.skipIf(!schemasAvailable)("every emitted document validates (ManagedCertificate, FrontendConfig, BackendConfig against the vendored CRD schemas)", () => {
    expectEveryDocumentValid([fixture(), compileSources({ "main.fin": meshSpec })]);
  });

  it.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check: 0 errors in every environment of the fixture", { timeout: 180_000 }, () => {
    expectRuntimeCheckClean(fixture());
  });
});

describe('"FIN4093": gce runs on gcp only', () => {
  it("`ingress gce` on aws", () => {
    expect(diagnosticsOf({ "main.fin": meshSpec.replace("cloud        gcp", "cloud        aws") })).toContainEqual({ code: "FIN4093", text: "ingress      gce", line: 5 });
  });
});
