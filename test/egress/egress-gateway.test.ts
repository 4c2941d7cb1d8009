import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toYaml, type JsonValue } from "../../compiler/emit/shared/yaml.js";
import { realTool } from "../helpers/real-tools.js";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

/**
 * `egress-gateway` (issue 9, item 2): with it, every external host a workload declares leaves
 * through the Istio egress gateway, as Istio's "Egress Gateways" task describes with mutual TLS
 * between the sidecar and the gateway (the app's own TLS travels inside it): a DestinationRule
 * subset per host (ISTIO_MUTUAL, SNI = the host), a mesh VirtualService sending the host to the
 * gateway, a Gateway server per host terminating the mTLS, a VirtualService at the gateway
 * forwarding to the host, a ServiceEntry on both sides, and an AuthorizationPolicy on the gateway
 * admitting, per host, only the workloads that declared it. The workloads' NetworkPolicy then
 * reaches the gateway's pods, not the internet.
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const platform = (fields: string) => `platform p {\n  environments dev\n  regions eu-west-1 primary\n${fields}\n}\nnamespace shop {}\nnamespace back {}\n`;
const svc = (name: string, fields: string, ns = "shop") => `service ${name} {\n  namespace ${ns}\n  image "r.io/${name}:1.0.0"\n  port http 8080\n${fields}\n}\n`;
const MESH = "  mesh istio sidecar cni\n  egress-gateway yes";
const docsOf = (spec: string): Obj[] => {
  const p = compileSources({ "main.fin": spec });
  expect(p.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return buildOutputs(p).documents.get("dev")!.map((d) => d.object as Obj);
};
const find = (docs: Obj[], kind: string, ns: string, name: string) => docs.find((d) => d["kind"] === kind && d["metadata"].namespace === ns && d["metadata"].name === name);
const GW_HOST = "istio-egressgateway.istio-egress.svc.cluster.local";

describe("egress through the Istio egress gateway", () => {
  const spec = platform(MESH) + svc("api", '  egress "api.stripe.com" 443, "smtp.example.com" 587') + svc("ledger", '  egress "api.stripe.com" 443', "back") + svc("web", "");
  const docs = () => docsOf(spec);

  it("the workload's NetworkPolicy reaches only the gateway's pods (Helm chart defaults: istio-egress, istio: egressgateway, port 443), not 0.0.0.0/0", () => {
    const egress = find(docs(), "NetworkPolicy", "shop", "api-traffic")!["spec"].egress as Obj[];
    expect(egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "istio-egress" } }, podSelector: { matchLabels: { istio: "egressgateway" } } }],
      ports: [{ protocol: "TCP", port: 443 }],
    }]);
    expect(JSON.stringify(egress)).not.toContain("0.0.0.0/0");
  });

  it("the client namespace: a ServiceEntry per host, a DestinationRule with an ISTIO_MUTUAL subset per host (SNI = host), and a mesh VirtualService to the gateway", () => {
    const d = docs();
    expect(find(d, "ServiceEntry", "shop", "egress-api-stripe-com")!["spec"].hosts).toEqual(["api.stripe.com"]);
    const dr = find(d, "DestinationRule", "shop", "egress-gateway")!["spec"];
    expect(dr.host).toBe(GW_HOST);
    expect(dr.exportTo).toEqual(["."]);
    expect(dr.subsets).toEqual([
      { name: "api-stripe-com", trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: "ISTIO_MUTUAL", sni: "api.stripe.com" } }] } },
      { name: "smtp-example-com", trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: "ISTIO_MUTUAL", sni: "smtp.example.com" } }] } },
    ]);
    const vs = find(d, "VirtualService", "shop", "egress-api-stripe-com")!["spec"];
    expect(vs).toEqual({
      hosts: ["api.stripe.com"], gateways: ["mesh"], exportTo: ["."],
      tls: [{ match: [{ gateways: ["mesh"], port: 443, sniHosts: ["api.stripe.com"] }], route: [{ destination: { host: GW_HOST, subset: "api-stripe-com", port: { number: 443 } } }] }],
    });
    // A plain TCP port has no SNI to match on: the port alone sends it to the gateway, inside mTLS.
    expect(find(d, "VirtualService", "shop", "egress-smtp-example-com")!["spec"].tcp).toEqual([
      { match: [{ gateways: ["mesh"], port: 587 }], route: [{ destination: { host: GW_HOST, subset: "smtp-example-com", port: { number: 443 } } }] },
    ]);
  });

  it("the gateway's namespace: one Gateway terminating the sidecars' mTLS per host, a ServiceEntry and a VirtualService forwarding to the host's own port", () => {
    const d = docs();
    const gw = find(d, "Gateway", "istio-egress", "p-egress")!["spec"];
    expect(gw.selector).toEqual({ istio: "egressgateway" });
    expect(gw.servers).toEqual([
      { port: { number: 443, name: "tls-api-stripe-com", protocol: "TLS" }, hosts: ["api.stripe.com"], tls: { mode: "ISTIO_MUTUAL" } },
      { port: { number: 443, name: "tls-smtp-example-com", protocol: "TLS" }, hosts: ["smtp.example.com"], tls: { mode: "ISTIO_MUTUAL" } },
    ]);
    expect(find(d, "ServiceEntry", "istio-egress", "egress-smtp-example-com")!["spec"]).toMatchObject({ hosts: ["smtp.example.com"], exportTo: ["."], resolution: "DNS", ports: [{ number: 587, name: "tcp-587", protocol: "TCP" }] });
    expect(find(d, "VirtualService", "istio-egress", "egress-smtp-example-com")!["spec"]).toEqual({
      hosts: ["smtp.example.com"], gateways: ["p-egress"], exportTo: ["."],
      tcp: [{ match: [{ gateways: ["p-egress"], port: 443 }], route: [{ destination: { host: "smtp.example.com", port: { number: 587 } } }] }],
    });
    // One set of gateway objects for the platform, even though two namespaces reach api.stripe.com.
    expect(d.filter((x) => x["kind"] === "ServiceEntry" && x["metadata"].namespace === "istio-egress").map((x) => x["metadata"].name)).toEqual(["egress-api-stripe-com", "egress-smtp-example-com"]);
  });

  it("an AuthorizationPolicy on the gateway admits, per host (the SNI it sees), only the workloads that declared it", () => {
    const ap = find(docs(), "AuthorizationPolicy", "istio-egress", "p-egress")!["spec"];
    expect(ap).toEqual({
      selector: { matchLabels: { istio: "egressgateway" } },
      action: "ALLOW",
      rules: [
        { from: [{ source: { principals: ["cluster.local/ns/back/sa/ledger", "cluster.local/ns/shop/sa/api"] } }], when: [{ key: "connection.sni", values: ["api.stripe.com"] }] },
        { from: [{ source: { principals: ["cluster.local/ns/shop/sa/api"] } }], when: [{ key: "connection.sni", values: ["smtp.example.com"] }] },
      ],
    });
  });

  it("address blocks and in-cluster Services keep their direct rules; REGISTRY_ONLY stays under pci-dss", () => {
    const d = docsOf(platform(`${MESH}\n  compliance pci-dss`) + svc("api", '  egress "10.20.0.0/16" 5432, "api.stripe.com" 443'));
    const egress = find(d, "NetworkPolicy", "shop", "api-traffic")!["spec"].egress as Obj[];
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ protocol: "TCP", port: 5432 }] });
    expect(find(d, "Sidecar", "shop", "default")!["spec"]).toEqual({ outboundTrafficPolicy: { mode: "REGISTRY_ONLY" } });
  });

  it("`istioctl` (the demo profile's gateway in istio-system, Service port 443 → pod 8443) and `namespace`/`labels` overrides", () => {
    const d = docsOf(platform("  mesh istio sidecar cni\n  egress-gateway istioctl") + svc("api", '  egress "api.stripe.com" 443'));
    expect(find(d, "NetworkPolicy", "shop", "api-traffic")!["spec"].egress[0]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "istio-system" } }, podSelector: { matchLabels: { istio: "egressgateway" } } }],
      ports: [{ protocol: "TCP", port: 8443 }],
    });
    expect(find(d, "DestinationRule", "shop", "egress-gateway")!["spec"].host).toBe("istio-egressgateway.istio-system.svc.cluster.local");
    const o = docsOf(platform("  mesh istio sidecar cni\n  egress-gateway helm egress namespace edge labels app=egress") + svc("api", '  egress "api.stripe.com" 443'));
    expect(find(o, "Gateway", "edge", "p-egress")!["spec"].selector).toEqual({ app: "egress" });
    expect(find(o, "DestinationRule", "shop", "egress-gateway")!["spec"].host).toBe("egress.edge.svc.cluster.local");
  });

  it.skipIf(!schemasAvailable)("every document validates against the upstream schemas (Istio 1.26 CRDs, Kubernetes 1.31)", () => {
    const d = docs();
    expect(d.filter((x) => ["Gateway", "VirtualService", "DestinationRule", "AuthorizationPolicy"].includes(x["kind"])).length).toBeGreaterThanOrEqual(6);
    expect(d.flatMap((x) => validateManifest(x).map((e) => `${x["kind"]}/${x["metadata"].name}: ${e}`))).toEqual([]);
  });

  const istioctl = realTool("istioctl");
  /** `istioctl analyze --all-namespaces --use-kube=false` (without -A it analyzes only `default`) on the Istio objects and the Namespaces/Services/ServiceAccounts/Deployments they name. */
  const analyze = (objs: Obj[]): string[] => {
    const dir = mkdtempSync(join(tmpdir(), "finc-egress-gw-"));
    const file = join(dir, "objects.yaml");
    writeFileSync(file, objs.map((o) => toYaml(o as JsonValue)).join("---\n"));
    // The mesh as the install assumption "Istio DNS proxying with address auto-allocation" requires it
    // for TCP ServiceEntries (smtp.example.com:587); without it istioctl warns IST0134, rightly.
    const mesh = join(dir, "mesh.yaml");
    writeFileSync(mesh, 'defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: "true"\n    ISTIO_META_DNS_AUTO_ALLOCATE: "true"\n');
    const r = spawnSync(istioctl!, ["analyze", "--all-namespaces", "--use-kube=false", "--meshConfigFile", mesh, "-o", "json", file], { encoding: "utf8" });
    expect([0, 79]).toContain(r.status);
    // istioctl logs the deprecation of ISTIO_META_DNS_AUTO_ALLOCATE before the JSON.
    const json = r.stdout.slice(Math.max(0, r.stdout.search(/^\[/m)));
    return (JSON.parse(json || "[]") as { code: string; level: string; message: string }[]).filter((f) => f.level !== "Info").map((f) => `${f.level} ${f.code}: ${f.message}`);
  };
  const analyzed = (o: Obj) => /istio\.io\//.test(o["apiVersion"]) || ["Namespace", "Service", "ServiceAccount", "Deployment"].includes(o["kind"]);

  it.skipIf(!istioctl)("istioctl analyze (Istio 1.26) finds nothing; without the egress Gateway it reports the dangling route (IST0101)", () => {
    const objs = docs().filter(analyzed);
    const found = analyze(objs);
    expect(found, JSON.stringify(found)).toEqual([]);
    const broken = analyze(objs.filter((o) => !(o["kind"] === "Gateway" && o["metadata"].name === "p-egress")));
    expect(broken, JSON.stringify(broken)).toContainEqual(expect.stringMatching(/^Error IST0101: .*p-egress/));
  });

  it("without `egress-gateway` nothing changes: the public rule and no gateway objects", () => {
    const d = docsOf(platform("  mesh istio sidecar cni") + svc("api", '  egress "api.stripe.com" 443'));
    expect(find(d, "NetworkPolicy", "shop", "api-traffic")!["spec"].egress[0].to[0].ipBlock.cidr).toBe("0.0.0.0/0");
    expect(d.some((x) => x["kind"] === "Gateway" || x["kind"] === "VirtualService")).toBe(false);
  });
});

describe('"FIN4058": egress-gateway where it cannot work', () => {
  const cases: { name: string; spec: string; covers: string; line: number }[] = [
    { name: "without the mesh", spec: platform("  egress-gateway yes") + svc("api", ""), covers: "egress-gateway yes", line: 4 },
    { name: "in ambient mode", spec: platform("  mesh istio ambient\n  egress-gateway yes") + svc("api", ""), covers: "egress-gateway yes", line: 5 },
    { name: "a wildcard host through the gateway", spec: platform(MESH) + svc("api", '  egress "*.stripe.com" 443'), covers: '"*.stripe.com" 443', line: 13 },
    { name: "a cloud service with wildcard endpoints", spec: platform(MESH) + svc("api", "  egress aws s3"), covers: "aws s3", line: 13 },
    { name: "one host on two ports", spec: platform(MESH) + svc("api", '  egress "mail.example.com" 465, "mail.example.com" 587'), covers: '"mail.example.com" 587', line: 13 },
  ];
  for (const c of cases)
    it(c.name, () => expect(diagnosticsOf({ "main.fin": c.spec })).toContainEqual({ code: "FIN4058", text: c.covers, line: c.line }));

  it("the messages say what to do", () => {
    const d = compileSources({ "main.fin": platform("  egress-gateway yes") + svc("api", "") }).diagnostics.find((x) => x.code === "FIN4058")!;
    expect(d.severity).toBe("error");
    expect(d.message).toMatch(/mesh istio/);
    const w = compileSources({ "main.fin": platform(MESH) + svc("api", '  egress "*.stripe.com" 443') }).diagnostics.find((x) => x.code === "FIN4058")!;
    expect(w.message).toMatch(/wildcard/);
    expect(w.hint).toMatch(/each host/);
  });
});
