import { beforeAll, describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, RUNTIME_CHECK_SKIPPED, writeBuild } from "../helpers/runtime-check.js";
import { activeActive, WEST_CHECK } from "./active-active-fixture.js";

/**
 * runtime-check on each cluster of the active-active fixture, with finc's needs file: 0 errors,
 * and the only warnings those about what the CloudNativePG operator creates at run time (the
 * `ledger-rw`/`-ro` Services and its instances' pods), as for every example (test/runtime).
 * The health-check Gateway and VirtualService must resolve: the route reaches quotes' Service port.
 */
const OPERATOR_CREATED = [
  /^WARN [^ ]+: container [^ ]+ env DATABASE_URL=postgresql:\/\/…@ledger-r[wo]\.remit\.svc\.cluster\.local:5432\/[^ ]*: "ledger-r[wo]\.remit\.svc\.cluster\.local" is not a Service in the set$/,
  /^WARN PodMonitor\/remit\/ledger: selector matches no pod template$/,
  /^WARN Needs\/[^ ]+\/denied [^ ]+: cannot resolve remit\/ledger in [^ ]+$/,
];

describe.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check on each active cluster", () => {
  let check = "";
  let out = "";
  beforeAll(() => {
    check = installRuntimeCheck();
    const program = compileSources({ "main.fin": activeActive({ westCheck: WEST_CHECK }) });
    expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    out = writeBuild(program, buildOutputs(program), "finc-active-active-out-");
  }, 240_000);

  for (const env of ["prod-west", "prod-central"])
    it(`${env}: 0 errors; warnings only about the operator's objects`, () => {
      const r = runRuntimeCheck(check, out, env, true);
      expect(r.findings.filter((l) => l.startsWith("ERROR "))).toEqual([]);
      expect(r.findings.filter((l) => !OPERATOR_CREATED.some((re) => re.test(l)))).toEqual([]);
      expect(r.summary).toMatch(/^runtime-check: 0 errors, \d+ warnings/);
    }, 60_000);
});

describe.skipIf(RUNTIME_CHECK_PRESENT)("runtime-check on each active cluster", () => {
  it.skip(RUNTIME_CHECK_SKIPPED, () => {});
});
