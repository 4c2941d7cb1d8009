import { beforeAll, describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { buildExample, installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, RUNTIME_CHECK_SKIPPED, writeBuild } from "../helpers/runtime-check.js";
import { AWS_PLATFORM, type Doc } from "./helpers.js";

/**
 * What runtime-check cannot see: objects the CloudNativePG operator creates at run time — the
 * `-rw`/`-ro` Services and the instance pods. Findings about exactly
 * those are expected; any other finding about the database (TLS, replication, ports, policies) fails.
 */
const OPERATOR_CREATED = [
  /"ledger-db-r[wo]\.payments\.svc\.cluster\.local" is not a Service in the set/,
  /^WARN PodMonitor\/payments\/ledger-db: selector matches no pod template$/,
  // prod's replica cluster (`replicate to eu-central-1`): its instances are the operator's too.
  /^WARN PodMonitor\/payments\/ledger-db-eu-central-1: selector matches no pod template$/,
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

/**
 * A standalone database (no example has one): runtime-check finds exactly one error, and it is
 * the tool's, not finc's. The StatefulSet mounts the server certificate's Secret
 * `<db>-server-tls`, which cert-manager creates from the Certificate whose `spec.secretName` it
 * is; runtime-check counts only Secrets, ExternalSecrets and SealedSecrets as creating a Secret
 * (its README, check `refs`). finc cannot make that resolvable without hiding it: a placeholder
 * Secret would fight cert-manager over the same object (a GitOps sync would empty the key), an
 * `optional` volume would start PostgreSQL without its certificate, and copying the key through
 * an ExternalSecret would only add a second copy of it. Everything else (the database TLS check
 * on ssl=on and the mounted certificate files, the client's CA copy, the call) checks clean.
 */
describe.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check on a standalone database: one finding, the cert-manager Secret", () => {
  let check = "";
  let out = "";
  let docs: Doc[] = [];
  beforeAll(() => {
    check = installRuntimeCheck();
    const program = compileSources({ "main.fin": AWS_PLATFORM + `
service app {
  image  "registry.example.com/app:1.0.0"
  port   http 8080
  secret DATABASE_URL from cache.url
  calls  cache
}
database cache {
  engine      postgres 16 standalone
  storage     10Gi
  credentials from vault "apps/cache"
}
` });
    expect(program.diagnostics).toEqual([]);
    const outputs = buildOutputs(program, { environments: ["dev"] });
    docs = (outputs.documents.get("dev") ?? []).map((d) => d.object as Doc);
    out = writeBuild(program, outputs, "finc-standalone-out-");
  }, 240_000);

  const CERT_MANAGER_SECRET = 'ERROR StatefulSet/apps/cache: volume tls: Secret "cache-server-tls" does not exist (no Secret, ExternalSecret or SealedSecret creates it)';

  it("the one finding is the server certificate's Secret, which a Certificate of finc's output does create", () => {
    const cert = docs.find((d) => d.kind === "Certificate" && d.spec.secretName === "cache-server-tls");
    expect(cert?.metadata.namespace).toBe("apps");
    for (const needs of [false, true]) {
      const r = runRuntimeCheck(check, out, "dev", needs);
      expect(r.findings, `with needs file: ${needs}`).toEqual([CERT_MANAGER_SECRET]);
      expect(r.summary).toMatch(/^runtime-check: 1 errors, 0 warnings/);
    }
  });
});

if (!RUNTIME_CHECK_PRESENT) describe("runtime-check", () => it.skip(RUNTIME_CHECK_SKIPPED, () => {}));
