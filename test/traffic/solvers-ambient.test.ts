import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { adler32 } from "../../compiler/emit/ingress/acme.js";
import type { Program } from "../../compiler/program.js";
import { compileSources, diagnosticsOf, REPO } from "../helpers/compile.js";

/**
 * ACME solvers (HTTP-01 through an Istio gateway that redirects to HTTPS, DNS-01 per
 * cloud), the gateway's cloud load balancer, and Istio ambient mode.
 */

type Obj = Record<string, any>;
const platform = (fields: string) => `platform p {\n  environments dev\n${fields}\n}\nnamespace shop {}\n`;
const issuer = (solver: string) => `issuer le {\n  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"\n${solver}\n}\n`;
const web = (fields = "") => `service web {\n  image "r.io/web:1.0.0"\n  port http 8080\n  expose "shop.example.com" path / tls le\n${fields}\n}\n`;
const docsOf = (program: Program): Obj[] => buildOutputs(program).documents.get("dev")!.map((d) => d.object as Obj);
const find = (docs: Obj[], kind: string, name: string) => docs.find((d) => d["kind"] === kind && d["metadata"].name === name);

/** cloud gcp + ingress istio + an ACME issuer with no solver: the default is HTTP-01 (Cloud DNS needs a project). */
const ISTIO_HTTP01 = platform("  cloud gcp\n  mesh istio sidecar cni\n  ingress istio") + issuer("") + web() +
  'service admin {\n  image "r.io/admin:1.0.0"\n  port http 8080\n  expose "admin.example.com" path / tls private\n}\nissuer private {\n  ca "root-ca"\n}\n';

describe("issuer solver checks", () => {
  const cases: { name: string; spec: string; code: string; covers: string; line: number }[] = [
    { name: "solver on a private CA has no effect", spec: platform("  ingress nginx") + "issuer ca {\n  ca \"root-ca\"\n  solver http\n}\n", code: "FIN4013", covers: "solver http", line: 8 },
    { name: "HTTP-01 without an ingress (written)", spec: platform("  ingress none") + issuer("  solver http"), code: "FIN4014", covers: "solver http", line: 8 },
    {
      name: "HTTP-01 without an ingress (the default off AWS)",
      spec: platform("  cloud azure\n  ingress none") + issuer(""),
      code: "FIN4014", covers: 'acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"', line: 8,
    },
    { name: "azure solver without a resource group", spec: platform("  cloud azure") + issuer('  solver dns azure "sub-1" "rg"'), code: "FIN3001", covers: '"rg"', line: 8 },
    { name: "unknown DNS provider", spec: platform("") + issuer('  solver dns route54 "Z1"'), code: "FIN3007", covers: "route54", line: 8 },
  ];
  for (const c of cases)
    it(`${c.code}: ${c.name}`, () => {
      expect(diagnosticsOf({ "main.fin": c.spec })).toContainEqual({ code: c.code, text: c.covers, line: c.line });
    });

  it("`tls <issuer>` is a resolved reference (what the language server's definition, references and rename walk)", () => {
    const spec = platform("  ingress nginx") + issuer("  solver http") + web();
    const program = compileSources({ "main.fin": spec });
    const refs = program.checked.references.filter((r) => r.target.kind === "issuer");
    expect(refs).toHaveLength(1);
    expect(refs[0]!.target.name).toBe("le");
    const start = spec.indexOf("tls le") + 4;
    expect([refs[0]!.range.start, refs[0]!.range.end]).toEqual([start, start + 2]);
  });

  it('"FIN4017": a wildcard host with an ACME issuer solving HTTP-01 (written or by default), at the expose; DNS-01 is fine', () => {
    const wild = (solver: string, cloud = "gcp") =>
      platform(`  cloud ${cloud}\n  ingress nginx`) + issuer(solver) + 'service web {\n  image "r.io/web:1.0.0"\n  port http 8080\n  expose "*.shop.example.com" path / tls le\n}\n';
    expect(diagnosticsOf({ "main.fin": wild("  solver http") })).toContainEqual({ code: "FIN4017", text: '"*.shop.example.com" path / tls le', line: 14 });
    expect(diagnosticsOf({ "main.fin": wild("") }).filter((d) => d.code === "FIN4017").map((d) => d.line)).toEqual([14]);
    expect(diagnosticsOf({ "main.fin": wild('  solver dns google "my-project"') })).toEqual([]);
    expect(diagnosticsOf({ "main.fin": wild("  solver http").replace('"*.shop.example.com"', '"www.shop.example.com"') })).toEqual([]);
  });

  it("ACME HTTP-01 behind an Istio gateway that redirects HTTP to HTTPS is handled, not an error", () => {
    expect(diagnosticsOf({ "main.fin": ISTIO_HTTP01 })).toEqual([]);
  });

  it("FIN4011 for traefik says exactly which Middleware to apply and how to attach it", () => {
    const program = compileSources({ "main.fin": platform("  ingress traefik") + issuer("") + web("  limit 600/m") });
    const d = program.diagnostics.find((x) => x.code === "FIN4011")!;
    expect(d.message).toContain("Traefik rate-limits with a Middleware object, which finc does not emit");
    const hint = JSON.stringify(d);
    for (const s of ["traefik.io/v1alpha1", "name web-ratelimit, namespace shop", "average: 600, period: 1m, burst: 600", "traefik.ingress.kubernetes.io/router.middlewares: shop-web-ratelimit@kubernetescrd"])
      expect(hint).toContain(s);
    const ingress = docsOf(program).find((x) => x["kind"] === "Ingress")!;
    expect(ingress["metadata"].annotations["finc.dev/rate-limit"]).toBe("600/m");
  });
});

describe("ACME HTTP-01 through the Istio gateway", () => {
  const docs = docsOf(compileSources({ "main.fin": ISTIO_HTTP01 }));

  it("port 80 of the HTTP-01 host is not redirected by the Gateway; the CA host still is", () => {
    const servers: Obj[] = find(docs, "Gateway", "p")!["spec"].servers;
    const port80 = servers.filter((s) => s["port"].number === 80);
    expect(port80.find((s) => s["tls"]?.httpsRedirect)!["hosts"]).toEqual(["admin.example.com"]);
    expect(port80.find((s) => !s["tls"])!["hosts"]).toEqual(["shop.example.com"]);
  });

  it("a VirtualService on port 80 sends the challenge to the solver and redirects everything else", () => {
    const vs = find(docs, "VirtualService", "acme-http01-shop-example-com")!;
    expect(vs["metadata"].namespace).toBe("istio-ingress");
    expect(vs["spec"].gateways).toEqual(["istio-ingress/p"]);
    expect(vs["spec"].http).toEqual([
      {
        name: "acme-http01",
        match: [{ port: 80, uri: { prefix: "/.well-known/acme-challenge/" } }],
        route: [{ destination: { host: "acme-http01-shop-example-com.istio-ingress.svc.cluster.local", port: { number: 8089 } } }],
      },
      { name: "https-redirect", match: [{ port: 80 }], redirect: { scheme: "https", redirectCode: 301 } },
    ]);
    // The application routes of that host only answer HTTPS.
    expect(find(docs, "VirtualService", "ingress-shop-example-com")!["spec"].http[0].match).toEqual([{ port: 443, uri: { prefix: "/" } }]);
  });

  it("the solver Service selects cert-manager's solver pod for the host (adler32 of the DNS name)", () => {
    expect(adler32("Wikipedia")).toBe(300286872); // the RFC 1950 / Wikipedia test vector
    const svc = find(docs, "Service", "acme-http01-shop-example-com")!;
    expect(svc["spec"].selector).toEqual({ "acme.cert-manager.io/http01-solver": "true", "acme.cert-manager.io/http-domain": String(adler32("shop.example.com")) });
    expect(find(docs, "ClusterIssuer", "le")!["spec"].acme.solvers).toEqual([{ http01: { ingress: { ingressClassName: "finc-acme-unserved", serviceType: "ClusterIP" } } }]);
  });
});

describe("DNS-01 solvers", () => {
  const solvers = (cloud: string, solver: string) =>
    find(docsOf(compileSources({ "main.fin": platform(`  cloud ${cloud}\n  ingress istio`) + issuer(solver) + web() })), "ClusterIssuer", "le")!["spec"].acme.solvers;
  it("default on aws with ingress istio: Route 53 in the primary region; no HTTP-01 plumbing", () => {
    const spec = platform("  cloud aws\n  regions eu-west-1 primary, eu-central-1\n  ingress istio") + issuer("") + web();
    const docs = docsOf(compileSources({ "main.fin": spec }));
    expect(find(docs, "ClusterIssuer", "le")!["spec"].acme.solvers).toEqual([{ dns01: { route53: { region: "eu-west-1" } } }]);
    expect(find(docs, "Gateway", "p")!["spec"].servers.find((s: Obj) => s["port"].number === 80)["tls"]).toEqual({ httpsRedirect: true });
    expect(docs.some((d) => d["metadata"].name.startsWith("acme-http01"))).toBe(false);
  });
  it("each provider", () => {
    expect(solvers("aws", '  solver dns route53 "Z0123456789ABCDEFGHIJ" region "eu-west-1"')).toEqual([{ dns01: { route53: { region: "eu-west-1", hostedZoneID: "Z0123456789ABCDEFGHIJ" } } }]);
    expect(solvers("onprem", '  solver dns cloudflare "cloudflare-token"')).toEqual([{ dns01: { cloudflare: { apiTokenSecretRef: { name: "cloudflare-token", key: "api-token" } } } }]);
    expect(solvers("gcp", '  solver dns google "my-project" zone "example-com"')).toEqual([{ dns01: { cloudDNS: { project: "my-project", hostedZoneName: "example-com" } } }]);
    expect(solvers("azure", '  solver dns azure "sub-1" group "dns-rg"')).toEqual([
      { dns01: { azureDNS: { subscriptionID: "sub-1", resourceGroupName: "dns-rg", environment: "AzurePublicCloud" } } },
    ]);
    expect(solvers("aws", "  solver http")).toEqual([{ http01: { ingress: { ingressClassName: "finc-acme-unserved", serviceType: "ClusterIP" } } }]);
  });
});

describe("the Istio gateway's cloud load balancer", () => {
  const lb = (cloud: string) => find(docsOf(compileSources({ "main.fin": platform(`  cloud ${cloud}\n  ingress istio`) + issuer("") + web() })), "Service", "istio-ingressgateway")!;
  it("a LoadBalancer Service for the gateway pods, health-checked on the gateway's readiness port", () => {
    const aws = lb("aws");
    expect(aws["metadata"].namespace).toBe("istio-ingress");
    expect(aws["spec"]).toMatchObject({ type: "LoadBalancer", externalTrafficPolicy: "Local", selector: { istio: "ingressgateway" } });
    expect(aws["spec"].ports.map((p: Obj) => p["port"])).toEqual([80, 443]);
    expect(aws["metadata"].annotations).toMatchObject({
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
    });
    expect(lb("gcp")["metadata"].annotations).toEqual({ "cloud.google.com/l4-rbs": "enabled" });
    expect(lb("onprem")["metadata"].annotations).toBeUndefined();
  });
});

const AMBIENT = platform("  mesh istio ambient\n  ingress istio") + issuer("") + web("  calls api") +
  'service api {\n  image "r.io/api:1.0.0"\n  port http 8080\n}\n';

describe("Istio ambient mode", () => {
  const docs = docsOf(compileSources({ "main.fin": AMBIENT }));
  it("labels namespaces for ambient and the waypoint instead of sidecar injection", () => {
    const labels = find(docs, "Namespace", "shop")!["metadata"].labels;
    expect(labels["istio.io/dataplane-mode"]).toBe("ambient");
    expect(labels["istio.io/use-waypoint"]).toBe("waypoint");
    expect(labels["istio-injection"]).toBeUndefined();
  });
  it("a waypoint per namespace, deny-by-default, and the callers checked at the waypoint (targetRefs)", () => {
    expect(find(docs, "Gateway", "waypoint")!["spec"]).toEqual({ gatewayClassName: "istio-waypoint", listeners: [{ name: "mesh", port: 15008, protocol: "HBONE" }] });
    expect(find(docs, "AuthorizationPolicy", "waypoint-allow-nothing")!["spec"]).toEqual({ targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "waypoint" }], action: "ALLOW" });
    expect(find(docs, "AuthorizationPolicy", "api-waypoint")!["spec"]).toEqual({
      targetRefs: [{ group: "", kind: "Service", name: "api" }],
      action: "ALLOW",
      rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }], to: [{ operation: { ports: ["8080"] } }] }],
    });
    // ztunnel: the pod accepts its callers directly and the waypoint on its ports.
    const principals = find(docs, "AuthorizationPolicy", "api")!["spec"].rules.flatMap((r: Obj) => r["from"][0].source.principals);
    expect(principals).toEqual(["cluster.local/ns/shop/sa/web", "cluster.local/ns/shop/sa/waypoint"]);
    expect(find(docs, "NetworkPolicy", "allow-hbone")!["spec"].ingress[0].ports).toEqual([{ protocol: "TCP", port: 15008 }]);
  });
  it("no ISTIO_MUTUAL in ambient (ztunnel's HBONE carries mTLS): a DestinationRule only where there is traffic policy", () => {
    const d = docsOf(compileSources({ "main.fin": AMBIENT.replace('service api {\n  image "r.io/api:1.0.0"', 'service api {\n  balance least-request\n  image "r.io/api:1.0.0"') }));
    expect(find(d, "DestinationRule", "api")!["spec"]).toEqual({ host: "api.shop.svc.cluster.local", trafficPolicy: { loadBalancer: { simple: "LEAST_REQUEST" } } });
    expect(find(d, "DestinationRule", "web")).toBeUndefined();
    const sidecar = docsOf(compileSources({ "main.fin": AMBIENT.replace("mesh istio ambient", "mesh istio") }));
    expect(find(sidecar, "DestinationRule", "web")!["spec"].trafficPolicy).toEqual({ tls: { mode: "ISTIO_MUTUAL" } });
  });
  it('"FIN4011" in ambient: no EnvoyFilter (unsupported on waypoints), a warning instead; nginx still limits exposed services', () => {
    const spec = AMBIENT.replace('service api {\n  image "r.io/api:1.0.0"', 'service api {\n  limit 100/s\n  image "r.io/api:1.0.0"');
    const program = compileSources({ "main.fin": spec });
    expect(docsOf(program).some((x) => x["kind"] === "EnvoyFilter")).toBe(false);
    expect(diagnosticsOf({ "main.fin": spec })).toContainEqual({ code: "FIN4011", text: "limit 100/s", line: 18 });
    expect(program.diagnostics.find((x) => x.code === "FIN4011")!.message).toContain("EnvoyFilter on ambient waypoints");
    const nginx = spec.replace("ingress istio", "ingress nginx").replace('calls api\n}', 'calls api\n  limit 10/s\n}');
    const nginxDocs = docsOf(compileSources({ "main.fin": nginx }));
    expect(nginxDocs.find((x) => x["kind"] === "Ingress")!["metadata"].annotations["nginx.ingress.kubernetes.io/limit-rps"]).toBe("10");
    expect(diagnosticsOf({ "main.fin": nginx }).filter((x) => x.code === "FIN4011").map((x) => x.text)).toEqual(["limit 100/s"]);
  });
  it("sidecar mode stays the default", () => {
    const d = docsOf(compileSources({ "main.fin": platform("  mesh istio") + 'service api {\n  image "r.io/api:1.0.0"\n  port http 8080\n}\n' }));
    expect(find(d, "Namespace", "shop")!["metadata"].labels["istio-injection"]).toBe("enabled");
    expect(d.some((x) => x["kind"] === "Gateway")).toBe(false);
  });
  it("`mesh istio sidecar` is accepted, anything else is not", () => {
    expect(diagnosticsOf({ "main.fin": platform("  mesh istio sidecar cni") })).toEqual([]);
    expect(diagnosticsOf({ "main.fin": platform("  mesh istio ambiant") })).toContainEqual({ code: "FIN3007", text: "ambiant", line: 3 });
  });
});

// ---------------------------------------------------------------------------------------
// Everything above validates against the upstream schemas.
// ---------------------------------------------------------------------------------------

const SHARED = resolve(REPO, "../shared");
const TOOL = join(SHARED, "tools/k8s-validate");
const available = existsSync(TOOL) && existsSync(join(SHARED, "schemas"));
let tmp = "";
let validator = "";
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "finc-solvers-"));
  if (!available) return;
  validator = join(tmp, "k8s-validate");
  cpSync(TOOL, validator, { recursive: true, filter: (p) => !p.includes("node_modules") });
  if (["ajv", "ajv-formats", "yaml"].every((d) => existsSync(join(REPO, "node_modules", d)))) symlinkSync(join(REPO, "node_modules"), join(validator, "node_modules"), "dir");
  else execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent"], { cwd: validator });
}, 120_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!available)("solver, load-balancer and ambient outputs validate against their schemas", () => {
  const specs: [string, string][] = [
    ["istio HTTP-01 on gcp", ISTIO_HTTP01],
    ["ambient on aws", AMBIENT],
    ["cloudflare on azure", platform("  cloud azure\n  ingress istio") + issuer('  solver dns cloudflare "cf-token" key "token"') + web()],
    ["google", platform("  cloud gcp\n  ingress nginx") + issuer('  solver dns google "my-project"') + web()],
    ["azure", platform("  cloud azure\n  ingress istio") + issuer('  solver dns azure "sub-1" group "dns-rg" zone "example.com"') + web()],
  ];
  for (const [name, spec] of specs)
    it(name, () => {
      const program = compileSources({ "main.fin": spec });
      expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const dir = join(tmp, name.replace(/\W+/g, "-"));
      for (const f of buildOutputs(program).files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      const r = spawnSync(process.execPath, [join(validator, "validate.mjs"), "-q", "--schemas", join(SHARED, "schemas"), dir], { encoding: "utf8" });
      expect(r.stdout + r.stderr).toMatch(/ 0 invalid, 0 unknown/);
      expect(r.status).toBe(0);
    });
});
