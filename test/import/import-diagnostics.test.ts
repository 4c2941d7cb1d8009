import { describe, expect, it } from "vitest";
import { importManifests } from "../../compiler/import/import-manifests.js";

/** The import stage as a pure function: each FIN600x code, its severity, and the exact input text its range covers. */
const text = (files: { path: string; text: string }[], d: { range: { file: string; start: number; end: number } }) =>
  files.find((f) => f.path === d.range.file)!.text.slice(d.range.start, d.range.end);

describe("finc import diagnostics", () => {
  const deployment = (name: string, sa = "default") => [
    "apiVersion: apps/v1", "kind: Deployment", `metadata: {name: ${name}, namespace: ns}`, "spec:", "  template:",
    `    metadata: {labels: {app: ${name}, tier: web}}`, "    spec:", `      serviceAccountName: ${sa}`, "      containers:",
    `        - {name: c, image: "r.example.com/${name}:1", ports: [{name: http, containerPort: 8080}]}`,
  ].join("\n");

  it('"FIN6001" (warning) covers the literal Secret entry; the value is a redaction, never in the .fin', () => {
    const files = [{ path: "/in/a.yaml", text: [deployment("api").replace("ports:", 'env: [{name: KEY, valueFrom: {secretKeyRef: {name: s, key: k}}}], ports:'), "---", "apiVersion: v1", "kind: Secret", "metadata: {name: s, namespace: ns}", "stringData:", "  k: Zx9-very-secret-value", ""].join("\n") }];
    const r = importManifests(files);
    const d = r.diagnostics.filter((x) => x.code === "FIN6001");
    expect(d.map((x) => [x.severity, text(files, x)])).toEqual([["warning", "k: Zx9-very-secret-value"]]);
    expect(r.redactions.map((x) => text(files, { range: x }))).toEqual(["Zx9-very-secret-value"]);
    expect(r.fin).not.toContain("Zx9-very-secret-value");
    expect(r.fin).toMatch(/secret +KEY from vault "ns\/s" key "k"/);
  });

  it('"FIN6002" (error) for a document that does not parse, at the error', () => {
    const files = [{ path: "/in/b.yaml", text: "kind: ConfigMap\nmetadata:\n  name: [x\n" }];
    const d = importManifests(files).diagnostics.filter((x) => x.code === "FIN6002");
    expect(d.length).toBe(1);
    expect(d[0]!.severity).toBe("error");
    expect(d[0]!.range.start).toBeGreaterThanOrEqual(files[0]!.text.indexOf("[x"));
  });

  it('"FIN6003" (info) covers the kind of an object finc has no declaration for', () => {
    const files = [{ path: "/in/c.yaml", text: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\nrules: []\n" }];
    const d = importManifests(files).diagnostics.filter((x) => x.code === "FIN6003");
    expect(d.map((x) => [x.severity, text(files, x)])).toEqual([["info", "kind: ClusterRole"]]);
  });

  it('"FIN6004" (warning) for a workload two Services select: the first names it, the second is a comment', () => {
    const svc = (name: string) => ["---", "apiVersion: v1", "kind: Service", `metadata: {name: ${name}, namespace: ns}`, "spec: {selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}"].join("\n");
    const files = [{ path: "/in/d.yaml", text: [deployment("api"), svc("api-public"), svc("api-internal"), ""].join("\n") }];
    const r = importManifests(files);
    const d = r.diagnostics.filter((x) => x.code === "FIN6004");
    expect(d.map((x) => [x.severity, text(files, x)])).toEqual([["warning", "name: api"]]);
    expect(r.fin).toMatch(/^service api-public \{/m);
    expect(r.dispositions.map((x) => `${x.origin.name}: ${x.outcome}`)).toEqual(["api: mapped", "api-public: mapped", "api-internal: not mapped"]);
  });
});

describe("finc import on input finc cannot take as it is", () => {
  it("renames non-label names, maps Kubernetes' own namespaces to the platform's, converts fractional CPUs, leaves non-identifier env names and `$(…)` values in comments; objects without an image or schedule are not mapped", () => {
    const files = [{ path: "/in/e.yaml", text: [
      "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: noimage, namespace: apps}", "spec: {template: {spec: {containers: [{name: c}]}}}", "---",
      "apiVersion: batch/v1", "kind: CronJob", "metadata: {name: c1, namespace: apps}", "spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: busybox}]}}}}}", "---",
      "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: My.App, namespace: kube-system}", "spec:", "  template:", "    spec:", "      containers:",
      '        - {name: c, image: nginx, env: [{name: A, value: "$(B)"}, {name: "b.c", value: "1"}, {name: OK, value: "x"}], resources: {requests: {cpu: 0.25}}}', "",
    ].join("\n") }];
    const r = importManifests(files);
    expect(r.diagnostics.filter((d) => d.code === "FIN6003").map((d) => d.message)).toEqual([
      "Deployment 'noimage' is not mapped: its first container has no image.",
      "CronJob 'c1' is not mapped: it has no schedule.",
    ]);
    expect(r.fin).toMatch(/^worker my-app \{\n  namespace imported\n/m); // kube-system is Kubernetes' own: the platform's namespace instead
    expect(r.fin).toMatch(/cpu +250m/);
    expect(r.fin).toMatch(/OK = "x"/);
    expect(r.fin).toContain("/spec/template/spec/containers/0/env/0\n//   env:\n//     - name: A\n//       value: $(B)");
    expect(r.fin).toContain("/spec/template/spec/containers/0/env/1");
    expect(r.fin).not.toMatch(/^namespace kube-system/m);
  });

  it("a secret-looking ConfigMap entry read as env becomes a placeholder with FIN6001 at the ConfigMap, never config", () => {
    const files = [{ path: "/in/f.yaml", text: [
      "apiVersion: v1", "kind: ConfigMap", "metadata: {name: cfg, namespace: apps}", "data: {MODE: fast, API_TOKEN: tok-4f9a8b7c6d5e}", "---",
      "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: api, namespace: apps}", "spec:", "  template:", "    spec:", "      containers:",
      "        - {name: c, image: r.example.com/api:1, envFrom: [{configMapRef: {name: cfg}}]}", "",
    ].join("\n") }];
    const r = importManifests(files);
    expect(r.fin).not.toContain("tok-4f9a8b7c6d5e");
    expect(r.fin).toMatch(/secret API_TOKEN from vault "apps\/api" key "api-token"/);
    expect(r.fin).toMatch(/MODE = "fast"/);
    const d = r.diagnostics.filter((x) => x.code === "FIN6001");
    expect(d.map((x) => files[0]!.text.slice(x.range.start, x.range.end))).toEqual(["API_TOKEN: tok-4f9a8b7c6d5e"]);
  });
});
