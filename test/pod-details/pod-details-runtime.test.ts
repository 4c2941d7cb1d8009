import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";
import { k8sValidate, k8sValidateAvailable } from "../secrets/k8s-validate.js";

/**
 * Every pod detail together, and the catch-all host, through the independent tools: the
 * k8s-validate schemas (Kubernetes 1.31: `lifecycle.preStop.sleep`, downward env, ephemeral
 * storage, Istio's Gateway/VirtualService with `*`) and runtime-check (0 errors).
 */
const spec = (mesh: boolean) => `platform p {
  environments prod
  cloud aws
${mesh ? "  mesh istio sidecar cni\n  ingress istio\n" : "  ingress nginx\n"}}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
}
namespace apps {}
service api {
  image "r.io/api:1.0.0"
  port  http 8080
  secret API_KEY from vault "apps/api" key "k"
  config LOG_LEVEL = "info"
  migrate "r.io/api-migrate:1.0.0" run "migrate up"
  init "r.io/tools/wait:1.0.0" run ["wait-for", "--timeout", "60"]
  env NAMESPACE from pod.namespace, POD_IP from pod.ip, NODE from node.name, MEM from limits.memory
  ephemeral-storage 1Gi to 2Gi
  labels team = payments, "example.com/cost-center" = "cc-42"
  annotations "example.com/runbook" = "https://runbooks.example.com/api"
  expose "api.example.com" tls letsencrypt
  drain 10s
  grace 40s
}
service demo {
  image "r.io/demo:1.0.0"
  port  http 8080
  expose "*" path /
}
cronjob settle {
  image "r.io/settle:1.0.0"
  schedule "0 22 * * 1-5"
  init "r.io/tools/wait:1.0.0" run "wait-for api"
  labels team = payments
  annotations "example.com/owner" = "settlement"
  ephemeral-storage 256Mi
}
`;

type Obj = Record<string, any>;
function build(mesh: boolean) {
  const program = compileSources({ "main.fin": spec(mesh) });
  expect(program.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const outputs = buildOutputs(program);
  return { program, outputs, docs: [...outputs.documents.get("prod")!].map((d) => d.object as Obj) };
}

describe("the catch-all host", () => {
  it("Istio: the Gateway serves * on plain HTTP, a VirtualService for host *, no DNS record for it", () => {
    const { docs } = build(true);
    const gw = docs.find((d) => d.kind === "Gateway")!;
    expect(gw.spec.servers.filter((s: Obj) => s.hosts.includes("*"))).toEqual([{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["*"] }]);
    expect(gw.metadata.annotations["external-dns.alpha.kubernetes.io/hostname"]).toBe("api.example.com");
    const vs = docs.find((d) => d.kind === "VirtualService" && d.spec.hosts?.[0] === "*")!;
    expect(vs.metadata.name).toMatch(/^ingress-any-host--[0-9a-f]{8}$/);
    expect(vs.spec.http[0].match).toEqual([{ uri: { prefix: "/" } }]);
    expect(docs.filter((d) => d.kind === "Certificate").map((d) => d.spec.dnsNames)).toEqual([["api.example.com"]]);
  });

  it("nginx: an Ingress rule without host, no TLS, no DNS annotation", () => {
    const { docs } = build(false);
    const ing = docs.find((d) => d.kind === "Ingress" && d.spec.rules[0].http.paths[0].backend.service.name === "demo")!;
    expect(ing.spec.rules[0].host).toBeUndefined();
    expect(ing.spec.tls).toBeUndefined();
    expect(ing.metadata.name).toMatch(/^any-host--[0-9a-f]{8}$/);
    expect(ing.metadata.annotations["external-dns.alpha.kubernetes.io/hostname"]).toBeUndefined();
  });
});

describe("the catch-all host in the Helm chart", () => {
  it("is no per-install host value: no services.<svc>.hosts entry (its schema only admits DNS names), and no \"*\" elsewhere becomes one", () => {
    const program = compileSources({ "main.fin": spec(true) });
    const files = buildOutputs(program, { root: "/virtual", targets: ["kubernetes", "istio", "ingress", "helm"] }).files;
    const values = files.find((f) => f.path.endsWith("/values.yaml"))!.content;
    expect(values).not.toContain('"*"');
    const templates = files.filter((f) => f.path.includes("/templates/"));
    expect(templates.some((f) => f.content.includes('"services" "demo" "hosts"'))).toBe(false);
    // api.example.com is still a value.
    expect(templates.some((f) => f.content.includes('"services" "api" "hosts" 0'))).toBe(true);
    const gateway = templates.find((f) => f.path.includes("gateway-p.yaml"))!.content;
    expect(gateway).toMatch(/hosts:\n\s+- "\*"/);
  });
});

describe.skipIf(!k8sValidateAvailable())("k8s-validate on every pod detail", () => {
  for (const mesh of [false, true])
    it(`${mesh ? "with Istio" : "with nginx"}: every document valid`, { timeout: 120_000 }, () => {
      const { program, outputs } = build(mesh);
      const out = writeBuild(program, outputs, "finc-pod-details-");
      const r = k8sValidate([join(out, "prod")]);
      expect(r.results.filter((x) => x.status !== "OK").map((x) => `${x.file} ${x.status} ${JSON.stringify(x.errors)}`)).toEqual([]);
      expect(r.ok).toBe(true);
    });
});

describe.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check on every pod detail", () => {
  let check = "";
  beforeAll(() => {
    check = installRuntimeCheck();
  }, 120_000);
  for (const mesh of [false, true])
    it(`${mesh ? "with Istio" : "with nginx"}: 0 errors, 0 warnings, with the needs file`, { timeout: 60_000 }, () => {
      const { program, outputs } = build(mesh);
      const out = writeBuild(program, outputs, "finc-pod-details-");
      const r = runRuntimeCheck(check, out, "prod", true);
      // Measured: 0 errors, 0 warnings (the init containers run under native sidecars with the mesh).
      expect(r.findings).toEqual([]);
      expect(r.summary).toMatch(/^runtime-check: 0 errors, 0 warnings/);
    });
});

describe("native sidecars under an Istio sidecar mesh", () => {
  const mesh = (fields: string) => `platform p {
  environments prod
  cloud aws
  mesh istio sidecar cni
  ingress istio
}
namespace apps {}
service api {
  image "r.io/api:1.0.0"
  port  http 8080
${fields}}
`;
  const annotations = (fields: string) => {
    const program = compileSources({ "main.fin": mesh(fields) });
    expect(program.diagnostics.map((d) => d.code)).toEqual([]);
    const dep = [...buildOutputs(program).documents.get("prod")!].map((d) => d.object as Obj).find((d) => d.kind === "Deployment" && d.metadata.name === "api")!;
    return dep.spec.template.metadata.annotations ?? {};
  };

  it("an init container runs with the mesh's proxy already up (as migrate does): native sidecars", () => {
    expect(annotations('  init "r.io/tools/wait:1.0.0" run "wait-for ledger:8080"\n')["sidecar.istio.io/nativeSidecar"]).toBe("true");
  });

  it("a drain keeps the proxy until the app has exited (a classic istio-proxy stops after its own 5s drain): native sidecars", () => {
    expect(annotations("  drain 10s\n")["sidecar.istio.io/nativeSidecar"]).toBe("true");
    expect(annotations('  expose "api.example.com"\n')["sidecar.istio.io/nativeSidecar"]).toBe("true");
  });

  it("neither: the classic sidecar, as before", () => {
    expect(annotations("")["sidecar.istio.io/nativeSidecar"]).toBeUndefined();
  });
});
