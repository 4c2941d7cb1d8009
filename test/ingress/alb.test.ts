import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { schemasAvailable } from "../helpers/schemas.js";
import { RUNTIME_CHECK_PRESENT } from "../helpers/runtime-check.js";
import { docsOf, expectEveryDocumentValid, expectRuntimeCheckClean, find, fixtureProgram } from "./cloud-ingress-support.js";

const fixture = () => fixtureProgram("alb");

const PRIVATE = [{ ipBlock: { cidr: "10.0.0.0/8" } }, { ipBlock: { cidr: "172.16.0.0/12" } }, { ipBlock: { cidr: "192.168.0.0/16" } }];

/** A small aws platform with `ingress alb` (and the given extra platform lines), one exposed service. */
const spec = (platform: string, mesh = "none") => `platform shop {
  cloud        aws
  environments dev
  mesh         ${mesh}
${platform}
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

describe("ingress alb (AWS Load Balancer Controller)", () => {
  it("the fixture compiles without diagnostics", () => {
    expect(fixture().diagnostics).toEqual([]);
  });

  it("emits the IngressClass and its IngressClassParams: one internet-facing ALB for the group, TLS 1.2+ policy, pod targets", () => {
    const docs = docsOf(fixture());
    expect(find(docs, "IngressClass", "alb")!["spec"]).toEqual({ controller: "ingress.k8s.aws/alb", parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "alb" } });
    const params = find(docs, "IngressClassParams", "alb")!;
    expect(params["apiVersion"]).toBe("elbv2.k8s.aws/v1beta1");
    expect(params["spec"]).toEqual({ scheme: "internet-facing", group: { name: "shop" }, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", targetType: "ip" });
  });

  it("an Ingress per host and service: ip targets, HTTPS with redirect, the ACM certificate found by host, health check from the readiness probe", () => {
    const docs = docsOf(fixture());
    const web = find(docs, "Ingress", "shop-example-com-web", "shop")!;
    expect(web["metadata"]["annotations"]).toEqual({
      "external-dns.alpha.kubernetes.io/hostname": "shop.example.com",
      "external-dns.alpha.kubernetes.io/ttl": "300",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/group.order": "2",
      "alb.ingress.kubernetes.io/healthcheck-path": "/ready",
      "alb.ingress.kubernetes.io/healthcheck-port": "8080",
    });
    expect(web["spec"]).toEqual({
      ingressClassName: "alb",
      tls: [{ hosts: ["shop.example.com"] }],
      rules: [{ host: "shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 8080 } } } }] } }],
    });
    // `/cart` is evaluated before `/` in the shared ALB; cart has no readiness probe: the ALB's default health check.
    const cart = find(docs, "Ingress", "shop-example-com-cart", "shop")!;
    expect(cart["metadata"]["annotations"]["alb.ingress.kubernetes.io/group.order"]).toBe("1");
    expect(cart["metadata"]["annotations"]["alb.ingress.kubernetes.io/healthcheck-path"]).toBeUndefined();
    expect(cart["spec"]["rules"][0]["http"]["paths"][0]["path"]).toBe("/cart");
  });

  it("emits no cert-manager Certificate (an ALB cannot serve a Secret)", () => {
    expect(docsOf(fixture()).filter((d) => d["kind"] === "Certificate")).toEqual([]);
  });

  it("admits the ALB's VPC addresses (private ranges) on the routed port, and no controller namespace", () => {
    const np = find(docsOf(fixture()), "NetworkPolicy", "web-traffic", "shop")!;
    expect(np["spec"]["ingress"]).toEqual([{ from: PRIVATE, ports: [{ protocol: "TCP", port: 8080 }] }]);
  });

  it("`ingress alb waf` sets the web ACL on every Ingress of the group", () => {
    const docs = docsOf(compileSources({ "main.fin": spec('  ingress alb waf "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/0b1c"') }), "dev");
    expect(find(docs, "Ingress", "shop-example-com", "shop")!["metadata"]["annotations"]["alb.ingress.kubernetes.io/wafv2-acl-arn"]).toBe("arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/0b1c");
  });

  it("with `mesh istio` the ALB fronts the Istio gateway: the Ingress targets the gateway Service, which serves plain HTTP (no SNI from the ALB)", () => {
    const program = compileSources({ "main.fin": spec("  ingress alb", "istio sidecar cni") });
    expect(program.diagnostics).toEqual([]);
    const docs = docsOf(program, "dev");
    const ing = find(docs, "Ingress", "shop-example-com", "istio-ingress")!;
    expect(ing["metadata"]["annotations"]["alb.ingress.kubernetes.io/healthcheck-port"]).toBe("15021");
    expect(ing["metadata"]["annotations"]["alb.ingress.kubernetes.io/healthcheck-path"]).toBe("/healthz/ready");
    expect(ing["spec"]["rules"]).toEqual([{ host: "shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "istio-ingressgateway", port: { number: 80 } } } }] } }]);
    expect(find(docs, "Gateway", "shop", "istio-ingress")!["spec"]["servers"]).toEqual([{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["shop.example.com"] }]);
    expect(find(docs, "VirtualService", "ingress-shop-example-com", "shop")!["spec"]["gateways"]).toEqual(["istio-ingress/shop"]);
    // The services admit the gateway's identity, as with `ingress istio`.
    const authz = find(docs, "AuthorizationPolicy", "web", "shop")!;
    expect(authz["spec"]["rules"]).toContainEqual({ from: [{ source: { principals: ["cluster.local/ns/istio-ingress/sa/istio-ingressgateway"] } }], to: [{ operation: { ports: ["8080"] } }] });
    expect(docs.filter((d) => d["kind"] === "Certificate")).toEqual([]);
  });

  it.skipIf(!schemasAvailable)("every emitted document validates (IngressClassParams against the vendored CRD schema)", () => {
    expectEveryDocumentValid([fixture(), compileSources({ "main.fin": spec("  ingress alb", "istio sidecar cni") })]);
  });

  it.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check: 0 errors in every environment of the fixture", { timeout: 180_000 }, () => {
    expectRuntimeCheckClean(fixture());
  });
});

describe('"FIN4093": the ingress matches the cloud', () => {
  it("`ingress alb` on gcp", () => {
    expect(diagnosticsOf({ "main.fin": spec("  ingress alb").replace("cloud        aws", "cloud        gcp") })).toContainEqual({ code: "FIN4093", text: "ingress alb", line: 5 });
  });

  it("`waf` is part of `ingress alb` only (another controller has nothing to attach it to)", () => {
    expect(diagnosticsOf({ "main.fin": spec('  ingress nginx waf "arn:aws:wafv2:eu-west-1:1:regional/webacl/x/1"') })).toEqual([{ code: "FIN3001", text: 'waf "arn:aws:wafv2:eu-west-1:1:regional/webacl/x/1"', line: 5 }]);
  });

  it("`ingress alb` on aws is accepted", () => {
    expect(diagnosticsOf({ "main.fin": spec("  ingress alb") })).toEqual([]);
  });
});
