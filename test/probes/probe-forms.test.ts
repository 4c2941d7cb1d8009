import { beforeAll, describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";
import { compileSources, itReportsEach, PLATFORM } from "../helpers/compile.js";

/**
 * Every probe kind and its timings: `probe readiness /ready` (http, or gRPC health on a gRPC
 * port) as before, plus `tcp`, `grpc ["<service>"]`, `exec "<cmd>"`, `header "<name>: <value>"`
 * on an http path, and `after`/`every`/`timeout`/`failures` per probe.
 */
const spec = (probe: string, ports = "http 8080, admin 9000, grpc 9090 -> 50051") => `${PLATFORM}service api {
  namespace apps
  image "r.io/api:1.0.0"
  port  ${ports}
  probe ${probe}
}
`;

type Container = Record<string, Record<string, unknown>>;

function containerOf(probe: string, ports?: string): Container {
  const program = compileSources({ "main.fin": spec(probe, ports) });
  expect(program.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const docs = [...buildOutputs(program).documents.get("prod")!].map((d) => d.object as unknown as { kind: string; spec: any });
  return docs.find((d) => d.kind === "Deployment")!.spec.template.spec.containers[0] as Container;
}

describe("probe forms", () => {
  it("the existing form is unchanged: an http path with the default timings", () => {
    const c = containerOf("readiness /ready, liveness /healthz");
    expect(c["readinessProbe"]).toEqual({ httpGet: { path: "/ready", port: "http" }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 });
    expect(c["livenessProbe"]).toEqual({ httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 });
  });

  it("timings: after → initialDelaySeconds, every → periodSeconds, timeout → timeoutSeconds, failures → failureThreshold", () => {
    const c = containerOf("readiness /ready after 10s every 5s timeout 3s failures 6, startup /healthz every 2s failures 60");
    expect(c["readinessProbe"]).toEqual({ httpGet: { path: "/ready", port: "http" }, initialDelaySeconds: 10, periodSeconds: 5, failureThreshold: 6, timeoutSeconds: 3 });
    expect(c["startupProbe"]).toEqual({ httpGet: { path: "/healthz", port: "http" }, periodSeconds: 2, failureThreshold: 60, timeoutSeconds: 2 });
  });

  it("http headers", () => {
    const c = containerOf('readiness /ready header "X-Probe: kubelet" header "Host: api.internal"');
    expect(c["readinessProbe"]!["httpGet"]).toEqual({ path: "/ready", port: "http", httpHeaders: [{ name: "X-Probe", value: "kubelet" }, { name: "Host", value: "api.internal" }] });
  });

  it("tcp: a TCP connect to the named port (default the first)", () => {
    const c = containerOf("liveness tcp on admin, readiness tcp");
    expect(c["livenessProbe"]!["tcpSocket"]).toEqual({ port: "admin" });
    expect(c["readinessProbe"]!["tcpSocket"]).toEqual({ port: "http" });
  });

  it("grpc: the gRPC health protocol on the container port, with an optional service name", () => {
    const c = containerOf('readiness grpc on grpc, liveness grpc "ledger.v1.Ledger" on grpc');
    expect(c["readinessProbe"]!["grpc"]).toEqual({ port: 50051 });
    expect(c["livenessProbe"]!["grpc"]).toEqual({ port: 50051, service: "ledger.v1.Ledger" });
  });

  it("exec: a command, split like a POSIX shell or given as a list", () => {
    const c = containerOf('liveness exec "cat /tmp/healthy" every 20s, readiness exec ["/bin/check", "--ready"]');
    expect(c["livenessProbe"]).toEqual({ exec: { command: ["cat", "/tmp/healthy"] }, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 2 });
    expect(c["readinessProbe"]!["exec"]).toEqual({ command: ["/bin/check", "--ready"] });
  });

  it("health sets all three, each with the same action and timings", () => {
    const c = containerOf("health tcp every 15s");
    for (const k of ["readinessProbe", "livenessProbe", "startupProbe"]) expect(c[k]).toMatchObject({ tcpSocket: { port: "http" }, periodSeconds: 15 });
  });
});

describe("probe values out of range or misplaced", () => {
  itReportsEach([
    { name: "a period under a second", spec: spec("readiness /ready every 500ms"), code: "FIN3004", covers: "500ms", line: 13 },
    { name: "a timeout that is not whole seconds", spec: spec("readiness /ready timeout 1500ms"), code: "FIN3004", covers: "1500ms", line: 13 },
    { name: "zero failures", spec: spec("readiness /ready failures 0"), code: "FIN3004", covers: "0", line: 13 },
    { name: "a delay over an hour", spec: spec("liveness /healthz after 2h"), code: "FIN3004", covers: "2h", line: 13 },
    { name: "a header without a colon", spec: spec('readiness /ready header "X-Probe"'), code: "FIN3001", covers: '"X-Probe"', line: 13 },
    { name: "a header on a tcp probe", spec: spec('readiness tcp header "X-Probe: 1"'), code: "FIN3001", covers: "header", line: 13 },
    { name: "a tcp probe on a port the service does not declare", spec: spec("liveness tcp on admn"), code: "FIN2004", covers: "admn", line: 13 },
    { name: "a port on an exec probe", spec: spec('liveness exec "true" on admin'), code: "FIN3001", covers: "on", line: 13 },
  ]);
});

describe.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check resolves every probe's port", () => {
  let check = "";
  beforeAll(() => {
    check = installRuntimeCheck();
  }, 120_000);
  it("tcp on a named port, grpc on a mapped port, an http path with a header, exec: 0 errors, 0 warnings", () => {
    const program = compileSources({ "main.fin": spec('readiness /ready header "X-Probe: 1" every 5s, liveness tcp on admin after 10s, startup grpc on grpc failures 30') });
    expect(program.diagnostics).toEqual([]);
    const out = writeBuild(program, buildOutputs(program), "finc-probes-");
    const r = runRuntimeCheck(check, out, "prod", true);
    expect(r.findings).toEqual([]);
    expect(r.summary).toMatch(/^runtime-check: 0 errors, 0 warnings/);
  }, 60_000);
});
