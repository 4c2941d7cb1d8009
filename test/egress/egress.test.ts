import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";

/**
 * Egress as a declaration (issue 9, item 2): `egress` lines and the egress finc's own features
 * need become NetworkPolicy egress rules and, with the mesh, ServiceEntries; PCI scope gets a
 * REGISTRY_ONLY outbound policy. And callers reach only the ports they call: never `metrics`.
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const platform = (fields: string) => `platform p {\n  environments dev\n  regions eu-west-1 primary, eu-central-1\n${fields}\n}\nnamespace shop {}\n`;
const svc = (fields: string, name = "web") => `service ${name} {\n  image "r.io/${name}:1.0.0"\n  port http 8080\n${fields}\n}\n`;
const docsOf = (spec: string): Obj[] => {
  const p = compileSources({ "main.fin": spec });
  expect(p.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return buildOutputs(p).documents.get("dev")!.map((d) => d.object as Obj);
};
const find = (docs: Obj[], kind: string, name: string) => docs.find((d) => d["kind"] === kind && d["metadata"].name === name);
const egressOf = (docs: Obj[], name = "web") => find(docs, "NetworkPolicy", `${name}-traffic`)!["spec"].egress as Obj[];
const entries = (docs: Obj[]) => docs.filter((d) => d["kind"] === "ServiceEntry").map((d) => ({ name: d["metadata"].name, ...d["spec"] }));

const PUBLIC = { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"] };
const MESH = "  mesh istio sidecar cni";

describe("declared egress", () => {
  it("an external host: every public address on its port (a NetworkPolicy cannot name a host), and a ServiceEntry with the mesh", () => {
    const docs = docsOf(platform(MESH) + svc('  egress "api.stripe.com" 443'));
    expect(egressOf(docs)).toEqual([{ to: [{ ipBlock: PUBLIC }], ports: [{ protocol: "TCP", port: 443 }] }]);
    expect(entries(docs)).toEqual([{
      name: "egress-api-stripe-com", hosts: ["api.stripe.com"], exportTo: ["."], location: "MESH_EXTERNAL",
      ports: [{ number: 443, name: "tls-443", protocol: "TLS" }], resolution: "DNS",
    }]);
    expect(find(docs, "ServiceEntry", "egress-api-stripe-com")!["metadata"].namespace).toBe("shop");
  });

  it("without the mesh: the NetworkPolicy rule only", () => {
    const docs = docsOf(platform("") + svc('  egress "api.stripe.com" 443'));
    expect(egressOf(docs)).toEqual([{ to: [{ ipBlock: PUBLIC }], ports: [{ protocol: "TCP", port: 443 }] }]);
    expect(entries(docs)).toEqual([]);
  });

  it("a wildcard domain passes through (resolution NONE); several hosts share one public rule with their ports", () => {
    const docs = docsOf(platform(MESH) + svc('  egress "*.stripe.com" 443, "smtp.example.com" 587'));
    expect(egressOf(docs)).toEqual([{ to: [{ ipBlock: PUBLIC }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 587 }] }]);
    expect(entries(docs).map((e) => [e.name, e.hosts, e.resolution, e.ports])).toEqual([
      [expect.stringMatching(/^egress-wildcard-stripe-com/), ["*.stripe.com"], "NONE", [{ number: 443, name: "tls-443", protocol: "TLS" }]],
      ["egress-smtp-example-com", ["smtp.example.com"], "DNS", [{ number: 587, name: "tcp-587", protocol: "TCP" }]],
    ].sort((a, b) => ((a[1] as string[])[0]! < (b[1] as string[])[0]! ? -1 : 1)));
  });

  it("an address block: exactly that block, and a TCP ServiceEntry on its addresses", () => {
    const docs = docsOf(platform(MESH) + svc('  egress "10.20.0.0/16" 5432'));
    expect(egressOf(docs)).toEqual([{ to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ protocol: "TCP", port: 5432 }] }]);
    const [e] = entries(docs);
    expect(e).toMatchObject({ addresses: ["10.20.0.0/16"], resolution: "NONE", location: "MESH_EXTERNAL", ports: [{ number: 5432, name: "tcp-5432", protocol: "TCP" }] });
  });

  it("`aws sqs` / `aws s3`: the regional endpoints of every platform region, plus STS for the pod's IRSA token", () => {
    const docs = docsOf(platform(MESH) + svc("  egress aws sqs, aws s3"));
    expect(entries(docs).flatMap((e) => e.hosts).sort()).toEqual([
      "*.s3.eu-central-1.amazonaws.com", "*.s3.eu-west-1.amazonaws.com",
      "s3.eu-central-1.amazonaws.com", "s3.eu-west-1.amazonaws.com",
      "sqs.eu-central-1.amazonaws.com", "sqs.eu-west-1.amazonaws.com",
      "sts.eu-central-1.amazonaws.com", "sts.eu-west-1.amazonaws.com",
    ]);
    expect(egressOf(docs)).toEqual([{ to: [{ ipBlock: PUBLIC }], ports: [{ protocol: "TCP", port: 443 }] }]);
  });
});

describe("egress finc's own features need", () => {
  const scaled = (line: string) => svc(`  replicas 1 to 5\n  ${line}`, "worker");

  it("`scale on kafka` (default brokers): the consumer pod reaches the Kafka namespace on 9092, not only KEDA", () => {
    const docs = docsOf(platform(MESH) + scaled('scale on kafka "orders" lag 100'));
    expect(egressOf(docs, "worker")).toEqual([{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kafka" } } }], ports: [{ protocol: "TCP", port: 9092 }] }]);
    expect(entries(docs)).toEqual([]); // an in-cluster Service is in the mesh's registry already
  });

  it("`scale on kafka … brokers` outside the cluster: the public rule on the brokers' port and a ServiceEntry per broker", () => {
    const docs = docsOf(platform(MESH) + scaled('scale on kafka "orders" lag 100 brokers "b-1.msk.example.com:9096,b-2.msk.example.com:9096"'));
    expect(egressOf(docs, "worker")).toEqual([{ to: [{ ipBlock: PUBLIC }], ports: [{ protocol: "TCP", port: 9096 }] }]);
    expect(entries(docs).map((e) => e.hosts[0])).toEqual(["b-1.msk.example.com", "b-2.msk.example.com"]);
  });

  it("`scale on queue sqs`: the queue's regional endpoint and STS", () => {
    const docs = docsOf(platform(MESH) + scaled('scale on queue sqs "https://sqs.eu-west-1.amazonaws.com/123456789012/orders" depth 10'));
    expect(entries(docs).map((e) => e.hosts[0])).toEqual(["sqs.eu-west-1.amazonaws.com", "sts.eu-west-1.amazonaws.com"]);
    expect(egressOf(docs, "worker")).toEqual([{ to: [{ ipBlock: PUBLIC }], ports: [{ protocol: "TCP", port: 443 }] }]);
  });

  it("`kubernetes-api yes`: the API server's ports on any address (its endpoints are the cluster's own, often private)", () => {
    const docs = docsOf(platform("") + svc("  kubernetes-api yes"));
    expect(egressOf(docs)).toEqual([{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] }]);
    expect(egressOf(docsOf(platform("") + svc("")))).toEqual([]);
  });
});

describe("REGISTRY_ONLY for PCI scope", () => {
  const sidecar = (fields: string) => find(docsOf(platform(fields) + svc("")), "Sidecar", "default");
  it("with `compliance pci-dss` and sidecars, each namespace's sidecars forward only to registered destinations", () => {
    expect(sidecar(`${MESH}\n  compliance pci-dss`)).toMatchObject({ metadata: { namespace: "shop" }, spec: { outboundTrafficPolicy: { mode: "REGISTRY_ONLY" } } });
    expect(sidecar(MESH)).toBeUndefined();
    expect(sidecar("  mesh istio ambient\n  compliance pci-dss")).toBeUndefined();
  });
});

describe("egress diagnostics", () => {
  const cases: { name: string; spec: string; code: string; covers: string; line: number }[] = [
    { name: "host bits set in a CIDR", spec: platform("") + svc('  egress "10.20.0.1/16" 5432'), code: "FIN4046", covers: '"10.20.0.1/16"', line: 10 },
    { name: "not an address block", spec: platform("") + svc('  egress "10.20.0/16" 5432'), code: "FIN4046", covers: '"10.20.0/16"', line: 10 },
    { name: "a cloud service of another cloud", spec: platform("") + svc("  egress gcp storage"), code: "FIN4046", covers: "gcp storage", line: 10 },
    { name: "a regional AWS service without regions", spec: "platform p {\n  environments dev\n}\nnamespace shop {}\n" + svc("  egress aws sqs"), code: "FIN4046", covers: "aws sqs", line: 8 },
    { name: "a URL instead of a host", spec: platform("") + svc('  egress "https://api.stripe.com" 443'), code: "FIN3010", covers: '"https://api.stripe.com"', line: 10 },
    { name: "a port out of range", spec: platform("") + svc('  egress "api.stripe.com" 70000'), code: "FIN3004", covers: "70000", line: 10 },
    { name: "an unknown AWS service", spec: platform("") + svc("  egress aws sqss"), code: "FIN3007", covers: "sqss", line: 10 },
    { name: "the whole internet", spec: platform("") + svc('  egress "0.0.0.0/0" 443'), code: "FIN4047", covers: '"0.0.0.0/0"', line: 10 },
    { name: "a /8", spec: platform("") + svc('  egress "10.0.0.0/8" 443'), code: "FIN4047", covers: '"10.0.0.0/8"', line: 10 },
  ];
  for (const c of cases)
    it(`"${c.code}": ${c.name}`, () => {
      expect(diagnosticsOf({ "main.fin": c.spec })).toContainEqual({ code: c.code, text: c.covers, line: c.line });
    });

  it("the CIDR diagnostic says which block was meant (IPv4 and IPv6); a valid IPv6 block is accepted", () => {
    const hint = (cidr: string) => compileSources({ "main.fin": platform("") + svc(`  egress "${cidr}" 443`) }).diagnostics.find((d) => d.code === "FIN4046")?.hint;
    expect(hint("10.20.0.1/16")).toBe('Did you mean "10.20.0.0/16"?');
    expect(hint("2001:db8::1/32")).toBe('Did you mean "2001:db8::/32"?');
    expect(diagnosticsOf({ "main.fin": platform("") + svc('  egress "2001:db8::/32" 443') })).toEqual([]);
  });
});

describe("callers reach only the ports they call; metrics only Prometheus", () => {
  const spec = platform(`${MESH}\n  ingress istio\n  monitoring prometheus`) +
    'service fraud {\n  image "r.io/fraud:1.0.0"\n  port grpc 9090, metrics 9102\n  expose "fraud.example.com" path /\n}\n' + svc("  calls fraud", "api");
  const docs = () => docsOf(spec);

  it("the callee's NetworkPolicy admits the caller and the gateway on 9090 only; Prometheus alone on 9102", () => {
    const d = docs();
    const ingress = find(d, "NetworkPolicy", "fraud-traffic")!["spec"].ingress as Obj[];
    expect(ingress.map((r) => r.ports)).toEqual([[{ protocol: "TCP", port: 9090 }], [{ protocol: "TCP", port: 9090 }]]);
    expect(find(d, "NetworkPolicy", "fraud-metrics")!["spec"].ingress[0].ports).toEqual([{ protocol: "TCP", port: 9102 }]);
    expect(egressOf(d, "api")).toEqual([{ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "fraud" } } }], ports: [{ protocol: "TCP", port: 9090 }] }]);
  });

  it("the callee's AuthorizationPolicy gives its callers 9090, never 9102", () => {
    const rules = find(docs(), "AuthorizationPolicy", "fraud")!["spec"].rules as Obj[];
    expect(rules.map((r) => [r.from[0].source.principals, r.to[0].operation.ports])).toEqual([
      [["cluster.local/ns/shop/sa/api"], ["9090"]],
      [["cluster.local/ns/istio-ingress/sa/istio-ingressgateway"], ["9090"]],
    ]);
  });
});
