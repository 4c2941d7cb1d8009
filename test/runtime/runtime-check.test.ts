import { beforeAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { replicaCluster } from "../../compiler/model/cloud-model.js";
import type { PlatformModel } from "../../compiler/model/platform-model.js";
import { REPO } from "../helpers/compile.js";
import { buildExample, installRuntimeCheck, runRuntimeCheck, runRuntimeChecks, RUNTIME_CHECK_PRESENT, RUNTIME_CHECK_SKIPPED, type RuntimeCheckResult } from "../helpers/runtime-check.js";

/**
 * Every example, every environment, checked by runtime-check as one cluster against the needs
 * file finc writes from the spec: every finding (error or warning) is one of the explained ones
 * below — all of them about objects an operator or cert-manager creates, which runtime-check
 * does not model. Anything else fails.
 */
const EXAMPLES = readdirSync(resolve(REPO, "examples"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Findings explained by what runtime-check does not model. Each is allowed only where its
 * reason holds; anything else fails the test.
 */
function explained(model: PlatformModel): RegExp[] {
  const allowed: RegExp[] = [
    // Scrapes are restricted to `GET /metrics` on the metrics port by design (the
    // AuthorizationPolicy finc writes for Prometheus); runtime-check reports such a partial
    // ALLOW on a declared call as "only some requests".
    /^WARN Needs\/[^ ]+\/call prometheus->[^ ]+: call prometheus -> [^ ]+: only some requests \(methods\/paths\/JWT\) allowed by [^ ]+-metrics$/,
    // A smoke test is admitted for `GET <its path>` only (emit/smoke-tests), reported the same way.
    /^WARN Needs\/[^ ]+\/call [^ ]+-smoke->[^ ]+: call [^ ]+-smoke -> [^ ]+: only some requests \(methods\/paths\/JWT\) allowed by [^ ]+-smoke$/,
  ];
  if (model.platform.mesh === "istio" && model.platform.meshMode === "ambient" && model.platform.monitoring)
    // Ambient: the Envoy metrics come from each namespace's waypoint, whose Deployment istiod
    // creates from the `waypoint` Gateway at run time; runtime-check does not model it.
    for (const ns of model.namespaces) allowed.push(new RegExp(`^WARN PodMonitor/${esc(ns.name)}/istio-proxies: selector matches no pod template$`));
  for (const db of model.databases.filter((d) => d.mode === "operator")) {
    // runtime-check does not model what the CloudNativePG operator creates at run time: the
    // `<db>-rw`/`-ro` Services and the instance pods. So the clients' URLs, the PodMonitor, and
    // the needs entries naming the database cannot be resolved — for operator-run databases only
    // (a standalone database is a StatefulSet and must check clean). The clients' CA is finc's
    // own ExternalSecret (client-ca.ts), so it must resolve.
    const at = `${esc(db.namespace)}/${esc(db.name)}`;
    allowed.push(
      new RegExp(`^WARN [^ ]+: container [^ ]+ env [A-Z_]+=postgresql://…@${esc(db.name)}-r[wo]\\.${esc(db.namespace)}\\.svc\\.cluster\\.local:\\d+/[^ ]*: "${esc(db.name)}-r[wo]\\.${esc(db.namespace)}\\.svc\\.cluster\\.local" is not a Service in the set$`),
      new RegExp(`^WARN PodMonitor/${at}: selector matches no pod template$`),
      new RegExp(`^ERROR Needs/[^ ]+/call [^ ]+->${at}: "${at}" port ${db.port} is not a Service or workload port in [^ ]+$`),
      new RegExp(`^WARN Needs/[^ ]+/denied [^ ]+: cannot resolve ${at} in [^ ]+$`),
    );
    // A `replicate to` replica cluster's instances are the operator's too: its PodMonitor selects pods runtime-check does not see.
    const replica = replicaCluster(model, db);
    if (replica) allowed.push(new RegExp(`^WARN PodMonitor/${esc(db.namespace)}/${esc(replica.name)}: selector matches no pod template$`));
  }
  return allowed;
}

describe.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check on every example and environment, with finc's needs file", () => {
  let check = "";
  const built = new Map<string, ReturnType<typeof buildExample>>();
  /** `<example>/<env> needs|alone` → the checker's result: every run of the file in one Node process (runRuntimeChecks). */
  const results = new Map<string, RuntimeCheckResult>();
  const key = (example: string, env: string, withNeeds: boolean) => `${example}/${env} ${withNeeds ? "needs" : "alone"}`;
  beforeAll(() => {
    check = installRuntimeCheck();
    for (const e of EXAMPLES) built.set(e, buildExample(e));
    const jobs = [...built].flatMap(([example, b]) => b.environments.flatMap((env) => [true, false].map((withNeeds) => ({ example, out: b.out, env, withNeeds }))));
    runRuntimeChecks(check, jobs).forEach((r, i) => results.set(key(jobs[i]!.example, jobs[i]!.env, jobs[i]!.withNeeds), r));
  }, 300_000);

  it("finds the examples", () => expect(EXAMPLES).toContain("payments"));

  it("the batched runs say exactly what the checker says run on its own (payments/prod, with and without the needs file)", () => {
    const b = built.get("payments")!;
    for (const withNeeds of [true, false]) expect(results.get(key("payments", "prod", withNeeds))).toEqual(runRuntimeCheck(check, b.out, "prod", withNeeds));
  });

  for (const example of EXAMPLES) {
    it(`${example}: 0 errors without the needs file, and with it no finding but the explained ones (operator-created objects), in every environment`, () => {
      const b = built.get(example)!;
      expect(b.environments.length).toBeGreaterThan(0);
      const unexplained: string[] = [];
      for (const env of b.environments) {
        const r = results.get(key(example, env, true))!;
        const allowed = explained(b.models.get(env)!);
        for (const f of r.findings) if (!allowed.some((re) => re.test(f))) unexplained.push(`${env}: ${f}`);
        // The summary line, for the record (vitest prints console output of a passing test only with --reporter=verbose).
        console.log(`${example}/${env}: ${r.summary}`);
        expect(r.summary).toMatch(/^runtime-check: \d+ errors, \d+ warnings/);
        // Without the needs file every check is about the manifests alone: nothing may fail.
        expect(results.get(key(example, env, false))!.summary, `${example}/${env}`).toMatch(/^runtime-check: 0 errors, /);
      }
      expect(unexplained).toEqual([]);
    });
  }
});

if (!RUNTIME_CHECK_PRESENT) describe("runtime-check", () => it.skip(RUNTIME_CHECK_SKIPPED, () => {}));
