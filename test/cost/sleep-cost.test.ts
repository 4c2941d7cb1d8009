import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../compiler/cli/main.js";
import { asleepHoursPerWeek, awakeFraction } from "../../compiler/model/sleep.js";
import { estimateCost } from "../../compiler/model/cost/estimate.js";
import { compileSources } from "../helpers/compile.js";

const spec = (sleep: string) => `platform bank {
  cloud        aws
  regions      eu-west-1 primary
  environments dev, prod
}
namespace apps {
  security restricted
}
service api {
  namespace apps
  image     "r.io/api:1.0.0"
  port      http 8080
  cpu       500m
  memory    1Gi
  replicas  2 to 4 at cpu 70%
}
worker indexer {
  namespace apps
  image     "r.io/indexer:1.0.0"
  cpu       250m
  memory    512Mi
  replicas  3
  spot      yes
}
cronjob report {
  namespace apps
  image     "r.io/report:1.0.0"
  schedule  "0 2 * * *"
}
environment dev {
  platform.sleep ${sleep}
}
`;

// AWS eu-west-1 list prices (prices.ts): Fargate 0.04456 USD per vCPU-hour, 0.004865 per GiB-hour, spot 70% off, 730 h.
const API_REPLICA = (0.5 * 0.04456 + 1 * 0.004865) * 730; // 19.81585 a month, always on
const INDEXER = 3 * (0.25 * 0.04456 + 0.5 * 0.004865) * 730 * 0.3; // 8.9171325, always on

const cost = (sleep: string, env = "dev") => {
  const program = compileSources({ "main.fin": spec(sleep) });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return estimateCost(program.checked.models.get(env)!)!;
};
const line = (c: ReturnType<typeof cost>, name: string) => c.lines.find((l) => l.name === name)!;

describe("finc cost bills only the hours a sleeping workload is awake", () => {
  it("computes the asleep hours of a 168-hour week exactly", () => {
    const at = (nights: { from: number; to: number } | undefined, weekends: boolean) => ({ ...(nights ? { nights } : {}), weekends, timezone: "Etc/UTC", origin: { file: "x", start: 0, end: 0 } });
    // Awake 07:00–20:00 = 13 h a day: Monday–Friday 5 × 13 = 65 h, so 168 − 65 = 103 h asleep.
    expect(asleepHoursPerWeek(at({ from: 20 * 60, to: 7 * 60 }, true))).toBe(103);
    // Every night 11 h: 7 × 11 = 77.
    expect(asleepHoursPerWeek(at({ from: 20 * 60, to: 7 * 60 }, false))).toBe(77);
    // Saturday and Sunday: 48.
    expect(asleepHoursPerWeek(at(undefined, true))).toBe(48);
    // 22:30–06:15 every night: awake 16.25 h a day, 7 × 16.25 = 113.75, asleep 54.25.
    expect(asleepHoursPerWeek(at({ from: 22 * 60 + 30, to: 6 * 60 + 15 }, false))).toBe(54.25);
    expect(awakeFraction(at({ from: 20 * 60, to: 7 * 60 }, true))).toBeCloseTo(65 / 168, 12);
  });

  it("nights and weekends: services and workers at 65/168 of the month, with the note; cron jobs still 0; prod in full", () => {
    const dev = cost("nights weekends");
    expect(line(dev, "api").monthly.min).toBeCloseTo(2 * API_REPLICA * 65 / 168, 6); // 15.33...
    expect(line(dev, "api").monthly.max).toBeCloseTo(4 * API_REPLICA * 65 / 168, 6);
    expect(line(dev, "api").note).toBe("sleeps 103 h/week");
    expect(line(dev, "indexer").monthly.min).toBeCloseTo(INDEXER * 65 / 168, 6);
    expect(line(dev, "indexer").note).toBe("spot, sleeps 103 h/week");
    expect(line(dev, "report").monthly).toEqual({ min: 0, max: 0 });
    expect(dev.monthly.min).toBeCloseTo((2 * API_REPLICA + INDEXER) * 65 / 168, 6);
    const prod = cost("nights weekends", "prod");
    expect(line(prod, "api").monthly.min).toBeCloseTo(2 * API_REPLICA, 6);
    expect(line(prod, "api").note).toBeUndefined();
  });

  it("weekends only: 120/168 of the month; nights only: 91/168", () => {
    expect(line(cost("weekends"), "api").monthly.min).toBeCloseTo(2 * API_REPLICA * 120 / 168, 6);
    expect(line(cost("weekends"), "api").note).toBe("sleeps 48 h/week");
    expect(line(cost('nights "20:00-07:00"'), "api").monthly.max).toBeCloseTo(4 * API_REPLICA * 91 / 168, 6);
    expect(line(cost('nights "20:00-07:00"'), "api").note).toBe("sleeps 77 h/week");
  });
});

describe("finc cost on the command line with a sleeping environment", () => {
  it("prints the awake-hours figures and the note column 'sleeps 103 h/week'", async () => {
    const d = mkdtempSync(join(tmpdir(), "finc-sleep-cost-"));
    writeFileSync(join(d, "main.fin"), spec("nights weekends"));
    let out = "";
    let err = "";
    const code = await run(["cost", ".", "--env", "dev"], { out: (t) => (out += t), err: (t) => (err += t), cwd: d, color: false });
    expect(code, err).toBe(0);
    // 2 × 19.81585 × 65/168 = 15.33 and 4 × … = 30.67 (USD a month).
    expect(out).toMatch(/apps +api +service +2–4 +15\.33 +30\.67 +sleeps 103 h\/week/);
    expect(out).toMatch(/apps +indexer +worker +3 +3\.45 +3\.45 +spot, sleeps 103 h\/week/);
  });
});
