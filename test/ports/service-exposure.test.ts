import { beforeAll, describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";
import { compileSources, itReportsEach } from "../helpers/compile.js";

/**
 * `service-type load-balancer [internal|public]` and `service-type node-port`: the Service's type,
 * the platform cloud's load-balancer annotations, and a NetworkPolicy rule admitting the
 * load balancer's traffic (it comes from outside the cluster: an ipBlock) on the pod ports only.
 */
const spec = (cloud: string, type: string, platform = "") => `platform p {
  environments prod
  cloud ${cloud}
${platform}}
namespace apps {}
service api {
  image "r.io/api:1.0.0"
  port  http 80 -> 8080, metrics 9102
  service-type ${type}
}
`;

type Doc = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: Record<string, any> };

function docsOf(text: string): Doc[] {
  const program = compileSources({ "main.fin": text });
  expect(program.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return [...buildOutputs(program).documents.get("prod")!].map((d) => d.object as unknown as Doc);
}
const find = (docs: Doc[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name)!;

describe("service-type", () => {
  it("aws, internal: an NLB by the AWS Load Balancer Controller, IP targets, internal scheme", () => {
    const svc = find(docsOf(spec("aws", "load-balancer internal")), "Service", "api");
    expect(svc.spec.type).toBe("LoadBalancer");
    expect(svc.metadata.annotations).toEqual({
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    });
  });

  it("load-balancer alone is internal; public is internet-facing", () => {
    expect(find(docsOf(spec("aws", "load-balancer")), "Service", "api").metadata.annotations?.["service.beta.kubernetes.io/aws-load-balancer-scheme"]).toBe("internal");
    expect(find(docsOf(spec("aws", "load-balancer public")), "Service", "api").metadata.annotations?.["service.beta.kubernetes.io/aws-load-balancer-scheme"]).toBe("internet-facing");
  });

  it("gcp and azure: their internal annotations; public gets none", () => {
    expect(find(docsOf(spec("gcp", "load-balancer internal")), "Service", "api").metadata.annotations).toEqual({ "networking.gke.io/load-balancer-type": "Internal" });
    expect(find(docsOf(spec("azure", "load-balancer internal")), "Service", "api").metadata.annotations).toEqual({ "service.beta.kubernetes.io/azure-load-balancer-internal": "true" });
    expect(find(docsOf(spec("gcp", "load-balancer public")), "Service", "api").metadata.annotations).toBeUndefined();
  });

  it("node-port: type NodePort, no annotations; default stays ClusterIP", () => {
    const svc = find(docsOf(spec("aws", "node-port")), "Service", "api");
    expect(svc.spec.type).toBe("NodePort");
    expect(svc.metadata.annotations).toBeUndefined();
    expect(find(docsOf(spec("aws", "cluster-ip")), "Service", "api").spec.type).toBe("ClusterIP");
  });

  it("the NetworkPolicy admits the load balancer on the pod port (8080), never the metrics port: private ranges when internal, anywhere when public", () => {
    const internal = find(docsOf(spec("aws", "load-balancer internal")), "NetworkPolicy", "api-traffic");
    expect(internal.spec.ingress).toContainEqual({
      from: [{ ipBlock: { cidr: "10.0.0.0/8" } }, { ipBlock: { cidr: "172.16.0.0/12" } }, { ipBlock: { cidr: "192.168.0.0/16" } }],
      ports: [{ protocol: "TCP", port: 8080 }],
    });
    const pub = find(docsOf(spec("aws", "load-balancer public")), "NetworkPolicy", "api-traffic");
    expect(pub.spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 8080 }] });
    const clusterIp = find(docsOf(spec("aws", "cluster-ip")), "NetworkPolicy", "api-traffic");
    expect(JSON.stringify(clusterIp.spec.ingress)).not.toContain("ipBlock");
  });
});

describe("service-type is refused where it would bypass a guarantee", () => {
  itReportsEach([
    { name: "node-port under compliance pci-dss", spec: spec("aws", "node-port", "  compliance pci-dss\n"), code: "FIN3029", covers: "node-port", line: 10 },
    { name: "an internet-facing load balancer under compliance pci-dss", spec: spec("aws", "load-balancer public", "  compliance pci-dss\n"), code: "FIN3029", covers: "load-balancer public", line: 10 },
    { name: "a load balancer with the Istio mesh (its STRICT mTLS rejects the balancer's plaintext)", spec: spec("aws", "load-balancer internal", "  mesh istio sidecar cni\n"), code: "FIN3029", covers: "load-balancer internal", line: 10 },
  ]);

  it("an internal load balancer under pci-dss is accepted", () => {
    const p = compileSources({ "main.fin": spec("aws", "load-balancer internal", "  compliance pci-dss\n") });
    expect(p.diagnostics.filter((d) => d.code === "FIN3029")).toEqual([]);
  });
});

describe.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check on load-balancer specs", () => {
  let check = "";
  beforeAll(() => {
    check = installRuntimeCheck();
  }, 120_000);
  for (const type of ["load-balancer internal", "load-balancer public", "node-port"]) {
    it(`${type}: 0 errors, 0 warnings, with the needs file`, () => {
      const program = compileSources({ "main.fin": spec("aws", type) });
      const out = writeBuild(program, buildOutputs(program), "finc-lb-");
      const r = runRuntimeCheck(check, out, "prod", true);
      expect(r.findings).toEqual([]);
      expect(r.summary).toMatch(/^runtime-check: 0 errors, 0 warnings/);
    }, 60_000);
  }
});
