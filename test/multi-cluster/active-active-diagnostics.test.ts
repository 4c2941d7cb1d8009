import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf, itReportsEach } from "../helpers/compile.js";
import { activeActive, WEST_CHECK } from "./active-active-fixture.js";

/** The 1-based line of the first occurrence of `text` in `spec`. */
const lineOf = (spec: string, text: string) => spec.slice(0, spec.indexOf(text)).split("\n").length;
const at = (spec: string, covers: string) => ({ spec, covers, line: lineOf(spec, covers) });

const writerOfUrl = activeActive({ quotesSecret: "ledger.url" });
const writerOfHost = activeActive({ extra: 'service rates {\n  image  "r.io/rates:1.0.0"\n  port   http 8080\n  config DB_HOST = "${ledger.host}"\n}\n' });
const migrating = activeActive().replace('  probe    readiness /ready\n', '  probe    readiness /ready\n  migrate  "r.io/quotes-migrate:1.0.0" run "migrate up"\n');
const mixed = activeActive({ centralRole: "standby" });
const onGcp = activeActive({ cloud: "gcp" });
const tcpProbe = activeActive({ westCheck: WEST_CHECK }).replace("probe    readiness /ready", "probe    readiness tcp");
const onNginx = activeActive({ westCheck: WEST_CHECK }).replace("ingress      istio", "ingress      nginx");
// Two environments on both clusters: each has its own checks, so an ID must say which.
const twoEnvs = activeActive({ westCheck: WEST_CHECK }).replace("environments prod\n", "environments staging, prod\n");
const unknownEnv = activeActive({ westCheck: WEST_CHECK }).replace(`health-check "${WEST_CHECK}"`, `health-check "${WEST_CHECK}" in qa`);

describe("active-active checks", () => {
  itReportsEach([
    { name: "a service in every active cluster that writes a database through its url", code: "FIN4101", ...at(writerOfUrl, "DATABASE_URL from ledger.url") },
    { name: "a service in every active cluster that composes the primary's host into its config", code: "FIN4101", ...at(writerOfHost, 'DB_HOST = "${ledger.host}"') },
    { name: "a service with a migration in every active cluster (the replicas are read-only)", code: "FIN4101", ...at(migrating, 'migrate  "r.io/quotes-migrate:1.0.0" run "migrate up"') },
    { name: "active clusters off aws with external-dns (no Route 53 latency records to write)", code: "FIN4101", ...at(onGcp, "role   active") },
    { name: "active clusters mixed with a standby", code: "FIN4081", ...at(mixed, "role   standby") },
    { name: "a health-check with a host whose service has no HTTP path to check", code: "FIN4102", ...at(tcpProbe, '"api.remit.example.com" path /v1 tls letsencrypt') },
    { name: "a health-check without `in` on a cluster of two multi-cluster environments", code: "FIN4102", ...at(twoEnvs, `"${WEST_CHECK}"`) },
    { name: "a health-check for an environment the platform does not list", code: "FIN4102", ...at(unknownEnv, "qa") },
    { name: "a health-check behind an ingress other than istio", code: "FIN4102", ...at(onNginx, `"${WEST_CHECK}"`) },
  ]);

  it("the refusal names the cluster without a path to the primary and the three ways out", () => {
    const [d] = compileSources({ "main.fin": writerOfUrl }).diagnostics.filter((x) => x.code === "FIN4101");
    expect(d!.message).toContain("active cluster 'central', where 'ledger' is a read-only replica of the primary in 'west'");
    expect(d!.hint).toContain("use `ledger.read-url`");
    expect(d!.hint).toContain("make 'central' `role standby` and 'west' `role primary`");
    expect(d!.hint).toContain("`environments`");
  });

  it("met: readers in every active cluster, a writing worker (it runs in the first cluster only) and a pasted health check report nothing", () => {
    const codes = diagnosticsOf({ "main.fin": activeActive({ westCheck: WEST_CHECK }) }).map((d) => d.code);
    expect(codes.filter((c) => /^FIN(408[0-3]|410[12])$/.test(c))).toEqual([]);
  });

  it("met: a primary + standby pair may write (the standby's services never take traffic while it is read-only)", () => {
    const spec = writerOfUrl.replace("role   active\n}\ncluster central", "role   primary\n}\ncluster central").replace(/(cluster central \{\n  region eu-central-1\n  role   )active/, "$1standby");
    const codes = diagnosticsOf({ "main.fin": spec }).map((d) => d.code);
    expect(codes.filter((c) => /^FIN(408[0-3]|410[12])$/.test(c))).toEqual([]);
  });

  it("an active cluster that cannot get a database's data is FIN4082, named as an active cluster", () => {
    const spec = activeActive().replace("  replicate   to eu-central-1\n", "");
    const d = compileSources({ "main.fin": spec }).diagnostics.filter((x) => x.code === "FIN4082");
    expect(d.map((x) => x.message)).toEqual(["Active cluster 'central' (eu-central-1) in environment 'prod' cannot get the data of database 'ledger': its backups are not replicated to eu-central-1."]);
  });

  it("a health-check that is not a Route 53 ID is refused where it is written", () => {
    const spec = activeActive({ westCheck: "not-an-id" });
    expect(diagnosticsOf({ "main.fin": spec })).toContainEqual({ code: "FIN3001", text: '"not-an-id"', line: lineOf(spec, '"not-an-id"') });
  });
});
