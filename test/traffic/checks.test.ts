import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { itReportsEach, type CheckCase, diagnosticsOf, REPO, STDLIB } from "../helpers/compile.js";

/** A platform with the mesh and an nginx ingress, one issuer, and a service `api` to attach fields to. */
const MESH = `platform p {
  environments dev
  mesh istio sidecar cni
  ingress nginx
}
namespace apps {}
issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
}
`;
const api = (fields: string) => `service api {\n  image "r.io/api:1"\n  port http 8080, metrics 9102\n${fields}\n}\n`;

/** Each traffic check: the spec, the code, the exact text its range covers and the line it starts on. */
const cases: CheckCase[] = [
  { name: "TLS host with an undeclared issuer (did you mean)", spec: MESH + api('  expose "api.example.com" tls letsencrpyt'), code: "FIN2004", covers: "letsencrpyt", line: 13 },
  { name: "route to a port the service does not have", spec: MESH + api('  expose "api.example.com" port grcp tls letsencrypt'), code: "FIN2004", covers: "grcp", line: 13 },
  { name: "invalid host", spec: MESH + api('  expose "api..example.com"'), code: "FIN3010", covers: '"api..example.com"', line: 13 },
  { name: "split weights do not add up to 100%", spec: MESH + api('  split v1 80%, v2 10% "r.io/api:2"'), code: "FIN3013", covers: 'split v1 80%, v2 10% "r.io/api:2"', line: 13 },
  { name: "retries do not fit in the route timeout", spec: MESH + api("  timeout 1s\n  retries 3 per-try 500ms"), code: "FIN3014", covers: "retries 3 per-try 500ms", line: 14 },
  { name: "unknown retry condition", spec: MESH + api("  retries 3 on 5xx, resett"), code: "FIN3007", covers: "resett", line: 13 },
  { name: "circuit breaker syntax", spec: MESH + api("  circuit-breaker 5 in 30s"), code: "FIN3001", covers: "in", line: 13 },
  {
    name: "same host and path exposed by two services (unique per gateway)",
    spec: MESH + api('  expose "api.example.com" path /v1') + 'service web {\n  image "r.io/web:1"\n  port 8080\n  expose "api.example.com" path /v1\n}\n',
    code: "FIN4008", covers: '"api.example.com" path /v1', line: 18,
  },
  {
    name: "one host, two issuers",
    spec: MESH + 'issuer private {\n  ca "root-ca"\n}\n' + api('  expose "api.example.com" path /a tls letsencrypt') + 'service web {\n  image "r.io/web:1"\n  port 8080\n  expose "api.example.com" path /b tls private\n}\n',
    code: "FIN4012", covers: "private", line: 21,
  },
  { name: "issuer without a certificate authority", spec: MESH + "issuer empty {\n}\n", code: "FIN4009", covers: "issuer empty {\n}", line: 10 },
  {
    name: "mesh-only traffic policy without a mesh",
    spec: 'platform p {\n  environments dev\n}\nnamespace apps {}\n' + api("  timeout 2s"),
    code: "FIN4010", covers: "timeout 2s", line: 8,
  },
  {
    name: "rate limit that nothing enforces",
    spec: 'platform p {\n  environments dev\n  ingress traefik\n}\nnamespace apps {}\n' + api('  limit 10/s\n  expose "api.example.com"'),
    code: "FIN4011", covers: "limit 10/s", line: 9,
  },
];

describe("traffic type checks", () => {
  itReportsEach(cases);

  it("suggests the closest issuer name", () => {
    const p = diagnosticsOf({ "main.fin": MESH + api('  expose "api.example.com" tls letsencrpyt') });
    expect(p.map((d) => d.code)).toEqual(["FIN2004"]);
  });

  it("a correct traffic policy has no diagnostics", () => {
    const spec = MESH + api([
      '  expose "api.example.com" path /v1 port http tls letsencrypt',
      "  timeout 2s",
      "  retries 3 per-try 500ms on 5xx, reset",
      "  circuit-breaker 5 errors in 30s eject 1m max 20%",
      "  connections 100 pending 10",
      '  balance consistent-hash "x-user"',
      "  affinity cookie",
      '  split v1 90%, v2 10% "r.io/api:2"',
      "  limit 100/s",
    ].join("\n"));
    expect(diagnosticsOf({ "main.fin": spec })).toEqual([]);
  });

  it("examples/payments compiles with zero diagnostics", () => {
    const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples/payments")] });
    expect(program.diagnostics).toEqual([]);
  });
});
