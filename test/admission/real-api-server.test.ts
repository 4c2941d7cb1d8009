import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admissionDenial, apiServerSkipReason, startApiServer, type ApiServer } from "../helpers/api-server.js";
import { DEFAULT_TARGETS } from "../../compiler/emit/build-outputs.js";
import { build, compile, EXAMPLES } from "../kustomize/support.js";
import { join } from "node:path";

/**
 * finc's ValidatingAdmissionPolicies for examples/payments (prod) on a real kube-apiserver:
 * the server compiles the CEL, admits finc's own objects (server-side dry-run) and denies
 * hand-written violations with the policies' messages.
 */

type Any = Record<string, any>;
const stream = (objs: readonly object[]) => objs.map((o) => JSON.stringify(o)).join("\n");
const objects = [...build(compile(join(EXAMPLES, "payments")), [...DEFAULT_TARGETS], ["prod"]).documents.get("prod")!].map((d) => d.object as Any);
const BUILT_IN = /^(v1|(apps|batch|policy|autoscaling|rbac\.authorization\.k8s\.io|networking\.k8s\.io|scheduling\.k8s\.io|storage\.k8s\.io)\/.+)$/;
const admission = objects.filter((o) => o.apiVersion.startsWith("admissionregistration.k8s.io/"));
const deployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "ledger")!;

function variant(name: string, change: (d: Any) => void): string {
  const d = structuredClone(deployment);
  d.metadata.name = name;
  change(d);
  return stream([d]);
}

describe.skipIf(!!apiServerSkipReason)("payments' admission policies on a real API server", () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer();
    const setup = [...objects.filter((o) => o.kind === "Namespace"), ...admission];
    const r = server.kubectl(["apply", "--server-side", "--field-manager=finc", "-f", "-"], stream(setup));
    expect(r.stderr).toBe("");
    // A new policy takes effect once the API server's policy informer has it.
    const probe = (i: number) => stream([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `probe-${i}`, namespace: "payments" }, data: { GITHUB_TOKEN: "x" } }]);
    let denial: string | undefined;
    for (let i = 0; i < 60 && denial === undefined; i++) {
      denial = admissionDenial(server, probe(i));
      if (denial === undefined) await new Promise((res) => setTimeout(res, 500));
    }
    expect(denial).toContain("[finc plaintext-secret-env");
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("the server accepted every policy and binding and compiled their CEL", () => {
    const names = server.kubectl(["get", "validatingadmissionpolicies", "-o", "jsonpath={.items[*].metadata.name}"]).stdout.split(" ").sort();
    expect(names).toEqual(["finc-payments", "finc-payments-audit", "finc-payments-default-deny"]);
  });

  it("admits finc's own objects of the built-in kinds (server-side dry-run), with the audit policy's digest warnings only", () => {
    const own = objects.filter((o) => BUILT_IN.test(o.apiVersion) && o.metadata.namespace === "payments");
    expect(own.filter((o) => o.kind === "Deployment").length).toBeGreaterThan(3);
    const r = server.kubectl(["apply", "--server-side", "--dry-run=server", "--field-manager=finc", "-f", "-"], stream(own));
    expect(r.stderr.split("\n").filter((l) => l.trim() && !l.startsWith("Warning: "))).toEqual([]);
    expect(r.warnings.every((w) => w.includes("finc-payments-audit") && w.includes("[finc image-digest"))).toBe(true);
    expect(r.warnings.length).toBeGreaterThan(0);
  });

  const cases: [string, string, (d: Any) => void][] = [
    ["pod-security", "allowPrivilegeEscalation", (d) => (d.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true)],
    ["host-isolation", "hostPath", (d) => d.spec.template.spec.volumes.push({ name: "root", hostPath: { path: "/" } })],
    ["registry", "registry.example.com", (d) => (d.spec.template.spec.containers[0].image = "docker.io/library/nginx:1.27")],
    ["image-tag", "version tag", (d) => (d.spec.template.spec.containers[0].image = "registry.example.com/payments/ledger:latest")],
    ["plaintext-secret-env", "secret-looking name", (d) => (d.spec.template.spec.containers[0].env = [{ name: "DB_PASSWORD", value: "hunter2" }])],
    ["ownership-labels", "part-of", (d) => delete d.spec.template.metadata.labels["app.kubernetes.io/part-of"]],
    ["residency", "eu-central-1, eu-west-1", (d) => delete d.spec.template.spec.affinity],
  ];
  for (const [rule, text, change] of cases)
    it(`denies a Deployment breaking ${rule}`, () => {
      const denial = admissionDenial(server, variant(`bad-${rule}`, change));
      expect(denial).toContain("ValidatingAdmissionPolicy 'finc-payments' with binding 'finc-payments' denied request");
      expect(denial).toContain(`[finc ${rule}`);
      expect(denial).toContain(text);
    });

  it("denies a NodePort Service the spec does not declare", () => {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "sneaky", namespace: "payments" }, spec: { type: "NodePort", selector: { a: "b" }, ports: [{ port: 80 }] } };
    expect(admissionDenial(server, stream([svc]))).toContain("[finc service-exposure");
  });

  it("keeps the default-deny NetworkPolicy: deleting or opening it is denied", () => {
    const dd = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "default-deny")!;
    expect(server.kubectl(["apply", "--server-side", "--field-manager=finc", "-f", "-"], stream([dd])).stderr).toBe("");
    const del = server.kubectl(["delete", "networkpolicy", "default-deny", "-n", "payments"]);
    expect(del.status).not.toBe(0);
    expect(del.stderr).toContain("must not be deleted");
    const opened = server.kubectl(["apply", "--server-side", "--force-conflicts", "--field-manager=finc", "-f", "-"], stream([{ ...dd, spec: { ...dd.spec, ingress: [{}] } }]));
    expect(opened.stderr).toContain("denying all ingress and egress");
  });
});

it.skipIf(!apiServerSkipReason)(`SKIPPED: admission policies on a real API server (${apiServerSkipReason ?? "not skipped"})`, () => {});
