import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { needsOf } from "../../compiler/emit/needs/index.js";
import { compileSources, diagnosticsOf, itReportsEach } from "../helpers/compile.js";
import { validateManifest, schemasAvailable } from "../helpers/schemas.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";

type Obj = Record<string, any>;

/** api (port 80 → 8080, readiness /ready) is smoke-tested; web calls api; ledger is a database api calls. */
function spec(o: { platform?: string; api?: string; extra?: string } = {}): Record<string, string> {
  return {
    "main.fin": `platform p {
  environments dev, prod
${o.platform ?? `  mesh         istio sidecar cni
  delivery     argocd repo "https://git.example.com/p/deploy.git"`}
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {
  security restricted
}
database ledger {
  namespace   apps
  storage     10Gi
  credentials from vault "apps/ledger"
}
service api {
  namespace apps
  image     "r.io/api:1.0.0"
  port      http 80 -> 8080
  probe     readiness /ready
  calls     ledger
${o.api ?? "  smoke-test yes"}
}
service web {
  namespace apps
  image     "r.io/web:1.0.0"
  port      http 8080
  calls     api
}
${o.extra ?? ""}`,
  };
}

function built(files: Record<string, string>, env = "prod", targets?: string[]) {
  const program = compileSources(files);
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = buildOutputs(program, targets ? { targets } : {});
  const docs = out.files.filter((f) => f.path.startsWith(`${env}/`)).map((f) => ({ path: f.path, o: parseYaml(f.content) as Obj }));
  const find = (kind: string, name: string) => docs.find((d) => d.o.kind === kind && d.o.metadata.name === name)?.o;
  return { program, out, docs, find };
}

describe("smoke tests: the Job", () => {
  it("GETs the readiness path through the Service port (80), with the expected status, as an Argo CD PostSync hook and a Helm test", () => {
    const { find } = built(spec());
    const job = find("Job", "api-smoke")!;
    expect(job.metadata.namespace).toBe("apps");
    expect(job.metadata.annotations).toEqual({
      "argocd.argoproj.io/hook": "PostSync",
      "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
      "helm.sh/hook": "test",
      "helm.sh/hook-delete-policy": "before-hook-creation",
    });
    const pod = job.spec.template;
    const c = pod.spec.containers[0];
    expect(c.env).toEqual([{ name: "SMOKE_URL", value: "http://api.apps.svc.cluster.local:80/ready" }, { name: "SMOKE_EXPECT", value: "200" }]);
    expect(c.image).toBe("curlimages/curl:8.11.1");
    expect(c.command.slice(0, 2)).toEqual(["sh", "-c"]);
    // Restricted Pod Security, by its own account with no API token.
    expect(pod.spec.serviceAccountName).toBe("api-smoke");
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    // In the sidecar mesh the proxy must not outlive curl (else the Job never completes).
    expect(pod.metadata.annotations).toEqual({ "sidecar.istio.io/nativeSidecar": "true" });
    expect(pod.spec.restartPolicy).toBe("Never");
    expect(find("ServiceAccount", "api-smoke")).toMatchObject({ automountServiceAccountToken: false });
    // web has no smoke-test line: nothing for it.
    expect(find("Job", "web-smoke")).toBeUndefined();
  });

  it("runs the script it is given: the status is compared, curl's failures count as failed tries", () => {
    const { find } = built(spec());
    const script: string = find("Job", "api-smoke")!.spec.template.spec.containers[0].command[2];
    expect(script).toContain('curl -sS -o /dev/null -w "%{http_code}" --max-time 10 "$SMOKE_URL"');
    expect(script).toContain('if [ "$code" = "$SMOKE_EXPECT" ]; then');
    expect(script.trim().split("\n").at(-1)).toBe("exit 1");
  });

  it("a written path, status and port win over the probe; smoke-image replaces the image", () => {
    const files = spec({ platform: '  smoke-image "registry.example.com/tools/curl:8.11.1"', api: "  smoke-test /healthz expect 204 on http-admin" });
    const { find } = built({ "main.fin": files["main.fin"]!.replace("port      http 80 -> 8080", "port      http 80 -> 8080, http-admin 9000") });
    const c = find("Job", "api-smoke")!.spec.template.spec.containers[0];
    expect(c.env).toEqual([{ name: "SMOKE_URL", value: "http://api.apps.svc.cluster.local:9000/healthz" }, { name: "SMOKE_EXPECT", value: "204" }]);
    expect(c.image).toBe("registry.example.com/tools/curl:8.11.1");
  });

  it("without delivery argocd it is a plain Job (the Helm test annotation only, which kubectl ignores)", () => {
    const { find } = built(spec({ platform: "  mesh istio sidecar cni" }));
    expect(find("Job", "api-smoke")!.metadata.annotations).toEqual({ "helm.sh/hook": "test", "helm.sh/hook-delete-policy": "before-hook-creation" });
  });

  it("`smoke-test no` in an environment turns it off there", () => {
    const { find: prod } = built(spec({ extra: "environment dev {\n  api.smoke-test no\n}\n" }));
    const { find: dev } = built(spec({ extra: "environment dev {\n  api.smoke-test no\n}\n" }), "dev");
    expect(prod("Job", "api-smoke")).toBeDefined();
    expect(dev("Job", "api-smoke")).toBeUndefined();
    expect(dev("NetworkPolicy", "api-smoke")).toBeUndefined();
  });
});

describe("smoke tests: an allowed caller of exactly the service it tests", () => {
  it("NetworkPolicies: the test reaches api's pods on the container port 8080 only; api admits it there", () => {
    const { find } = built(spec());
    expect(find("NetworkPolicy", "api-smoke")!.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "api-smoke" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [{ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } } }], ports: [{ protocol: "TCP", port: 8080 }] }],
    });
    expect(find("NetworkPolicy", "api-from-smoke")!.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "api-smoke" } } }], ports: [{ protocol: "TCP", port: 8080 }] }],
    });
  });

  it("Istio (sidecars): GET of the tested path on 8080, for the test's identity alone", () => {
    const { find } = built(spec());
    expect(find("AuthorizationPolicy", "api-smoke")!.spec).toEqual({
      selector: { matchLabels: { "app.kubernetes.io/name": "api" } },
      action: "ALLOW",
      rules: [{ from: [{ source: { principals: ["cluster.local/ns/apps/sa/api-smoke"] } }], to: [{ operation: { methods: ["GET"], paths: ["/ready"], ports: ["8080"] } }] }],
    });
  });

  it("Istio ambient: the waypoint checks the test's identity (a policy on the Service); the pod admits the waypoint", () => {
    const { find } = built(spec({ platform: "  mesh istio ambient" }));
    expect(find("AuthorizationPolicy", "api-smoke-waypoint")!.spec).toEqual({
      targetRefs: [{ group: "", kind: "Service", name: "api" }],
      action: "ALLOW",
      rules: [{ from: [{ source: { principals: ["cluster.local/ns/apps/sa/api-smoke"] } }], to: [{ operation: { methods: ["GET"], paths: ["/ready"], ports: ["8080"] } }] }],
    });
    expect(find("AuthorizationPolicy", "api-smoke")!.spec.rules).toEqual([{ from: [{ source: { principals: ["cluster.local/ns/apps/sa/waypoint"] } }], to: [{ operation: { ports: ["8080"] } }] }]);
    // No sidecar in ambient mode: nothing to stop.
    expect(find("Job", "api-smoke")!.spec.template.metadata.annotations).toBeUndefined();
  });

  it("no mesh: no AuthorizationPolicy, the NetworkPolicies still apply", () => {
    const { find, docs } = built(spec({ platform: "" }));
    expect(docs.filter((d) => d.o.kind === "AuthorizationPolicy")).toEqual([]);
    expect(find("NetworkPolicy", "api-smoke")).toBeDefined();
  });

  it("the needs file says the test calls api on the Service port and must not reach the database api calls", () => {
    const { program } = built(spec());
    const needs = needsOf(program.checked.models.get("prod")!) as { calls: Obj[]; denied: Obj[] };
    expect(needs.calls).toContainEqual({ from: "apps/api-smoke", to: "apps/api", port: 80 });
    expect(needs.denied).toContainEqual({ from: "apps/api-smoke", to: "apps/ledger" });
  });

  it.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check: test → api:80 allowed by both layers; test → web denied; no error", () => {
    const { program, out } = built(spec());
    const dir = writeBuild(program, out);
    const needs = join(dir, "smoke-needs.yaml");
    mkdirSync(dir, { recursive: true });
    writeFileSync(needs, "namespace: apps\ncalls:\n  - { from: api-smoke, to: api, port: 80 }\n  - { from: web, to: api, port: 80 }\ndenied:\n  - { from: api-smoke, to: web }\n");
    const check = installRuntimeCheck();
    const r = runRuntimeCheck(check, dir, "prod", false);
    expect(r.summary).toMatch(/^runtime-check: 0 errors,/);
    const withNeeds = spawnSync(process.execPath, [check, "--needs", needs, join(dir, "prod")], { encoding: "utf8" });
    const findings = withNeeds.stdout.split("\n").filter((l) => /^(ERROR|WARN) Needs/.test(l));
    // The one finding: the policy admits only GET /ready, which runtime-check reports as a partial allow.
    expect(findings).toEqual(["WARN Needs/apps/call api-smoke->api: call api-smoke -> api:80: only some requests (methods/paths/JWT) allowed by apps/api-smoke"]);
  }, 120_000);
});

describe("smoke tests: every document validates against the upstream schemas", () => {
  it.skipIf(!schemasAvailable)("sidecar, ambient and no mesh", () => {
    for (const platform of [undefined, "  mesh istio ambient", ""]) {
      const { docs } = built(spec(platform === undefined ? {} : { platform }));
      const mine = docs.filter((d) => /smoke/.test(d.o.metadata.name));
      expect(mine.length).toBeGreaterThanOrEqual(4);
      for (const d of mine) expect(validateManifest(d.o), d.path).toEqual([]);
    }
  });
});

describe("smoke tests: the Helm chart", () => {
  it("packages the Job as a `helm test`", () => {
    const { out } = built(spec(), "prod", ["helm"]);
    const t = out.files.find((f) => f.path.endsWith("templates/apps-job-api-smoke.yaml"));
    expect(t?.content).toContain("helm.sh/hook: test");
  });
});

describe("FIN4079", () => {
  itReportsEach([
    { name: "`smoke-test yes` with no HTTP readiness probe to take the path from", spec: spec({ api: "  smoke-test yes" })["main.fin"]!.replace("  probe     readiness /ready\n", ""), code: "FIN4079", covers: "yes", line: 23 },
    { name: "on a port the service does not have", spec: spec({ api: "  smoke-test /ready on admin" })["main.fin"]!, code: "FIN4079", covers: "/ready on admin", line: 24 },
    { name: "a gRPC service (curl compares an HTTP status)", spec: spec({ api: "  smoke-test /ready" })["main.fin"]!.replace("port      http 80 -> 8080", "port      grpc 9090").replace("  probe     readiness /ready\n", ""), code: "FIN4079", covers: "/ready", line: 23 },
    {
      name: "under pci-dss with a registry, the default image from Docker Hub",
      spec: spec({ platform: '  mesh istio sidecar cni\n  compliance pci-dss\n  registry "registry.example.com" credentials vault "ci/registry" key "dockerconfigjson"', api: "  smoke-test yes" })["main.fin"]!.replaceAll('"r.io/', '"registry.example.com/'),
      code: "FIN4079",
      covers: "yes",
      line: 25,
    },
  ]);

  it("the message says why and what to write", () => {
    const p = compileSources(spec({ api: "  smoke-test yes" }));
    expect(p.diagnostics.filter((d) => d.code === "FIN4079")).toEqual([]);
    const q = compileSources({ "main.fin": spec({ api: "  smoke-test yes" })["main.fin"]!.replace("  probe     readiness /ready\n", "") });
    const d = q.diagnostics.find((x) => x.code === "FIN4079")!;
    expect(d.message).toBe("The smoke test of 'api' cannot run: 'smoke-test yes' needs an HTTP readiness probe to take the path from, and 'api' has none.");
    expect(d.hint).toContain("smoke-test /ready");
  });

  it("an expected status outside 200–599 is FIN3004, `smoke-test` on a worker FIN3024", () => {
    expect(diagnosticsOf(spec({ api: "  smoke-test /ready expect 99" }))).toContainEqual(expect.objectContaining({ code: "FIN3004", text: "99" }));
    expect(diagnosticsOf({ "main.fin": spec()["main.fin"]! + 'worker w {\n  namespace apps\n  image "r.io/w:1.0.0"\n  smoke-test /ready\n}\n' }).map((d) => d.code)).toContain("FIN3024");
  });
});
