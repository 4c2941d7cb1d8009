import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";

/**
 * Mesh realism (issue 9, item 3): how the sidecars are installed (Istio CNI or not), the
 * refusal when Pod Security would reject the injected istio-init, native sidecars for pods
 * whose init container talks to the database, and the ingress gateway's real place.
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const platform = (fields: string, ns = "namespace shop {}\n") => `platform p {\n  environments dev\n${fields}\n}\n${ns}`;
const docsOf = (spec: string): Obj[] => buildOutputs(compileSources({ "main.fin": spec })).documents.get("dev")!.map((d) => d.object as Obj);
const find = (docs: Obj[], kind: string, name: string, ns?: string) =>
  docs.find((d) => d["kind"] === kind && d["metadata"].name === name && (ns === undefined || d["metadata"].namespace === ns));
const web = 'service web {\n  image "r.io/web:1.0.0"\n  port http 8080\n  expose "shop.example.com" path / tls le\n}\n';
const issuer = 'issuer le {\n  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"\n  solver http\n}\n';

describe("sidecars and Pod Security", () => {
  it('"FIN4045": sidecar mode without CNI next to a restricted namespace is refused at the mesh line, naming both ways out', () => {
    const p = compileSources({ "main.fin": platform("  mesh istio") });
    const d = p.diagnostics.filter((x) => x.code === "FIN4045");
    expect(d).toHaveLength(1);
    expect(d[0]!.severity).toBe("error");
    const text = p.getSourceFile(d[0]!.range.file)!.text;
    expect(text.slice(d[0]!.range.start, d[0]!.range.end)).toBe("mesh istio");
    expect(d[0]!.message).toContain("Namespace 'shop' enforces Pod Security `restricted`");
    expect(d[0]!.message).toContain("NET_ADMIN and NET_RAW");
    expect(d[0]!.hint).toContain("`mesh istio sidecar cni`");
    expect(d[0]!.hint).toContain("`mesh istio ambient`");
    // The namespace is restricted by default: the related location is the namespace itself.
    expect(d[0]!.related?.[0]?.message).toBe("'shop' is restricted by default");
  });

  const cases: [string, string, string, boolean][] = [
    ["explicit sidecar mode", "  mesh istio sidecar", "namespace shop {}\n", true],
    ["a baseline namespace (baseline forbids NET_ADMIN too)", "  mesh istio", "namespace shop {\n  security baseline\n}\n", true],
    ["a privileged namespace", "  mesh istio", "namespace shop {\n  security privileged\n}\n", false],
    ["Istio CNI", "  mesh istio sidecar cni", "namespace shop {}\n", false],
    ["Istio CNI, short form", "  mesh istio cni", "namespace shop {}\n", false],
    ["ambient mode", "  mesh istio ambient", "namespace shop {}\n", false],
    ["no mesh", "  mesh none", "namespace shop {}\n", false],
  ];
  for (const [name, mesh, ns, refused] of cases)
    it(`${refused ? "refuses" : "accepts"}: ${name}`, () => {
      const found = diagnosticsOf({ "main.fin": platform(mesh, ns) }).filter((d) => d.code === "FIN4045");
      expect(found).toEqual(refused ? [{ code: "FIN4045", text: mesh.trim(), line: 3 }] : []);
    });

  it("`mesh istio sidecar cni` marks each namespace as CNI-redirected; ambient and plain sidecars do not", () => {
    const ns = (mesh: string, security = "") => find(docsOf(platform(mesh, `namespace shop {\n${security}}\n`)), "Namespace", "shop")!;
    expect(ns("  mesh istio sidecar cni")["metadata"].annotations).toEqual({ "finc.dev/istio-cni": "true" });
    expect(ns("  mesh istio sidecar cni")["metadata"].labels["istio-injection"]).toBe("enabled");
    expect(ns("  mesh istio ambient")["metadata"].annotations).toBeUndefined();
    expect(ns("  mesh istio", "  security privileged\n")["metadata"].annotations).toBeUndefined();
  });

  it("a pod with a `migrate` init container runs native sidecars, so the migration goes through the mesh", () => {
    const spec = (mesh: string) =>
      platform(mesh) + 'service api {\n  image "r.io/api:1.0.0"\n  port http 8080\n  migrate "r.io/api-migrate:1.0.0" run "migrate up"\n}\nservice web {\n  image "r.io/web:1.0.0"\n  port http 8080\n}\n';
    const annotations = (mesh: string, name: string) => find(docsOf(spec(mesh)), "Deployment", name)!["spec"].template.metadata.annotations ?? {};
    expect(annotations("  mesh istio sidecar cni", "api")["sidecar.istio.io/nativeSidecar"]).toBe("true");
    // Not where nothing needs it: no init container, no sidecars, no mesh.
    expect(annotations("  mesh istio sidecar cni", "web")["sidecar.istio.io/nativeSidecar"]).toBeUndefined();
    expect(annotations("  mesh istio ambient", "api")["sidecar.istio.io/nativeSidecar"]).toBeUndefined();
    expect(annotations("  mesh none", "api")["sidecar.istio.io/nativeSidecar"]).toBeUndefined();
  });
});

describe("the ingress gateway's namespace, service account and labels", () => {
  const exposed = (gateway: string) => docsOf(platform(`  mesh istio sidecar cni\n  ingress istio${gateway}`) + issuer + web);
  const allowedPrincipals = (docs: Obj[]) => find(docs, "AuthorizationPolicy", "web", "shop")!["spec"].rules.flatMap((r: Obj) => r.from[0].source.principals);
  const policyNamespaces = (docs: Obj[]) =>
    find(docs, "NetworkPolicy", "web-traffic", "shop")!["spec"].ingress.flatMap((r: Obj) => r.from.map((f: Obj) => f.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"]));

  it("defaults to the Helm gateway chart as release istio-ingressgateway in istio-ingress (what finc always assumed)", () => {
    const docs = exposed("");
    expect(allowedPrincipals(docs)).toEqual(["cluster.local/ns/istio-ingress/sa/istio-ingressgateway"]);
    expect(policyNamespaces(docs)).toEqual(["istio-ingress"]);
    expect(find(docs, "Gateway", "p", "istio-ingress")!["spec"].selector).toEqual({ istio: "ingressgateway" });
    expect(find(docs, "Service", "istio-ingressgateway", "istio-ingress")!["spec"].selector).toEqual({ istio: "ingressgateway" });
  });

  it("`gateway istioctl`: istioctl's default profile, used by every policy, route, certificate and the load balancer", () => {
    const docs = exposed("\n  gateway istioctl");
    expect(allowedPrincipals(docs)).toEqual(["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"]);
    expect(policyNamespaces(docs)).toEqual(["istio-system"]);
    expect(find(docs, "Gateway", "p", "istio-system")!["spec"].selector).toEqual({ istio: "ingressgateway" });
    expect(find(docs, "VirtualService", "ingress-shop-example-com", "shop")!["spec"].gateways).toEqual(["istio-system/p"]);
    expect(find(docs, "Certificate", "shop-example-com", "istio-system")).toBeDefined();
    expect(find(docs, "Service", "istio-ingressgateway", "istio-system")!["spec"].selector).toEqual({ istio: "ingressgateway" });
    // Nothing is left in the namespace the default assumes.
    expect(docs.filter((d) => d["metadata"].namespace === "istio-ingress")).toEqual([]);
  });

  it("`gateway helm <release> namespace <ns>`: the chart's names for that release; explicit account and labels override", () => {
    const helm = exposed("\n  gateway helm istio-edge namespace edge");
    expect(allowedPrincipals(helm)).toEqual(["cluster.local/ns/edge/sa/istio-edge"]);
    expect(find(helm, "Gateway", "p", "edge")!["spec"].selector).toEqual({ istio: "edge" });
    expect(find(helm, "Service", "istio-edge", "edge")).toBeDefined();
    const custom = exposed('\n  gateway namespace gw account front labels istio=front "app.kubernetes.io/name"="front"');
    expect(allowedPrincipals(custom)).toEqual(["cluster.local/ns/gw/sa/front"]);
    expect(policyNamespaces(custom)).toEqual(["gw"]);
    expect(find(custom, "Gateway", "p", "gw")!["spec"].selector).toEqual({ istio: "front", "app.kubernetes.io/name": "front" });
  });

  it("ambient mode admits HBONE from the gateway's namespace", () => {
    const docs = docsOf(platform("  mesh istio ambient\n  ingress istio\n  gateway istioctl") + issuer + web);
    const peers = find(docs, "NetworkPolicy", "allow-hbone", "shop")!["spec"].ingress[0].from.map((f: Obj) => f.namespaceSelector.matchLabels);
    expect(peers).toContainEqual({ "kubernetes.io/metadata.name": "istio-system" });
  });

  it('"FIN3008" / "FIN3001" / "FIN4048": a bad namespace, an unknown word, and a gateway without `ingress istio`', () => {
    expect(diagnosticsOf({ "main.fin": platform("  mesh istio cni\n  ingress istio\n  gateway namespace Istio_System") })).toContainEqual({ code: "FIN3008", text: "Istio_System", line: 5 });
    expect(diagnosticsOf({ "main.fin": platform("  mesh istio cni\n  ingress istio\n  gateway istioctl port 80") })).toContainEqual({ code: "FIN3001", text: "port", line: 5 });
    expect(diagnosticsOf({ "main.fin": platform("  mesh istio cni\n  ingress istio\n  gateway labels istio ingressgateway") })).toContainEqual({ code: "FIN3001", text: "ingressgateway", line: 5 });
    expect(diagnosticsOf({ "main.fin": platform("  ingress nginx\n  gateway istioctl") })).toEqual([{ code: "FIN4048", text: "gateway istioctl", line: 4 }]);
  });
});
