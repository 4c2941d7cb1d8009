import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import YAML from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type Program } from "../../compiler/program.js";
import { compileSources, REPO, STDLIB } from "../helpers/compile.js";
import { manifestFiles } from "../helpers/schemas.js";

const SHARED = resolve(REPO, "../shared");
const TOOL = join(SHARED, "tools/k8s-validate");
const available = existsSync(TOOL) && existsSync(join(SHARED, "schemas"));

/** No mesh, nginx: Ingress merging two services on one host, rate-limit and affinity annotations, a private CA. */
const NGINX = `platform p {
  environments dev
  ingress nginx
}
namespace shop {}
issuer internal-ca {
  ca "shop-root-ca"
}
service web {
  image "r.io/web:1.0.0"
  port http 8080
  expose "shop.example.com" path / tls internal-ca
  affinity cookie "shop-session"
  calls api
}
service api {
  image "r.io/api:1.0.0"
  port http 8080
  expose "shop.example.com" path /api tls internal-ca
  limit 50/s
}
service search {
  image "r.io/search:1.0.0"
  port http 8080
  expose "shop.example.com" path /search tls internal-ca
  affinity client-ip
}
`;
/** Traefik behind a mesh, Let's Encrypt, jaeger tracing. */
const TRAEFIK = `platform p {
  environments dev
  mesh istio sidecar cni
  ingress traefik
  tracing jaeger "jaeger-collector.tracing:4317" sampling 5%
  dns external-dns ttl 1m
}
namespace shop {}
issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
}
service web {
  image "r.io/web:1.0.0"
  port http 8080
  expose "shop.example.com" path / tls letsencrypt
  limit 600/m
  balance least-request
}
`;

/** Writes the environments' manifests (not the whole-build targets' other files, which are no Kubernetes objects). */
function write(program: Program, dir: string): string[] {
  const files = manifestFiles(buildOutputs(program));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return files.map((f) => f.path);
}

let tmp = "";
let validator = "";
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "finc-traffic-"));
  if (!available) return;
  // A writable copy of the validator (shared/ is read-only). Its three dependencies are the
  // same pinned versions as finc's devDependencies: link them, or npm install when missing.
  validator = join(tmp, "k8s-validate");
  cpSync(TOOL, validator, { recursive: true, filter: (p) => !p.includes("node_modules") });
  const deps = ["ajv", "ajv-formats", "yaml"];
  if (deps.every((d) => existsSync(join(REPO, "node_modules", d)))) symlinkSync(join(REPO, "node_modules"), join(validator, "node_modules"), "dir");
  else execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent"], { cwd: validator });
}, 120_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!available)("emitted Istio, cert-manager and Ingress documents validate against their schemas", () => {
  const specs: [string, () => Program][] = [
    ["examples/payments (mesh istio, ingress istio)", () => createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples/payments")] })],
    ["nginx without a mesh", () => compileSources({ "main.fin": NGINX })],
    ["traefik with a mesh", () => compileSources({ "main.fin": TRAEFIK })],
  ];
  /**
   * The three builds judged by ONE validator run (compiling its schemas is ~5 s of every run);
   * each test reads its own directory's results. CRDs among the inputs would become schemas for
   * the others: then each directory gets a run of its own.
   */
  type Judged = { program: Program; files: string[]; results: { file: string; status: string; kind?: string }[]; status: number | null };
  let judged: Map<string, Judged> | undefined;
  const judge = (name: string): Judged => {
    judged ??= (() => {
      const built = specs.map(([n, make]) => {
        const program = make();
        const dir = join(tmp, n.replace(/\W+/g, "-"));
        return { name: n, program, dir, files: write(program, dir) };
      });
      const run = (dirs: string[]) => {
        const r = spawnSync(process.execPath, [join(validator, "validate.mjs"), "-q", "--json", "--schemas", join(SHARED, "schemas"), ...dirs], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        return { status: r.status, results: (r.stdout ? (JSON.parse(r.stdout) as { results: Judged["results"] }).results : []) };
      };
      const all = run(built.map((b) => b.dir));
      const crdInInputs = all.results.some((r) => r.kind === "CustomResourceDefinition");
      return new Map(built.map((b) => {
        const own = crdInInputs ? run([b.dir]) : { status: all.status, results: all.results.filter((r) => r.file.startsWith(`${b.dir}/`)) };
        return [b.name, { program: b.program, files: b.files, ...own }];
      }));
    })();
    return judged.get(name)!;
  };
  for (const [name] of specs) {
    it(name, () => {
      const { program, files, results, status } = judge(name);
      expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(files.length).toBeGreaterThan(0);
      // What the validator's exit status 0 was for this directory alone: nothing invalid, of unknown kind or unparsable.
      const count = (s: string) => results.filter((r) => r.status === s).length;
      expect(results.length).toBeGreaterThanOrEqual(files.length);
      expect(`${count("INVALID")} invalid, ${count("UNKNOWN-KIND")} unknown, ${count("PARSE-ERROR")} parse errors`).toBe("0 invalid, 0 unknown, 0 parse errors");
      expect([0, 1]).toContain(status); // the run itself worked (2: a usage error)
    });
  }

  it("the example emits every kind of the mesh and ingress", () => {
    const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples/payments")] });
    const kinds = new Set(buildOutputs(program).documents.get("prod")!.map((d) => `${String(d.object["apiVersion"])} ${String(d.object["kind"])}`));
    for (const k of [
      "security.istio.io/v1 PeerAuthentication", "security.istio.io/v1 AuthorizationPolicy", "networking.istio.io/v1 DestinationRule",
      "networking.istio.io/v1 VirtualService", "networking.istio.io/v1 Gateway", "networking.istio.io/v1alpha3 EnvoyFilter",
      "telemetry.istio.io/v1 Telemetry", "cert-manager.io/v1 ClusterIssuer", "cert-manager.io/v1 Certificate",
    ]) expect(kinds).toContain(k);
  });

  it("nginx: one Ingress per host unless annotations differ; rate limit and affinity annotations", () => {
    const docs = buildOutputs(compileSources({ "main.fin": NGINX })).documents.get("dev")!.map((d) => d.object as Record<string, any>);
    const ingresses = docs.filter((d) => d["kind"] === "Ingress");
    expect(ingresses.map((i) => i["metadata"].name).sort()).toEqual(["shop-example-com-api", "shop-example-com-search", "shop-example-com-web"]);
    const api = ingresses.find((i) => i["metadata"].name === "shop-example-com-api")!;
    expect(api["metadata"].annotations["nginx.ingress.kubernetes.io/limit-rps"]).toBe("50");
    expect(api["metadata"].annotations["external-dns.alpha.kubernetes.io/hostname"]).toBe("shop.example.com");
    expect(api["spec"].tls).toEqual([{ hosts: ["shop.example.com"], secretName: "shop-example-com-tls" }]);
    const web = ingresses.find((i) => i["metadata"].name === "shop-example-com-web")!;
    expect(web["metadata"].annotations["nginx.ingress.kubernetes.io/affinity"]).toBe("cookie");
    const svc = docs.find((d) => d["kind"] === "Service" && d["metadata"].name === "search")!;
    expect(svc["spec"].sessionAffinity).toBe("ClientIP");
    expect(docs.filter((d) => d["kind"] === "Certificate")).toHaveLength(1);
    expect(docs.find((d) => d["kind"] === "ClusterIssuer")!["spec"]).toEqual({ ca: { secretName: "shop-root-ca" } });
    expect(docs.some((d) => String(d["apiVersion"]).includes("istio"))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------
// The call graph, derived back from the emitted policies.
// ---------------------------------------------------------------------------------------

type Obj = Record<string, any>;
interface Pod { app: string; namespace: string; labels: Record<string, string>; sa: string; ports: number[] }

const matches = (sel: Record<string, string> | undefined, labels: Record<string, string>) => Object.entries(sel ?? {}).every(([k, v]) => labels[k] === v);

function peerMatches(peer: Obj, policyNs: string, other: Pod): boolean {
  if (peer["ipBlock"]) return false;
  const nsOk = peer["namespaceSelector"] ? matches(peer["namespaceSelector"].matchLabels, { "kubernetes.io/metadata.name": other.namespace }) : other.namespace === policyNs;
  return nsOk && (!peer["podSelector"] || matches(peer["podSelector"].matchLabels, other.labels));
}
const portOk = (ports: Obj[] | undefined, port: number) => !ports || ports.some((p) => p["port"] === port);

/** NetworkPolicy semantics: isolated in a direction once any policy of that type selects the pod; then some rule must allow. */
function npAllows(policies: Obj[], pod: Pod, other: Pod, port: number, dir: "Ingress" | "Egress"): boolean {
  const selecting = policies.filter((p) => p["metadata"].namespace === pod.namespace && matches(p["spec"].podSelector?.matchLabels, pod.labels) && (p["spec"].policyTypes ?? ["Ingress"]).includes(dir));
  if (!selecting.length) return true;
  const key = dir === "Ingress" ? "ingress" : "egress";
  const peers = dir === "Ingress" ? "from" : "to";
  return selecting.some((p) => (p["spec"][key] ?? []).some((rule: Obj) => (!rule[peers] || rule[peers].some((peer: Obj) => peerMatches(peer, pod.namespace, other))) && portOk(rule["ports"], port)));
}

/** AuthorizationPolicy semantics (ALLOW only; an empty spec allows nothing): some ALLOW rule must match principal and port. */
function apAllows(policies: Obj[], dst: Pod, principal: string, port: number): boolean {
  const applying = policies.filter((p) => p["metadata"].namespace === dst.namespace && matches(p["spec"].selector?.matchLabels, dst.labels));
  if (applying.some((p) => p["spec"].action && p["spec"].action !== "ALLOW")) throw new Error("unexpected non-ALLOW policy");
  if (!applying.length) return true;
  return applying.some((p) =>
    (p["spec"].rules ?? []).some((r: Obj) =>
      (!r["from"] || r["from"].some((f: Obj) => (f["source"].principals ?? []).includes(principal))) &&
      (!r["to"] || r["to"].some((t: Obj) => !t["operation"].ports || t["operation"].ports.includes(String(port))))));
}

describe("the emitted NetworkPolicies and AuthorizationPolicies of examples/payments allow exactly the declared call graph", () => {
  const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples/payments")] });
  const outputs = buildOutputs(program);
  for (const env of program.checked.environments) {
    it(env, () => {
      const docs: Obj[] = outputs.files.filter((f) => f.path.startsWith(`${env}/`)).flatMap((f) => YAML.parseAllDocuments(f.content).map((d) => d.toJSON() as Obj));
      const pods: Pod[] = docs.filter((d) => d["kind"] === "Deployment" || d["kind"] === "StatefulSet").map((d) => {
        const spec = d["spec"].template.spec;
        return {
          app: d["spec"].template.metadata.labels["app.kubernetes.io/name"],
          namespace: d["metadata"].namespace,
          labels: d["spec"].template.metadata.labels,
          sa: spec.serviceAccountName,
          ports: spec.containers.flatMap((c: Obj) => (c["ports"] ?? []).map((p: Obj) => p["containerPort"])),
        };
      });
      // A CloudNativePG Cluster's instances: the operator creates them with the Cluster's inherited labels.
      for (const c of docs.filter((d) => d["kind"] === "Cluster"))
        pods.push({ app: c["metadata"].name, namespace: c["metadata"].namespace, labels: { ...c["spec"].inheritedMetadata.labels, "cnpg.io/cluster": c["metadata"].name }, sa: c["metadata"].name, ports: [5432] });
      const nps = docs.filter((d) => d["kind"] === "NetworkPolicy");
      const aps = docs.filter((d) => d["kind"] === "AuthorizationPolicy");
      expect(aps.length).toBeGreaterThan(0);
      const principal = (p: Pod) => `cluster.local/ns/${p.namespace}/sa/${p.sa}`;
      const byNp = new Set<string>();
      const byAp = new Set<string>();
      const both = new Set<string>();
      for (const src of pods)
        for (const dst of pods) {
          if (src.app === dst.app) continue;
          for (const port of dst.ports) {
            const np = npAllows(nps, src, dst, port, "Egress") && npAllows(nps, dst, src, port, "Ingress");
            const ap = apAllows(aps, dst, principal(src), port);
            if (np) byNp.add(`${src.app} -> ${dst.app}`);
            if (ap) byAp.add(`${src.app} -> ${dst.app}`);
            if (np && ap) both.add(`${src.app} -> ${dst.app}`);
          }
        }
      const model = program.checked.models.get(env)!;
      const declared = new Set(model.services.flatMap((s) => s.calls.map((c) => `${s.name} -> ${c}`)));
      expect([...declared].length).toBeGreaterThan(0);
      // Each layer on its own enforces the call graph, so either one failing open still holds the line.
      expect([...byNp].sort()).toEqual([...declared].sort());
      expect([...byAp].sort()).toEqual([...declared].sort());
      expect([...both].sort()).toEqual([...declared].sort());
      // The ingress gateway reaches exactly the exposed services.
      const gateway: Pod = { app: "istio-ingressgateway", namespace: "istio-ingress", labels: { istio: "ingressgateway" }, sa: "istio-ingressgateway", ports: [] };
      const fromGateway = pods.filter((dst) => dst.ports.some((port) => npAllows(nps, dst, gateway, port, "Ingress") && apAllows(aps, dst, principal(gateway), port))).map((p) => p.app);
      expect([...new Set(fromGateway)].sort()).toEqual(model.services.filter((s) => s.expose.length).map((s) => s.name).sort());
    });
  }
});

/**
 * Ambient mode (`mesh istio ambient`): no sidecars. At L3 the namespaces accept HBONE (15008) from
 * each other, so identities enforce the call graph: a call to a Service's cluster IP goes through the
 * namespace's waypoint, which applies the policies targeting that Service (the caller's identity);
 * the destination's ztunnel applies the selector policies and sees the waypoint's identity. A call to
 * a headless Service (the database) goes pod to pod: its ztunnel sees the caller. The ingress gateway
 * reaches pods directly (no `istio.io/ingress-use-waypoint`).
 */
describe("in ambient mode, the emitted waypoint and ztunnel AuthorizationPolicies of examples/payments allow exactly the declared call graph", () => {
  const read = (f: string) => readFileSync(resolve(REPO, "examples/payments", f), "utf8");
  const platform = read("platform.fin").replace(/^(\s*mesh\s+)istio(?: sidecar cni)?$/m, "$1istio ambient");
  // The database's `init` SQL file is not among the in-memory files (and is no part of the call graph).
  const program = compileSources({ "platform.fin": platform, "services.fin": read("services.fin").replace(/^\s*init\s+"[^"]*"\n/m, "") });
  const outputs = buildOutputs(program);
  it("the example's platform switched to ambient", () => {
    expect(platform).toMatch(/mesh\s+istio ambient/);
    expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
  for (const env of program.checked.environments) {
    it(env, () => {
      const docs: Obj[] = outputs.files.filter((f) => f.path.startsWith(`${env}/`)).flatMap((f) => YAML.parseAllDocuments(f.content).map((d) => d.toJSON() as Obj));
      const pods: (Pod & { headless: boolean })[] = docs.filter((d) => d["kind"] === "Deployment" || d["kind"] === "StatefulSet").map((d) => {
        const spec = d["spec"].template.spec;
        const app = d["spec"].template.metadata.labels["app.kubernetes.io/name"];
        const svc = docs.find((x) => x["kind"] === "Service" && x["metadata"].name === app && x["metadata"].namespace === d["metadata"].namespace);
        return {
          app,
          namespace: d["metadata"].namespace,
          labels: d["spec"].template.metadata.labels,
          sa: spec.serviceAccountName,
          ports: spec.containers.flatMap((c: Obj) => (c["ports"] ?? []).map((p: Obj) => p["containerPort"])),
          headless: svc?.["spec"].clusterIP === "None",
        };
      });
      const aps = docs.filter((d) => d["kind"] === "AuthorizationPolicy");
      expect(docs.find((d) => d["kind"] === "Namespace")!["metadata"].labels["istio.io/use-waypoint"]).toBe("waypoint");
      expect(docs.some((d) => d["kind"] === "DestinationRule" && d["spec"].trafficPolicy?.tls)).toBe(false);
      const ztunnelAps = aps.filter((p) => !p["spec"].targetRefs);
      const principal = (ns: string, sa: string) => `cluster.local/ns/${ns}/sa/${sa}`;
      const ruleAllows = (p: Obj, who: string, port: number) =>
        (p["spec"].rules ?? []).some((r: Obj) =>
          (!r["from"] || r["from"].some((f: Obj) => (f["source"].principals ?? []).includes(who))) &&
          (!r["to"] || r["to"].some((t: Obj) => !t["operation"].ports || t["operation"].ports.includes(String(port)))));
      /** Policies attached to the waypoint for traffic to `service` (its own targetRefs, or the waypoint Gateway's). */
      const waypointAllows = (ns: string, service: string, who: string, port: number) => {
        const attached = aps.filter((p) => p["metadata"].namespace === ns && (p["spec"].targetRefs ?? []).some((t: Obj) => (t["kind"] === "Service" && t["name"] === service) || (t["kind"] === "Gateway" && t["name"] === "waypoint")));
        expect(attached.length).toBeGreaterThan(0); // at least the waypoint's allow-nothing: the waypoint denies by default
        return attached.some((p) => ruleAllows(p, who, port));
      };
      const allowed = new Set<string>();
      for (const src of pods)
        for (const dst of pods) {
          if (src.app === dst.app) continue;
          for (const port of dst.ports) {
            const ok = dst.headless
              ? apAllows(ztunnelAps, dst, principal(src.namespace, src.sa), port)
              : waypointAllows(dst.namespace, dst.app, principal(src.namespace, src.sa), port) && apAllows(ztunnelAps, dst, principal(dst.namespace, "waypoint"), port);
            if (ok) allowed.add(`${src.app} -> ${dst.app}`);
          }
        }
      const model = program.checked.models.get(env)!;
      // CloudNativePG instances run outside the mesh (the operator reaches them by pod IP), so calls
      // to an operator-run database are the NetworkPolicy's to allow, not the waypoint's.
      const outsideMesh = new Set(model.databases.filter((d) => d.mode === "operator").map((d) => d.name));
      const declared = new Set(model.services.flatMap((s) => s.calls.filter((c) => !outsideMesh.has(c)).map((c) => `${s.name} -> ${c}`)));
      expect(outsideMesh.size).toBeGreaterThan(0);
      expect([...declared].length).toBeGreaterThan(0);
      expect([...allowed].sort()).toEqual([...declared].sort());
      // Nothing bypasses the waypoint: a pod reached directly (not through the waypoint) by a caller of its Service refuses it.
      for (const dst of pods.filter((p) => !p.headless))
        for (const src of pods.filter((p) => p.app !== dst.app))
          for (const port of dst.ports) expect(apAllows(ztunnelAps, dst, principal(src.namespace, src.sa), port) && !declared.has(`${src.app} -> ${dst.app}`)).toBe(false);
      const gateway = principal("istio-ingress", "istio-ingressgateway");
      const fromGateway = pods.filter((dst) => dst.ports.some((port) => apAllows(ztunnelAps, dst, gateway, port))).map((p) => p.app);
      expect([...new Set(fromGateway)].sort()).toEqual(model.services.filter((s) => s.expose.length).map((s) => s.name).sort());
    });
  }
});

// Keep the fixtures' inputs honest: they are what the docs above claim.
it("fixtures parse", () => {
  expect(readFileSync(resolve(REPO, "examples/payments/platform.fin"), "utf8")).toContain("mesh         istio sidecar cni");
});
