import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { REPO, STDLIB } from "../helpers/compile.js";

/** The shared runtime checker (read-only in CI: copied to a temp dir and installed there, as its README says). */
const TOOL = resolve(REPO, "../shared/tools/runtime-check");

/**
 * What runtime-check cannot see: objects the CloudNativePG operator creates at run time — the
 * `-rw`/`-ro` Services, the `<cluster>-ca` Secret and the instance pods. Findings about exactly
 * those are expected; any other finding about the database (TLS, replication, ports, policies) fails.
 */
const OPERATOR_CREATED = [
  /volume db-ca-ledger-db: Secret "ledger-db-ca" does not exist/,
  /"ledger-db-r[wo]\.payments\.svc\.cluster\.local" is not a Service in the set/,
  /^WARN PodMonitor\/payments\/ledger-db: selector matches no pod template$/,
];

describe.skipIf(!existsSync(TOOL))("runtime-check on the payments example: no database findings", () => {
  let check = "";
  const out = mkdtempSync(join(tmpdir(), "finc-pg-out-"));
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), "finc-runtime-check-"));
    cpSync(TOOL, join(dir, "runtime-check"), { recursive: true, filter: (p) => !p.includes("node_modules") });
    execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--silent"], { cwd: join(dir, "runtime-check"), stdio: "ignore" });
    check = join(dir, "runtime-check", "check.mjs");
    const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples/payments")] });
    for (const f of buildOutputs(program).files) {
      mkdirSync(dirname(join(out, f.path)), { recursive: true });
      writeFileSync(join(out, f.path), f.content);
    }
  }, 240_000);

  for (const env of ["dev", "staging", "prod"]) {
    it(`${env}: TLS, replication and reachability of ledger-db hold`, () => {
      const r = spawnSync(process.execPath, [check, join(out, env)], { encoding: "utf8" });
      const findings = r.stdout.split("\n").filter((l) => /^(ERROR|WARN) /.test(l));
      const database = findings.filter((l) => /ledger-db|sslmode|postgres|DATABASE_URL/i.test(l));
      expect(database.filter((l) => !OPERATOR_CREATED.some((re) => re.test(l)))).toEqual([]);
      expect(r.stdout).toMatch(/^runtime-check: \d+ errors, \d+ warnings/m);
    });
  }
});

if (!existsSync(TOOL)) describe("runtime-check", () => it.skip(`skipped: ${TOOL} is not there (the shared tools are outside this repository)`, () => {}));
