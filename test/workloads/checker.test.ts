import { describe, expect, it } from "vitest";
import { diagnosticsOf, itReportsEach, PLATFORM } from "../helpers/compile.js";

/** Workers, jobs and cron jobs: what the checker accepts, and each refusal at the offending text. */

const IMAGE = 'image "r.io/x:1.0.0"';
const worker = (fields = "") => `${PLATFORM}worker fraud-consumer {\n  ${IMAGE}\n${fields}}\n`;
const job = (fields = "") => `${PLATFORM}job seed {\n  ${IMAGE}\n${fields}}\n`;
const cron = (fields = "") => `${PLATFORM}cronjob settlement {\n  ${IMAGE}\n  schedule "0 22 * * 1-5"\n${fields}}\n`;
// PLATFORM is 8 lines; the declaration starts on line 9, the image on 10.
const L = 9;

describe("workers, jobs and cron jobs compile without errors", () => {
  it("a worker needs no port; it may scale on Kafka lag, read secrets and call a service", () => {
    const spec = `${worker('  metrics 9102\n  health 8081 /healthz\n  replicas 1 to 5\n  scale on kafka "payments" lag 100\n  secret KEY from vault "a/b" key "k"\n  calls api\n  egress "api.example.com" 443\n')}service api {\n  ${IMAGE}\n  port http 8080\n}\n`;
    expect(diagnosticsOf({ "main.fin": spec })).toEqual([]);
  });
  it("a job and a cron job with their run policy", () => {
    expect(diagnosticsOf({ "main.fin": job("  backoff 1\n  timeout 30m\n  ttl 1d\n  restart on-failure\n") })).toEqual([]);
    expect(diagnosticsOf({ "main.fin": cron('  timezone "Europe/London"\n  concurrency replace\n  starting-deadline 5m\n  history successful 1, failed 5\n  suspend yes\n  timeout 2h\n') })).toEqual([]);
  });
  it("an environment may suspend a cron job, and a pattern may be written for one", () => {
    const spec = `${PLATFORM}pattern batch for cronjob {\n  timeout 2h\n  tier batch\n}\ncronjob settlement is batch {\n  ${IMAGE}\n  schedule "0 2 * * *"\n}\nenvironment dev {\n  settlement.suspend yes\n}\n`;
    expect(diagnosticsOf({ "main.fin": spec })).toEqual([]);
  });
  it("a cron job without a schedule is FIN3003", () => {
    expect(diagnosticsOf({ "main.fin": `${PLATFORM}cronjob settlement {\n  ${IMAGE}\n}\n` })).toContainEqual({ code: "FIN3003", text: "settlement", line: L });
  });
});

describe("refusals", () => {
  itReportsEach([
    { name: "a port on a worker", spec: worker("  port http 8080\n"), code: "FIN3024", covers: "port", line: L + 2 },
    { name: "expose on a worker", spec: worker('  expose "x.example.com"\n'), code: "FIN3024", covers: "expose", line: L + 2 },
    { name: "a traffic split on a worker", spec: worker("  split v1 90%, v2 10%\n"), code: "FIN3024", covers: "split", line: L + 2 },
    { name: "a probe on a worker (it has `health`)", spec: worker("  probe health /healthz\n"), code: "FIN3024", covers: "probe", line: L + 2 },
    { name: "a job's backoff on a worker", spec: worker("  backoff 3\n"), code: "FIN3024", covers: "backoff", line: L + 2 },
    {
      name: "calls to a worker",
      spec: `${worker()}service api {\n  ${IMAGE}\n  port http 8080\n  calls fraud-consumer\n}\n`,
      code: "FIN3024",
      covers: "fraud-consumer",
      line: L + 6,
    },
    { name: "calls to a cron job", spec: `${cron()}service api {\n  ${IMAGE}\n  port http 8080\n  calls settlement\n}\n`, code: "FIN3024", covers: "settlement", line: L + 7 },
    { name: "replicas on a job", spec: job("  replicas 3\n"), code: "FIN3025", covers: "replicas", line: L + 2 },
    { name: "scale on a cron job", spec: cron('  scale on kafka "t" lag 10\n'), code: "FIN3025", covers: "scale", line: L + 3 },
    { name: "a port on a cron job", spec: cron("  port http 8080\n"), code: "FIN3025", covers: "port", line: L + 3 },
    { name: "metrics on a job", spec: job("  metrics 9102\n"), code: "FIN3025", covers: "metrics", line: L + 2 },
    { name: "a schedule on a job", spec: job('  schedule "0 2 * * *"\n'), code: "FIN3026", covers: "schedule", line: L + 2 },
    { name: "concurrency on a job", spec: job("  concurrency forbid\n"), code: "FIN3026", covers: "concurrency", line: L + 2 },
    { name: "a schedule on a worker", spec: worker('  schedule "0 2 * * *"\n'), code: "FIN3026", covers: "schedule", line: L + 2 },
    { name: "a starting deadline the controller may never meet", spec: cron("  starting-deadline 5s\n"), code: "FIN3027", covers: "5s", line: L + 3 },
    { name: "no failed run kept", spec: cron("  history successful 1, failed 0\n"), code: "FIN3027", covers: "failed 0", line: L + 3 },
    { name: "a cron job's schedule is validated as cron", spec: `${PLATFORM}cronjob settlement {\n  ${IMAGE}\n  schedule "0 25 * * *"\n}\n`, code: "FIN3016", covers: '"0 25 * * *"', line: L + 2 },
    { name: "a cron job's time zone is an IANA name", spec: cron('  timezone "London"\n'), code: "FIN3017", covers: '"London"', line: L + 3 },
    { name: "a backoff beyond its range", spec: job("  backoff 1000\n"), code: "FIN3004", covers: "1000", line: L + 2 },
  ]);

  it("a refused field is reported once, with its own code, not also as an unknown field", () => {
    const d = diagnosticsOf({ "main.fin": worker("  port http 8080\n") });
    expect(d.map((x) => x.code)).toEqual(["FIN3024"]);
  });
});
