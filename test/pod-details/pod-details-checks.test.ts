import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf, itReportsEach, PLATFORM } from "../helpers/compile.js";

/** Each pod-detail and host diagnostic, on the exact offending text. */
const svc = (fields: string) => `${PLATFORM}service api {
  image "r.io/api:1.0.0"
  port  http 8080
${fields}}
`;
// PLATFORM is 8 lines, `service api {` is line 9, the fields start on line 12.
const platformWith = (extra: string) => `platform p {
  environments dev, prod
  cloud aws
  ingress nginx
${extra}}
issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
  solver http
}
namespace apps {}
service api {
  image "r.io/api:1.0.0"
  port  http 8080
`;

describe("pod details: diagnostics", () => {
  itReportsEach([
    { name: "an unknown downward-API source", spec: svc("  env NAMESPACE from pod.nmespace\n"), code: "FIN3034", covers: "pod.nmespace", line: 12 },
    { name: "a downward env name a secret also sets", spec: svc('  secret POD_IP from vault "apps/api" key "k"\n  env POD_IP from pod.ip\n'), code: "FIN3034", covers: "POD_IP from pod.ip", line: 13 },
    { name: "a label key with an invalid prefix", spec: svc('  labels "Example.com/team" = "payments"\n'), code: "FIN3035", covers: '"Example.com/team"', line: 12 },
    { name: "a label name over 63 characters", spec: svc(`  labels ${"a".repeat(64)} = "x"\n`), code: "FIN3035", covers: "a".repeat(64), line: 12 },
    { name: "a label value that is not a name", spec: svc('  labels team = "payments team"\n'), code: "FIN3035", covers: '"payments team"', line: 12 },
    { name: "a label finc owns", spec: svc('  labels "app.kubernetes.io/name" = "other"\n'), code: "FIN3035", covers: '"app.kubernetes.io/name"', line: 12 },
    { name: "an annotation that would take the pod out of the mesh", spec: svc('  annotations "sidecar.istio.io/inject" = "false"\n'), code: "FIN3035", covers: '"sidecar.istio.io/inject"', line: 12 },
    { name: "an annotation that bypasses the mesh's egress control", spec: svc('  annotations "traffic.sidecar.istio.io/excludeOutboundIPRanges" = "0.0.0.0/0"\n'), code: "FIN3035", covers: '"traffic.sidecar.istio.io/excludeOutboundIPRanges"', line: 12 },
    { name: "an annotation driving the Vault injector", spec: svc('  annotations "vault.hashicorp.com/agent-inject" = "false"\n'), code: "FIN3035", covers: '"vault.hashicorp.com/agent-inject"', line: 12 },
    { name: "a finc.dev annotation", spec: svc('  annotations "finc.dev/config-hash" = "0"\n'), code: "FIN3035", covers: '"finc.dev/config-hash"', line: 12 },
    { name: "a drain as long as the grace period", spec: svc("  drain 30s\n"), code: "FIN3036", covers: "drain 30s", line: 12 },
    { name: "a drain longer than an explicit grace", spec: svc("  grace 10s\n  drain 15s\n"), code: "FIN3036", covers: "drain 15s", line: 13 },
    { name: "the catch-all host with tls", spec: `${platformWith("")}  expose "*" tls letsencrypt\n}\n`, code: "FIN3037", covers: "letsencrypt", line: 14 },
    { name: "the catch-all host under pci-dss", spec: `${platformWith("  compliance pci-dss\n")}  expose any path /\n}\n`, code: "FIN3037", covers: "any path /", line: 15 },
    { name: "a wildcard host with an HTTP-01 issuer", spec: `${platformWith("")}  expose "*.example.com" tls letsencrypt\n}\n`, code: "FIN3037", covers: "letsencrypt", line: 14 },
    { name: "ephemeral storage request over its limit", spec: svc("  ephemeral-storage 2Gi to 1Gi\n"), code: "FIN3005", covers: "2Gi to 1Gi", line: 12 },
    { name: "ephemeral storage without a unit", spec: svc("  ephemeral-storage 2\n"), code: "FIN3002", covers: "2", line: 12 },
    { name: "an init command with an unquoted shell operator", spec: svc('  init "r.io/wait:1.0.0" run "wait-for db && echo ok"\n'), code: "FIN3022", covers: "&&", line: 12 },
    { name: "an init image that is no image reference", spec: svc('  init "R.IO/Wait" run "x"\n'), code: "FIN3009", covers: '"R.IO/Wait"', line: 12 },
  ]);

  it("the unknown-source hint lists every valid source", () => {
    const [d, ...rest] = compileSources({ "main.fin": svc("  env X from pod.labels\n") }).diagnostics;
    expect(rest).toEqual([]);
    expect(d!.code).toBe("FIN3034");
    for (const src of ["pod.name", "pod.namespace", "pod.ip", "pod.service-account", "node.name", "limits.memory", "requests.ephemeral-storage"]) expect(d!.hint).toContain(src);
  });

  it("valid details, a wildcard with a DNS-01 issuer and the catch-all host without tls compile clean", () => {
    const spec = `${platformWith("").replace("solver http", 'solver dns route53 region "eu-west-1"')}  expose "*.example.com" tls letsencrypt
  env NAMESPACE from pod.namespace, NODE_IP from node.ip, STORAGE from limits.ephemeral-storage
  labels team = payments, "example.com/cost-center" = "cc-42", tier-note = ""
  annotations "example.com/runbook" = "https://runbooks.example.com/api — read me"
  ephemeral-storage 1Gi to 2Gi
  init "r.io/tools/wait:1.0.0" run ["wait-for", "ledger:8080"]
  drain 10s
  grace 40s
}
service demo {
  image "r.io/demo:1.0.0"
  port  http 8080
  expose "*"
}
`;
    expect(diagnosticsOf({ "main.fin": spec })).toEqual([]);
  });
});
