import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { schemasAvailable } from "../helpers/schemas.js";
import { RUNTIME_CHECK_PRESENT } from "../helpers/runtime-check.js";
import { docsOf, expectEveryDocumentValid, expectRuntimeCheckClean, find, fixtureProgram } from "./cloud-ingress-support.js";

const WAF = "/subscriptions/0000/resourceGroups/shop/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/shop";
const fixture = () => fixtureProgram("agic");

const meshSpec = `platform shop {
  cloud        azure
  environments dev
  mesh         istio sidecar cni
  ingress      application-gateway
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

describe("ingress application-gateway (AGIC)", () => {
  it("the fixture compiles without diagnostics", () => {
    expect(fixture().diagnostics).toEqual([]);
  });

  it("IngressClass azure-application-gateway and an Ingress per host and service: redirect, HTTP backends, probe path, WAF policy, the cert-manager Secret", () => {
    const docs = docsOf(fixture());
    expect(find(docs, "IngressClass", "azure-application-gateway")!["spec"]).toEqual({ controller: "azure/application-gateway" });
    const web = find(docs, "Ingress", "shop-example-com-web", "shop")!;
    expect(web["metadata"]["annotations"]).toEqual({
      "external-dns.alpha.kubernetes.io/hostname": "shop.example.com",
      "external-dns.alpha.kubernetes.io/ttl": "300",
      "appgw.ingress.kubernetes.io/ssl-redirect": "true",
      "appgw.ingress.kubernetes.io/backend-protocol": "http",
      "appgw.ingress.kubernetes.io/health-probe-path": "/ready",
      "appgw.ingress.kubernetes.io/waf-policy-for-path": WAF,
    });
    expect(web["spec"]).toEqual({
      ingressClassName: "azure-application-gateway",
      tls: [{ hosts: ["shop.example.com"], secretName: "shop-example-com-tls" }],
      rules: [{ host: "shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 8080 } } } }] } }],
    });
    expect(find(docs, "Certificate", "shop-example-com", "shop")!["spec"]["secretName"]).toBe("shop-example-com-tls");
    // cert-manager's HTTP-01 solver Ingress must use the class AGIC watches.
    expect(find(docs, "ClusterIssuer", "letsencrypt")!["spec"]["acme"]["solvers"]).toEqual([{ http01: { ingress: { ingressClassName: "azure-application-gateway" } } }]);
  });

  it("admits the gateway subnet's private ranges on the routed port", () => {
    const np = find(docsOf(fixture()), "NetworkPolicy", "web-traffic", "shop")!;
    expect(np["spec"]["ingress"]).toEqual([{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }, { ipBlock: { cidr: "172.16.0.0/12" } }, { ipBlock: { cidr: "192.168.0.0/16" } }], ports: [{ protocol: "TCP", port: 8080 }] }]);
  });

  it("with `mesh istio` it fronts the Istio gateway over HTTP; the certificate lives in the gateway's namespace", () => {
    const program = compileSources({ "main.fin": meshSpec });
    expect(program.diagnostics).toEqual([]);
    const docs = docsOf(program, "dev");
    const ing = find(docs, "Ingress", "shop-example-com", "istio-ingress")!;
    expect(ing["spec"]["rules"]).toEqual([{ host: "shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "istio-ingressgateway", port: { number: 80 } } } }] } }]);
    expect(ing["spec"]["tls"]).toEqual([{ hosts: ["shop.example.com"], secretName: "shop-example-com-tls" }]);
    expect(find(docs, "Certificate", "shop-example-com", "istio-ingress")).toBeDefined();
    expect(find(docs, "Gateway", "shop", "istio-ingress")!["spec"]["servers"]).toEqual([{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["shop.example.com"] }]);
  });

  it.skipIf(!schemasAvailable)("every emitted document validates", () => {
    expectEveryDocumentValid([fixture(), compileSources({ "main.fin": meshSpec })]);
  });

  it.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check: 0 errors in every environment of the fixture", { timeout: 180_000 }, () => {
    expectRuntimeCheckClean(fixture());
  });
});

describe('"FIN4093": application-gateway runs on azure only', () => {
  it("`ingress application-gateway` on gcp", () => {
    expect(diagnosticsOf({ "main.fin": meshSpec.replace("cloud        azure", "cloud        gcp") })).toContainEqual({ code: "FIN4093", text: "ingress      application-gateway", line: 5 });
  });
});
