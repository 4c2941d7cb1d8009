import { beforeAll, describe, expect, it } from "vitest";
import { buildExample, installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, RUNTIME_CHECK_SKIPPED } from "../helpers/runtime-check.js";

/**
 * What runtime-check cannot see: objects the CloudNativePG operator creates at run time — the
 * `-rw`/`-ro` Services and the instance pods. Findings about exactly
 * those are expected; any other finding about the database (TLS, replication, ports, policies) fails.
 */
const OPERATOR_CREATED = [
  /"ledger-db-r[wo]\.payments\.svc\.cluster\.local" is not a Service in the set/,
  /^WARN PodMonitor\/payments\/ledger-db: selector matches no pod template$/,
];

describe.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check on the payments example: no database findings", () => {
  let check = "";
  let out = "";
  beforeAll(() => {
    check = installRuntimeCheck();
    out = buildExample("payments").out;
  }, 240_000);

  for (const env of ["dev", "staging", "prod"]) {
    it(`${env}: TLS, replication and reachability of ledger-db hold`, () => {
      const r = runRuntimeCheck(check, out, env, false);
      const database = r.findings.filter((l) => /ledger-db|sslmode|postgres|DATABASE_URL/i.test(l));
      expect(database.filter((l) => !OPERATOR_CREATED.some((re) => re.test(l)))).toEqual([]);
      expect(r.summary).toMatch(/^runtime-check: \d+ errors, \d+ warnings/);
    });
  }
});

if (!RUNTIME_CHECK_PRESENT) describe("runtime-check", () => it.skip(RUNTIME_CHECK_SKIPPED, () => {}));
