import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { needsFiles } from "../../compiler/emit/needs/index.js";
import { formatSource } from "../../compiler/format/format.js";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";

/**
 * `port http 80 -> 8080`: clients call the Service on 80, the container listens on 8080.
 * The Service maps port 80 to targetPort http (the container's 8080); everything that
 * matches on the pod (NetworkPolicy, Istio AuthorizationPolicy, probes) uses 8080; everything
 * that addresses the Service (routes, the needs file) uses 80.
 */
const spec = (mesh: boolean) => `platform p {
  environments prod
  cloud aws
${mesh ? "  mesh istio sidecar cni\n  ingress istio\n  monitoring prometheus\n" : "  ingress nginx\n"}}
issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
}
namespace apps {}
service api {
  image "r.io/api:1.0.0"
  port  http 80 -> 8080, grpc 9090 -> 50051${mesh ? ", metrics 9102 -> 9100" : ""}
  probe readiness /ready, liveness /healthz
  expose "api.example.com" path / tls letsencrypt
}
service web {
  image "r.io/web:1.0.0"
  port  http 8080
  calls api
}
`;

type Doc = { kind: string; metadata: { name: string }; spec: Record<string, any> };

function build(mesh: boolean) {
  const program = compileSources({ "main.fin": spec(mesh) });
  expect(program.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const outputs = buildOutputs(program);
  const docs = [...outputs.documents.get("prod")!].map((d) => d.object as unknown as Doc);
  return { program, outputs, docs };
}

const find = (docs: Doc[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name)!;

describe("port <name> <service port> -> <container port>", () => {
  it("the Service maps 80 to the container's named port, the container listens on 8080", () => {
    const { docs } = build(false);
    expect(find(docs, "Service", "api").spec.ports).toEqual([
      { name: "http", port: 80, targetPort: "http", protocol: "TCP", appProtocol: "http" },
      { name: "grpc", port: 9090, targetPort: "grpc", protocol: "TCP", appProtocol: "grpc" },
    ]);
    const c = find(docs, "Deployment", "api").spec.template.spec.containers[0];
    expect(c.ports).toEqual([
      { name: "http", containerPort: 8080, protocol: "TCP" },
      { name: "grpc", containerPort: 50051, protocol: "TCP" },
    ]);
    expect(c.readinessProbe.httpGet).toEqual({ path: "/ready", port: "http" });
  });

  it("NetworkPolicies match the pod port (8080), not the Service port", () => {
    const { docs } = build(false);
    const api = find(docs, "NetworkPolicy", "api-traffic");
    expect(api.spec.ingress[0].ports).toEqual([{ protocol: "TCP", port: 8080 }, { protocol: "TCP", port: 50051 }]);
    expect(api.spec.ingress[1].ports).toEqual([{ protocol: "TCP", port: 8080 }]);
    const web = find(docs, "NetworkPolicy", "web-traffic");
    expect(web.spec.egress[0].ports).toEqual([{ protocol: "TCP", port: 8080 }, { protocol: "TCP", port: 50051 }]);
  });

  it("the ingress routes to the Service port (80)", () => {
    const { docs } = build(false);
    const ing = docs.find((d) => d.kind === "Ingress")!;
    expect(ing.spec.rules[0].http.paths[0].backend.service.port).toEqual({ number: 80 });
  });

  it("with Istio: the VirtualService routes to 80, the AuthorizationPolicy admits 8080", () => {
    const { docs } = build(true);
    const vs = docs.find((d) => d.kind === "VirtualService" && JSON.stringify(d.spec).includes("api.example.com"))!;
    expect(JSON.stringify(vs.spec)).toContain('"port":{"number":80}');
    const authz = find(docs, "AuthorizationPolicy", "api");
    const ports = authz.spec.rules.flatMap((r: any) => r.to.flatMap((t: any) => t.operation.ports));
    expect(new Set(ports)).toEqual(new Set(["8080", "50051"]));
    // Prometheus scrapes the pod: its policies name the container's metrics port.
    expect(find(docs, "NetworkPolicy", "api-metrics").spec.ingress[0].ports).toEqual([{ protocol: "TCP", port: 9100 }]);
    expect(JSON.stringify(find(docs, "AuthorizationPolicy", "api-metrics").spec)).toContain('"9100"');
  });

  it("the needs file names the Service port", () => {
    const { program } = build(false);
    const [needs] = needsFiles([program.checked.models.get("prod")!]);
    const calls = parse(needs!.content).calls as { from: string; to: string; port?: number }[];
    expect(calls).toContainEqual({ from: "apps/web", to: "apps/api", port: 80 });
    expect(calls).toContainEqual({ from: "apps/web", to: "apps/api", port: 9090 });
  });

  it("fmt writes the arrow with a space either side", () => {
    expect(formatSource('service a {\n  port http 80->8080,  grpc 9090   ->  50051\n}\n')?.text).toBe("service a {\n  port http 80 -> 8080, grpc 9090 -> 50051\n}\n");
  });

  it('"FIN3004": a container port out of range is refused on its text', () => {
    expect(diagnosticsOf({ "main.fin": spec(false).replace("-> 8080", "-> 70000") })).toContainEqual({ code: "FIN3004", text: "70000", line: 12 });
  });
});

describe.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check on the 80 -> 8080 spec", () => {
  let check = "";
  beforeAll(() => {
    check = installRuntimeCheck();
  }, 120_000);
  for (const mesh of [false, true]) {
    it(`${mesh ? "with a mesh and a mapped metrics port" : "without a mesh"}: 0 errors, no unexplained warning, with the needs file`, () => {
      const { program, outputs } = build(mesh);
      const out = writeBuild(program, outputs, "finc-ports-");
      const r = runRuntimeCheck(check, out, "prod", true);
      // The one finding the examples' runtime-check test explains too: Prometheus is admitted for
      // `GET /metrics` only, by design; the call itself (Service port 9102 → pod port 9100) resolves.
      const byDesign = "WARN Needs/apps/call prometheus->apps/api: call prometheus -> api:9102: only some requests (methods/paths/JWT) allowed by apps/api-metrics";
      expect(r.findings).toEqual(mesh ? [byDesign] : []);
      expect(r.summary).toMatch(mesh ? /^runtime-check: 0 errors, 1 warnings?/ : /^runtime-check: 0 errors, 0 warnings/);
    }, 60_000);
  }
});
