import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { findCollisions } from "../../compiler/emit/object-registry.js";
import { document, type EmittedDocument } from "../../compiler/emit/output.js";
import type { Program } from "../../compiler/program.js";
import { compileSources, platformSpec, serviceSpec, summarize } from "../helpers/compile.js";

/**
 * No generated object may silently replace another (issue 8, item 2). Each spec below
 * makes two of finc's objects share one identity (group, kind, namespace, name) or one
 * output file. Either the names are made collision-free (the user did nothing wrong),
 * or the checker refuses the declaration that takes a finc name (FIN2014) — and even
 * with the checker's errors ignored, the build refuses the collision itself (FIN5001).
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const base = platformSpec;
const svc = serviceSpec;

const identity = (o: Obj) => `${String(o["apiVersion"]).includes("/") ? String(o["apiVersion"]).split("/")[0] : ""}/${o["kind"]}/${o["metadata"]?.namespace ?? ""}/${o["metadata"]?.name}`;

/** Identities that occur more than once among one environment's documents. */
function duplicates(docs: readonly EmittedDocument[]): string[] {
  const seen = new Map<string, number>();
  for (const d of docs) seen.set(identity(d.object as Obj), (seen.get(identity(d.object as Obj)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}

const codes = (p: Program, code: string) => p.diagnostics.filter((d) => d.code === code).map((d) => summarize(p, d));

interface Case {
  readonly name: string;
  readonly spec: string;
  /** The identity both objects would have. */
  readonly identity: string;
  /** The declaration name the checker points at (FIN2014), with its line. */
  readonly covers: string;
  readonly line: number;
}

const CASES: Case[] = [
  {
    name: "a service `allow-nothing` vs the namespace's deny-all AuthorizationPolicy",
    spec: base("  mesh istio") + svc("allow-nothing") + svc("web", "  calls allow-nothing\n"),
    identity: "security.istio.io/AuthorizationPolicy/apps/allow-nothing",
    covers: "allow-nothing",
    line: 10,
  },
  {
    name: "a service `web-preview` vs the blue-green preview Service of `web`",
    spec: base("") + svc("web", "  rollout blue-green\n") + svc("web-preview"),
    identity: "/Service/apps/web-preview",
    covers: "web-preview",
    line: 15,
  },
  {
    name: "a service `web-metrics` vs the Prometheus AuthorizationPolicy of `web`'s metrics port",
    spec: base("  mesh istio\n  monitoring prometheus") + `service web {\n  image "r.io/web:1.0.0"\n  port http 8080, metrics 9102\n  calls web-metrics\n}\n` + svc("web-metrics"),
    identity: "security.istio.io/AuthorizationPolicy/apps/web-metrics",
    covers: "web-metrics",
    line: 16,
  },
  {
    name: "a service `api-v2` vs the Deployment of version v2 of `api`'s split",
    spec: base("  mesh istio") + svc("api", '  split v1 90%, v2 10% "r.io/api:2.0.0"\n') + svc("api-v2"),
    identity: "apps/Deployment/apps/api-v2",
    covers: "api-v2",
    line: 15,
  },
  {
    name: "a database `registry` vs the registry's pull-secret ExternalSecret",
    spec: base('  registry "registry.example.com" credentials vault "ci/registry" key "dockerconfigjson"') + 'database registry {\n  storage 10Gi\n  credentials from vault "db"\n}\n',
    identity: "external-secrets.io/ExternalSecret/apps/registry-credentials",
    covers: "registry",
    line: 10,
  },
  {
    name: "a service `default` vs the namespace's default ServiceAccount",
    spec: base("") + svc("default"),
    identity: "/ServiceAccount/apps/default",
    covers: "default",
    line: 10,
  },
  {
    name: "ambient: a service `web-waypoint` vs the waypoint AuthorizationPolicy of `web`",
    spec: base("  mesh istio ambient") + svc("web", "") + svc("web-waypoint", "  calls web\n") + svc("api", "  calls web-waypoint\n"),
    identity: "security.istio.io/AuthorizationPolicy/apps/web-waypoint",
    covers: "web-waypoint",
    line: 14,
  },
];

describe("a declaration that takes a finc name is refused by the checker (FIN2014) and by the build (FIN5001)", () => {
  for (const c of CASES) {
    describe(c.name, () => {
      const p = compileSources({ "main.fin": c.spec });
      it(`"FIN2014" at the declaration's name`, () => {
        expect(codes(p, "FIN2014")).toContainEqual({ code: "FIN2014", text: c.covers, line: c.line });
      });
      it(`"FIN5001" when the build runs anyway, naming both spec locations`, () => {
        const out = buildOutputs(p);
        const hits = out.diagnostics.filter((d) => d.code === "FIN5001");
        expect(hits.length).toBeGreaterThan(0);
        const [, kind, , name] = c.identity.split("/");
        const hit = hits.find((d) => d.message.includes(`${kind} '${name}'`));
        expect(hit, hits.map((d) => d.message).join("\n")).toBeDefined();
        expect(hit!.related?.length).toBe(1);
        expect(hit!.related![0]!.range.file).toBe(hit!.range.file);
      });
    });
  }
});

describe("derived names that cannot collide where the user did nothing wrong", () => {
  const hosts = base("  ingress nginx") + `issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
}
` + svc("one", '  expose "a-b.example.com" tls letsencrypt\n') + svc("two", '  expose "a.b-example.com" tls letsencrypt\n');

  it("hosts a-b.example.com and a.b-example.com get two Certificates, two TLS Secrets and two Ingresses", () => {
    const p = compileSources({ "main.fin": hosts });
    expect(p.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const out = buildOutputs(p);
    expect(out.diagnostics).toEqual([]);
    const docs = out.documents.get("dev")!;
    expect(duplicates(docs)).toEqual([]);
    const certs = docs.filter((d) => d.object["kind"] === "Certificate").map((d) => d.object as Obj);
    expect(certs.map((c) => c["spec"].dnsNames[0]).sort()).toEqual(["a-b.example.com", "a.b-example.com"]);
    expect(new Set(certs.map((c) => c["metadata"].name)).size).toBe(2);
    expect(new Set(certs.map((c) => c["spec"].secretName)).size).toBe(2);
    const ingresses = docs.filter((d) => d.object["kind"] === "Ingress").map((d) => d.object as Obj);
    expect(new Set(ingresses.map((i) => i["metadata"].name)).size).toBe(2);
    expect(new Set(ingresses.map((i) => i["spec"].tls[0].secretName))).toEqual(new Set(certs.map((c) => c["spec"].secretName)));
  });

  it("*.example.com and wildcard.example.com get two Certificates", () => {
    const spec = hosts.replace('"a-b.example.com"', '"*.example.com"').replace('"a.b-example.com"', '"wildcard.example.com"');
    const p = compileSources({ "main.fin": spec });
    const certs = buildOutputs(p).documents.get("dev")!.filter((d) => d.object["kind"] === "Certificate");
    expect(certs.length).toBe(2);
    expect(new Set(certs.map((c) => (c.object as Obj)["metadata"].name)).size).toBe(2);
  });

  it("two long hosts that differ after the 63rd character get two Certificates and two TLS Secrets", () => {
    const long = "a".repeat(40) + "." + "b".repeat(30);
    const spec = hosts.replace('"a-b.example.com"', `"${long}.one.com"`).replace('"a.b-example.com"', `"${long}.two.com"`);
    const p = compileSources({ "main.fin": spec });
    const out = buildOutputs(p);
    expect(out.diagnostics).toEqual([]);
    const certs = out.documents.get("dev")!.filter((d) => d.object["kind"] === "Certificate").map((d) => d.object as Obj);
    expect(certs.length).toBe(2);
    expect(new Set(certs.map((c) => c["metadata"].name)).size).toBe(2);
    expect(new Set(certs.map((c) => c["spec"].secretName)).size).toBe(2);
    for (const c of certs) {
      expect(c["metadata"].name.length).toBeLessThanOrEqual(63);
      expect(c["spec"].secretName.length).toBeLessThanOrEqual(63);
    }
  });

  it("an unambiguous host keeps its readable name", () => {
    const p = compileSources({ "main.fin": hosts.replace('"a-b.example.com"', '"api.example.com"') });
    const certs = buildOutputs(p).documents.get("dev")!.filter((d) => d.object["kind"] === "Certificate").map((d) => (d.object as Obj)["metadata"].name);
    expect(certs).toContain("api-example-com");
  });

  it("Velero Schedules of databases `c` in namespace `a-b` and `b-c` in namespace `a` are two objects", () => {
    const spec = `platform p {\n  environments dev\n}\nsecretstore vault {\n  provider vault\n  server "https://vault.example.com"\n}\nnamespace a {}\nnamespace a-b {}\n` +
      'database c {\n  engine postgres 16 standalone\n  namespace a-b\n  storage 10Gi\n  credentials from vault "c"\n  backup every 12h keep 7d\n}\n' +
      'database b-c {\n  engine postgres 16 standalone\n  namespace a\n  storage 10Gi\n  credentials from vault "bc"\n  backup every 12h keep 7d\n}\n';
    const p = compileSources({ "main.fin": spec });
    expect(p.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const out = buildOutputs(p);
    expect(out.diagnostics).toEqual([]);
    const schedules = out.documents.get("dev")!.filter((d) => d.object["kind"] === "Schedule");
    expect(schedules.length).toBe(2);
    expect(duplicates(out.documents.get("dev")!)).toEqual([]);
  });
});

describe("the build's object registry (FIN5001) is the safety net for what the checker does not foresee", () => {
  it("a service named like the ingress VirtualService of a host (`ingress-<host>`) is refused by the build", () => {
    const spec = base("  mesh istio\n  ingress istio") + svc("web", '  expose "shop.example.com"\n') + svc("ingress-shop-example-com", "  timeout 2s\n");
    const p = compileSources({ "main.fin": spec });
    const out = buildOutputs(p);
    const hit = out.diagnostics.find((d) => d.code === "FIN5001");
    expect(hit, JSON.stringify(out.diagnostics)).toBeDefined();
    expect(hit!.message).toContain("VirtualService");
    expect(hit!.message).toContain("ingress-shop-example-com");
  });

  it("two Helm templates flattened to one file name (namespace `a-service` vs a Service `namespace` in `a`) are refused", () => {
    const spec = `platform p {\n  environments dev\n}\nnamespace a {}\nnamespace a-service {}\n` + svc("namespace", "  namespace a\n");
    const p = compileSources({ "main.fin": spec });
    const out = buildOutputs(p, { targets: ["kubernetes", "helm"] });
    const hit = out.diagnostics.find((d) => d.code === "FIN5001");
    expect(hit, JSON.stringify(out.diagnostics)).toBeDefined();
    expect(hit!.message).toContain("helm/p/templates/a-service-namespace.yaml");
    expect(hit!.related?.length).toBe(1);
  });

  it("findCollisions: same identity, same file, and distinct objects", () => {
    const at = (start: number) => ({ file: "/spec.fin", start, end: start + 3 });
    const obj = (kind: string, name: string, ns?: string, apiVersion = "v1") => ({ apiVersion, kind, metadata: { name, ...(ns ? { namespace: ns } : {}) } });
    const same = findCollisions("dev", [document("a/service-x.yaml", obj("Service", "x", "a"), at(1)), document("a/service-x-2.yaml", obj("Service", "x", "a"), at(10))]);
    expect(same.map((d) => d.code)).toEqual(["FIN5001"]);
    expect(same[0]!.range).toEqual(at(10));
    expect(same[0]!.related![0]!.range).toEqual(at(1));
    expect(same[0]!.message).toContain("Service 'x' in namespace 'a'");
    const file = findCollisions("dev", [document("a/x.yaml", obj("Service", "x", "a"), at(1)), document("a/x.yaml", obj("ConfigMap", "x", "a"), at(10))]);
    expect(file.map((d) => d.code)).toEqual(["FIN5001"]);
    expect(file[0]!.message).toContain("dev/a/x.yaml");
    // Same name, other kind, other group, other namespace, cluster-scoped: all distinct.
    expect(findCollisions("dev", [
      document("1.yaml", obj("Service", "x", "a"), at(1)),
      document("2.yaml", obj("ConfigMap", "x", "a"), at(2)),
      document("3.yaml", obj("Gateway", "x", "a", "networking.istio.io/v1"), at(3)),
      document("4.yaml", obj("Gateway", "x", "a", "gateway.networking.k8s.io/v1"), at(4)),
      document("5.yaml", obj("Service", "x", "b"), at(5)),
      document("6.yaml", obj("Namespace", "x"), at(6)),
    ])).toEqual([]);
    // One group, two versions: one identity.
    expect(findCollisions("dev", [document("1.yaml", obj("Gateway", "x", "a", "networking.istio.io/v1"), at(1)), document("2.yaml", obj("Gateway", "x", "a", "networking.istio.io/v1beta1"), at(2))]).length).toBe(1);
  });
});
