import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { run, type Io } from "../../compiler/cli/main.js";
import { diagnosticsOf, itReportsEach, platformSpec, REPO, serviceSpec, type CheckCase } from "../helpers/compile.js";

/** FIN2014: a declaration may not take a name finc gives to one of its own objects. */

const base = platformSpec;
const svc = serviceSpec;

const CASES: CheckCase[] = [
  { name: "a custom blue-green preview name that is another service's", spec: base("") + svc("web", "  rollout blue-green preview api\n") + svc("api"), code: "FIN2014", covers: "rollout blue-green preview api", line: 13 },
  { name: "a service named `waypoint` in ambient mode (the waypoint's identity)", spec: base("  mesh istio ambient") + svc("waypoint"), code: "FIN2014", covers: "waypoint", line: 10 },
  { name: "a service named `waypoint-allow-nothing` in ambient mode", spec: base("  mesh istio ambient") + svc("waypoint-allow-nothing"), code: "FIN2014", covers: "waypoint-allow-nothing", line: 10 },
  { name: "a database named `allow-nothing` with the mesh", spec: base("  mesh istio") + 'database allow-nothing {\n  storage 10Gi\n  credentials from vault "db"\n}\n', code: "FIN2014", covers: "allow-nothing", line: 10 },
  { name: "a service named like a Service the database operator creates (`<db>-rw`)", spec: base("") + 'database ledger {\n  storage 10Gi\n  credentials from vault "db"\n}\n' + svc("ledger-rw"), code: "FIN2014", covers: "ledger-rw", line: 14 },
  { name: "a namespace `kube-system`", spec: base("").replace("namespace apps {}", "namespace kube-system {}"), code: "FIN2014", covers: "kube-system", line: 9 },
  { name: "an environment named like a packaging target's output directory", spec: base("", "dev, helm"), code: "FIN2014", covers: "environments dev, helm", line: 2 },
];

describe("reserved names", () => {
  itReportsEach(CASES);

  it("names that would be finc's only with a feature off are free", () => {
    const free = [
      base("") + svc("web") + svc("web-preview"), // no blue-green
      base("  monitoring prometheus") + 'service web {\n  image "r.io/web:1.0.0"\n  port http 8080, metrics 9102\n}\n' + svc("web-metrics"), // no mesh: no AuthorizationPolicy
      base("") + svc("allow-nothing"), // no mesh
      base("  mesh istio") + svc("waypoint"), // sidecar mode: no waypoint
      base("  mesh istio") + svc("api", '  split v1 90%, v2 10%\n') + svc("api-v2"), // a split version without its own image runs no Deployment
      base("") + 'database registry {\n  storage 10Gi\n  credentials from vault "db"\n}\n', // no registry
    ];
    for (const spec of free) expect(diagnosticsOf({ "main.fin": spec }).filter((d) => d.code === "FIN2014")).toEqual([]);
  });
});

describe("`finc check` reports what `finc build` would refuse", () => {
  const capture = () => {
    let out = "";
    let err = "";
    const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), cwd: REPO, color: false };
    return { io, text: () => out + err };
  };

  it(`"FIN5001": a collision the checker does not foresee fails \`finc check\` (exit 1)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "finc-reserved-"));
    const spec = base("  mesh istio ambient\n  ingress istio") + svc("web", '  expose "shop.example.com"\n') + svc("ingress-shop-example-com", "  timeout 2s\n");
    writeFileSync(join(dir, "main.fin"), spec);
    const c = capture();
    expect(await run(["check", join(dir, "main.fin")], c.io)).toBe(1);
    expect(c.text()).toContain("FIN5001");
    expect(c.text()).toContain("VirtualService 'ingress-shop-example-com' in namespace 'apps'");
  });

  it("the example checks clean, collisions included", async () => {
    const c = capture();
    expect(await run(["check", resolve(REPO, "examples/payments")], c.io)).toBe(0);
  });
});
