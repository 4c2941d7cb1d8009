import { describe, expect, it } from "vitest";
import { cronProblem, isIanaZone } from "../../compiler/semantic/schema/scaling-fields.js";
import { itReportsEach, type CheckCase, diagnosticsOf } from "../helpers/compile.js";

/** A platform with the mesh, a store, one namespace; `svc` adds a service with the given lines (line 10 onwards). */
const MESH = `platform p {
  environments dev, prod
  mesh istio sidecar cni
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
`;
const svc = (fields: string, name = "worker") => `service ${name} {\n  image "r.io/${name}:1"\n  port http 8080\n${fields}\n}\n`;

/** Each check: the spec, the code, the exact text its range covers and the line it starts on. */
const cases: CheckCase[] = [
  { name: "cron schedule without five fields", spec: MESH + svc('  replicas 1 to 5\n  scale on cron "0 7 * *" to "0 19 * * 1-5" replicas 3'), code: "FIN3016", covers: '"0 7 * *"', line: 14 },
  { name: "cron hour out of range", spec: MESH + svc('  replicas 1 to 5\n  scale on cron "0 7 * * 1-5" to "0 24 * * 1-5" replicas 3'), code: "FIN3016", covers: '"0 24 * * 1-5"', line: 14 },
  { name: "time zone that is not an IANA name", spec: MESH + svc('  replicas 1 to 5\n  scale on cron "0 7 * * 1-5" to "0 19 * * 1-5" replicas 3 timezone "CET+1"'), code: "FIN3017", covers: '"CET+1"', line: 14 },
  { name: "canary weights not increasing", spec: MESH + svc("  rollout canary 50%, 20%"), code: "FIN3018", covers: "20%", line: 13 },
  { name: "canary weight of 0%", spec: MESH + svc("  rollout canary 0%, 50%"), code: "FIN3018", covers: "0%", line: 13 },
  { name: "event scaling with a fixed replica count", spec: MESH + svc('  replicas 3\n  scale on kafka "orders" lag 100'), code: "FIN4018", covers: 'scale on kafka "orders" lag 100', line: 14 },
  { name: "event scaling without any replicas line (fixed default of 2)", spec: MESH + svc('  scale on queue sqs "https://sqs.eu-west-1.amazonaws.com/123456789012/orders" depth 100'), code: "FIN4018", covers: 'scale on queue sqs "https://sqs.eu-west-1.amazonaws.com/123456789012/orders" depth 100', line: 13 },
  {
    name: "event scaling, fixed in one environment only",
    spec: MESH + svc('  replicas 2 to 8\n  scale on prometheus "sum(rate(jobs_total[1m]))" above 50') + "environment dev {\n  worker.replicas 1\n}\n",
    code: "FIN4018", covers: 'scale on prometheus "sum(rate(jobs_total[1m]))" above 50', line: 14,
  },
  { name: "right-size auto with a CPU HPA", spec: MESH + svc("  replicas 2 to 8 at cpu 70%\n  right-size auto"), code: "FIN4019", covers: "right-size auto", line: 14 },
  { name: "right-size auto with a KEDA CPU trigger", spec: MESH + svc('  replicas 2 to 8 at cpu 70%\n  scale on kafka "orders" lag 100\n  right-size auto'), code: "FIN4019", covers: "right-size auto", line: 15 },
  { name: "rollout together with a traffic split", spec: MESH + svc('  split v1 90%, v2 10% "r.io/worker:2"\n  rollout canary 10%, 50%'), code: "FIN4020", covers: "rollout canary 10%, 50%", line: 14 },
  { name: "critical service on spot nodes", spec: MESH + svc("  tier critical\n  spot yes"), code: "FIN4021", covers: "spot yes", line: 14 },
  { name: "auth from an undeclared secret store", spec: MESH + svc('  replicas 1 to 4\n  scale on kafka "orders" lag 10 auth vualt "kafka/worker"'), code: "FIN2004", covers: "vualt", line: 14 },
  { name: "SQS URL that is not a queue URL", spec: MESH + svc('  replicas 1 to 4\n  scale on queue sqs "https://example.com/q" depth 5'), code: "FIN3001", covers: '"https://example.com/q"', line: 14 },
  { name: "unknown event source", spec: MESH + svc('  replicas 1 to 4\n  scale on rabbit "q" depth 5'), code: "FIN3007", covers: "rabbit", line: 14 },
  { name: "unknown rollout condition", spec: MESH + svc("  rollout canary 10% while errors < 1%"), code: "FIN3007", covers: "errors", line: 13 },
];

describe("scaling and delivery checks", () => {
  itReportsEach(cases);

  it("accepts the documented forms without any diagnostic", () => {
    const spec = MESH + svc([
      "  replicas 0 to 20",
      '  scale on kafka "payments.events" lag 500 group "fraud" brokers "kafka-0.kafka:9092,kafka-1.kafka:9092" auth vault "kafka/worker" sasl scram-sha256',
      '  scale on queue sqs "https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo" depth 100',
      '  scale on prometheus "sum(rate(http_requests_total[1m]))" above 50 server "http://prometheus.monitoring:9090"',
      '  scale on cron "0 7 * * MON-FRI" to "0 19 * * 1-5" replicas 10 timezone "Europe/London"',
      "  right-size auto",
      "  rollout canary 10%, 50%, 100% pause 5m while error-rate < 1%, latency p99 < 300ms",
      "  spot yes",
    ].join("\n")) + svc("  rollout blue-green preview web-next promote manual while error-rate < 0.5%", "web");
    // FIN4054 (no account/cluster to annotate the SQS role with) is about the platform, not these forms.
    expect(diagnosticsOf({ "main.fin": spec }).filter((d) => d.code !== "FIN4054")).toEqual([]);
  });

  it("right-size recommend may sit next to a CPU HPA; auto next to event-only scaling", () => {
    expect(diagnosticsOf({ "main.fin": MESH + svc("  replicas 2 to 8 at cpu 70%\n  right-size recommend") })).toEqual([]);
    expect(diagnosticsOf({ "main.fin": MESH + svc('  replicas 2 to 8\n  scale on kafka "orders" lag 100\n  right-size auto') })).toEqual([]);
  });

  it("validates cron expressions field by field", () => {
    for (const ok of ["0 7 * * 1-5", "*/15 * * * *", "0 0 1 JAN,JUL *", "30 6 * * SUN", "0 9-17/2 * * 1-5"]) expect(cronProblem(ok), ok).toBeUndefined();
    expect(cronProblem("0 7 * * 1-5 2024")).toBe("it has 6 fields, not 5");
    expect(cronProblem("60 * * * *")).toMatch(/minute/);
    expect(cronProblem("0 0 0 * *")).toMatch(/day of month/);
    expect(cronProblem("0 0 * 13 *")).toMatch(/month/);
    expect(cronProblem("0 0 * * 5-1")).toMatch(/backwards/);
    expect(cronProblem("*/0 * * * *")).toMatch(/step/);
  });

  it("recognises IANA zone names", () => {
    for (const ok of ["Europe/London", "America/Argentina/Buenos_Aires", "UTC", "Etc/UTC", "Etc/GMT+2", "Asia/Kolkata"]) expect(isIanaZone(ok), ok).toBe(true);
    for (const bad of ["CET+1", "london", "Europe/", "Mars/Olympus", "EST5EDT;"]) expect(isIanaZone(bad), bad).toBe(false);
  });
});
