import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf, VIRTUAL } from "../helpers/compile.js";
import { tempDir } from "../kustomize/support.js";
import { k8sValidate, k8sValidateAvailable } from "./k8s-validate.js";

/** `delivery vault-agent` on a secret store (the Vault Agent Injector) and per-secret `refresh`. */

type Obj = Record<string, any>;

const spec = (opts: { mesh?: string; store?: string; server?: string; secret?: string; extra?: string } = {}) => `platform p {
  environments dev
${opts.mesh ? `  mesh ${opts.mesh}\n` : ""}}
secretstore vault {
  provider vault
  server   "${opts.server ?? "https://vault.example.com:8200"}"
  path     "kv"
  role     "apps"
  delivery vault-agent
${opts.store ?? '  cidr     "10.20.0.0/16"\n'}}
secretstore eso {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
service a {
  image  "r.io/a:1.0.0"
  port   http 8080
  secret API_KEY from vault "apps/a" key "api-key"
  secret OTHER from eso "apps/o" key "k"
${opts.secret ?? ""}  calls  b
}
service b {
  image  "r.io/b:1.0.0"
  port   http 8080
}
${opts.extra ?? ""}`;

function build(text: string): { files: { path: string; content: string }[]; docs: Map<string, Obj> } {
  const program = compileSources({ "main.fin": text });
  expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const out = buildOutputs(program, { root: VIRTUAL });
  return { files: out.files, docs: new Map(out.files.filter((f) => f.path.endsWith(".yaml")).map((f) => [f.path, parse(f.content)])) };
}
const pod = (docs: Map<string, Obj>, name = "a") => docs.get(`dev/apps/deployment-${name}.yaml`)!["spec"]["template"];

describe("delivery vault-agent", () => {
  it("pod annotations render each secret into /vault/secrets/<ENV> from the KV v2 path and key", () => {
    const a = pod(build(spec()).docs)["metadata"]["annotations"];
    expect(a).toMatchObject({
      "vault.hashicorp.com/agent-inject": "true",
      "vault.hashicorp.com/service": "https://vault.example.com:8200",
      "vault.hashicorp.com/role": "apps",
      "vault.hashicorp.com/agent-service-account-token-volume-name": "vault-token",
      "vault.hashicorp.com/agent-pre-populate-only": "true",
      "vault.hashicorp.com/agent-inject-secret-API_KEY": "kv/data/apps/a",
      "vault.hashicorp.com/agent-inject-template-API_KEY": '{{- with secret "kv/data/apps/a" -}}{{ index .Data.data "api-key" }}{{- end -}}',
    });
    // Not through the agent: the ESO store's secret.
    expect(Object.keys(a).filter((k) => k.includes("OTHER"))).toEqual([]);
    // No mesh: no Istio ordering annotations.
    expect(a["vault.hashicorp.com/agent-init-first"]).toBeUndefined();
  });

  it("no ExternalSecret entry and no env var for the agent's secrets; ESO secrets are unchanged", () => {
    const { docs } = build(spec());
    const es = docs.get("dev/apps/externalsecret-a-secrets.yaml")!;
    expect(es["spec"]["data"].map((d: Obj) => d["secretKey"])).toEqual(["OTHER"]);
    const env = pod(docs)["spec"]["containers"][0]["env"];
    expect(env).toEqual([{ name: "OTHER", valueFrom: { secretKeyRef: { name: "a-secrets", key: "OTHER" } } }]);
    // A service whose only secrets come through the agent has no ExternalSecret at all.
    const only = build(spec({ extra: "" }).replace('  secret OTHER from eso "apps/o" key "k"\n', "")).docs;
    expect([...only.keys()].filter((p) => p.includes("externalsecret-a"))).toEqual([]);
  });

  it("the agent logs in with a projected, audience-bound token mounted only into the agent; the app gets no token", () => {
    const spec_ = pod(build(spec()).docs)["spec"];
    expect(spec_["automountServiceAccountToken"]).toBe(false);
    expect(spec_["volumes"]).toContainEqual({ name: "vault-token", projected: { sources: [{ serviceAccountToken: { path: "token", audience: "vault", expirationSeconds: 3600 } }] } });
    expect(spec_["containers"][0]["volumeMounts"].map((m: Obj) => m["name"])).not.toContain("vault-token");
  });

  it("a refresh (store or line) keeps the agent running as a sidecar, re-rendering at the shortest one", () => {
    const line = pod(build(spec({ secret: '  secret TOKEN from vault "apps/t" key "token" refresh 5m\n', store: '  cidr     "10.20.0.0/16"\n  refresh  30m\n' })).docs)["metadata"]["annotations"];
    expect(line["vault.hashicorp.com/agent-pre-populate-only"]).toBe("false");
    expect(line["vault.hashicorp.com/template-static-secret-render-interval"]).toBe("5m");
    const store = pod(build(spec({ store: '  cidr     "10.20.0.0/16"\n  refresh  30m\n' })).docs)["metadata"]["annotations"];
    expect(store["vault.hashicorp.com/template-static-secret-render-interval"]).toBe("30m");
  });

  it("Istio sidecars: the agent's init container runs first and the Vault port bypasses the sidecar; ambient needs neither", () => {
    const sidecar = pod(build(spec({ mesh: "istio sidecar cni" })).docs)["metadata"]["annotations"];
    expect(sidecar["vault.hashicorp.com/agent-init-first"]).toBe("true");
    expect(sidecar["traffic.sidecar.istio.io/excludeOutboundPorts"]).toBe("8200");
    const amb = pod(build(spec({ mesh: "istio ambient" })).docs)["metadata"]["annotations"];
    expect(amb["vault.hashicorp.com/agent-init-first"]).toBeUndefined();
    expect(amb["traffic.sidecar.istio.io/excludeOutboundPorts"]).toBeUndefined();
  });

  it("NetworkPolicy egress to Vault: ipBlock from `cidr`, a namespace selector for an in-cluster Service; only for pods using the agent", () => {
    const np = (docs: Map<string, Obj>, w: string) => docs.get(`dev/apps/networkpolicy-${w}-traffic.yaml`)!["spec"]["egress"];
    const external = build(spec()).docs;
    expect(np(external, "a")).toContainEqual({ to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ protocol: "TCP", port: 8200 }] });
    expect(np(external, "b")).toEqual([]);
    const inCluster = build(spec({ server: "http://vault.vault-system.svc.cluster.local:8200", store: "" })).docs;
    expect(np(inCluster, "a")).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "vault-system" } } }], ports: [{ protocol: "TCP", port: 8200 }] });
    // The call graph's rule is still there.
    expect(np(inCluster, "a")).toContainEqual({ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "b" } } }], ports: [{ protocol: "TCP", port: 8080 }] });
  });

  it('"FIN4016": an external Vault without `cidr` is unreachable past the default-deny egress (warning at the server)', () => {
    const found = diagnosticsOf({ "main.fin": spec({ store: "" }) });
    expect(found).toContainEqual({ code: "FIN4016", text: 'server   "https://vault.example.com:8200"', line: 6 });
    expect(diagnosticsOf({ "main.fin": spec() }).filter((d) => d.code === "FIN4016")).toEqual([]);
  });

  it('"FIN4015": the agent needs a Vault provider, and one store per pod', () => {
    const aws = spec().replace("  provider vault\n  server   \"https://vault.example.com:8200\"", "  provider aws\n  server   \"eu-west-1\"");
    expect(diagnosticsOf({ "main.fin": aws })).toContainEqual({ code: "FIN4015", text: "delivery vault-agent", line: 9 });
    const two = spec({ secret: '  secret X from other "apps/x"\n', extra: 'secretstore other {\n  provider vault\n  server   "http://vault.vault.svc:8200"\n  delivery vault-agent\n}\n' });
    const d = diagnosticsOf({ "main.fin": two }).filter((x) => x.code === "FIN4015");
    expect(d.map((x) => x.line)).toEqual([22]);
  });

  it("`cidr` must be an address block", () => {
    expect(diagnosticsOf({ "main.fin": spec({ store: '  cidr     "vault.example.com"\n' }) })).toContainEqual({ code: "FIN3001", text: '"vault.example.com"', line: 10 });
  });
});

describe("per-secret refresh", () => {
  it("the service's ExternalSecret re-reads at the shortest of its lines' refresh and the store's", () => {
    const es = (text: string) => build(text).docs.get("dev/apps/externalsecret-a-secrets.yaml")!["spec"]["refreshInterval"];
    const base = spec();
    expect(es(base)).toBe("1h");
    expect(es(base.replace('secret OTHER from eso "apps/o" key "k"', 'secret OTHER from eso "apps/o" key "k" refresh 5m'))).toBe("5m");
    // The store's refresh wins when it is shorter.
    const fastStore = base.replace('  server   "https://vault.example.com"\n}', '  server   "https://vault.example.com"\n  refresh  2m\n}');
    expect(es(fastStore.replace('key "k"', 'key "k" refresh 5m'))).toBe("2m");
  });

  it("`refresh` takes a duration", () => {
    const bad = spec().replace('secret OTHER from eso "apps/o" key "k"', 'secret OTHER from eso "apps/o" key "k" refresh 5');
    expect(diagnosticsOf({ "main.fin": bad })).toContainEqual({ code: "FIN3002", text: "5", line: 21 });
  });
});

describe.runIf(k8sValidateAvailable())("schemas", () => {
  it("vault-agent outputs (sidecar mesh, in-cluster and external Vault) validate against the upstream schemas", () => {
    const out = tempDir("vault-agent");
    const specs = [spec({ mesh: "istio sidecar cni" }), spec({ server: "http://vault.vault.svc:8200", store: "", mesh: "istio ambient" })];
    specs.forEach((text, i) => {
      for (const f of build(text).files) {
        const p = join(out, String(i), f.path);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, f.content);
      }
    });
    const { results } = k8sValidate(readdirSync(out).map((n) => join(out, n)));
    expect(results.some((r) => r.kind === "Deployment")).toBe(true);
    for (const r of results) expect(r.status, `${r.file}: ${JSON.stringify(r.errors)}`).toBe("OK");
  }, 180_000);
});
