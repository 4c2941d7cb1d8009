import { diag } from "../../diagnostics/messages.js";
import { rangeOf, type TermReader } from "../readers.js";
import { RANGES } from "./value-ranges.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Why an interval cannot be a regular cron schedule, or undefined. The Velero Schedule (and the
 * operator's ScheduledBackup) runs on a cron expression built from `every` (emit/backup): minutes
 * that divide an hour, hours that divide a day, or whole days of the month. `every 45m` would
 * become `*∕45 * * * *`, which fires at :00 and :45 — not every 45 minutes.
 */
export function cronIntervalProblem(ms: number): string | undefined {
  if (ms < HOUR) return 60 % (ms / MINUTE) === 0 ? undefined : "minutes that divide an hour (1m, 5m, 10m, 15m, 20m, 30m)";
  if (ms < DAY) return ms % HOUR === 0 && 24 % (ms / HOUR) === 0 ? undefined : "hours that divide a day (1h, 2h, 3h, 4h, 6h, 8h, 12h)";
  return ms % DAY === 0 ? undefined : "whole days (1d … 31d)";
}

/** `every <duration>` of `backup`: in RANGES.backupEvery, and a regular cron interval. */
export function readBackupInterval(r: TermReader): number | undefined {
  const at = r.peek();
  const ms = r.duration(RANGES.backupEvery);
  if (ms === undefined || !at) return ms;
  const why = cronIntervalProblem(ms);
  if (!why) return ms;
  r.ctx.report(diag("FIN3004", rangeOf(r.ctx, at), { what: RANGES.backupEvery.what, bound: why, value: at.kind === "Number" ? at.raw : "?", hint: "Backups run on a cron schedule, which repeats only at these intervals." }));
  return undefined;
}
