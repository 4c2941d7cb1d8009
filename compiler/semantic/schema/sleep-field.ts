import { DEFAULT_NIGHTS, DEFAULT_SLEEP_TIMEZONE, type SleepRead } from "../../model/sleep.js";
import { diag } from "../../diagnostics/messages.js";
import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { single } from "../readers.js";
import { field } from "./field-spec.js";
import { isIanaZone } from "./scaling-fields.js";

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * `sleep nights ["20:00-07:00"] [weekends] [timezone "<IANA zone>"] [in <env> …] | none` on the platform
 * (model/sleep.ts). Refused in production environments (check-sleep.ts, FIN4094).
 */
export const sleepField = field({
  doc:
    "Scale-down windows for non-production (mission area 15): outside working hours every `service` and `worker` scales to zero, through a KEDA ScaledObject whose cron trigger holds the workload's minimum replicas during working hours (`minReplicaCount: 0` otherwise; an HPA becomes the ScaledObject, an existing one gets the trigger). " +
    "`nights` sleeps from the evening to the morning (default \"20:00-07:00\", the evening after the morning), `weekends` from Saturday 00:00 to Monday morning; times are in `timezone` (default Etc/UTC). Jobs, cron jobs and databases are not stopped. `finc cost` bills only the awake hours. " +
    "`in dev staging` names the environments that sleep (or write it in a non-production environment's block: `environment dev { platform.sleep nights weekends }`); in an environment named prod or production, or `in` one the platform does not have, it is FIN4094. `sleep none` turns an inherited one off.",
  syntax: 'nights ["<HH:MM>-<HH:MM>"] [weekends] [timezone "<IANA zone>"] [in <environment> …] | weekends [timezone "<IANA zone>"] [in <environment> …] | none',
  example: 'nights "20:00-07:00" weekends timezone "Europe/London" in dev staging',
  values: ["nights", "weekends", "none"],
  keywords: { nights: ["weekends", "timezone", "in"], weekends: ["timezone", "in"], '"': ["weekends", "timezone", "in"] },
  read: (ctx) =>
    single(ctx, (r): SleepRead | "none" | undefined => {
      const start = r.peek();
      if (r.accept("none")) return "none";
      let nights: SleepRead["nights"];
      let weekends = false;
      if (r.accept("nights")) {
        nights = DEFAULT_NIGHTS;
        if (r.peek()?.kind === "String") {
          const s = r.string()!;
          const m = CLOCK.exec(s.value);
          if (!m) {
            ctx.report(diag("FIN3001", s.range, { field: ctx.field, expected: 'a window "<HH:MM>-<HH:MM>" on a 24-hour clock', found: `"${s.value}"`, hint: 'Write `sleep nights "20:00-07:00"`.' }));
            return undefined;
          }
          const from = Number(m[1]) * 60 + Number(m[2]);
          const to = Number(m[3]) * 60 + Number(m[4]);
          if (from <= to) {
            ctx.report(diag("FIN3001", s.range, { field: ctx.field, expected: "a night that starts in the evening and ends the next morning (the first time later than the second)", found: `"${s.value}"`, hint: 'Write `sleep nights "20:00-07:00"`: asleep from 20:00 until 07:00 the next day.' }));
            return undefined;
          }
          nights = { from, to };
        }
        weekends = r.accept("weekends");
      } else if (r.accept("weekends")) weekends = true;
      else return r.mismatch("'nights', 'weekends' or 'none'", r.peek(), "Write `sleep nights weekends` (20:00-07:00 and Saturday–Sunday, UTC).");
      let timezone = DEFAULT_SLEEP_TIMEZONE;
      if (r.accept("timezone")) {
        const z = r.string("an IANA time zone such as \"Europe/London\"");
        if (!z) return undefined;
        if (!isIanaZone(z.value)) {
          ctx.report(diag("FIN3001", z.range, { field: ctx.field, expected: 'an IANA time zone such as "Europe/London" or "Etc/UTC"', found: `"${z.value}"`, hint: "KEDA's cron scaler reads the IANA tz database name." }));
          return undefined;
        }
        timezone = z.value;
      }
      let environments: { name: string; range: SourceRange }[] | undefined;
      if (r.accept("in")) {
        environments = [];
        while (!r.done) {
          const w = r.word("an environment name");
          if (!w) return undefined;
          environments.push({ name: w.name, range: w.range });
        }
        if (!environments.length) return r.mismatch("an environment name such as dev", r.peek());
      }
      if (!r.done) return r.mismatch("the end of the line (or 'weekends', 'timezone', 'in')", r.peek());
      return { ...(nights ? { nights } : {}), weekends, timezone, ...(environments ? { environments } : {}), range: { file: ctx.file, start: start!.start, end: ctx.member.end } };
    }),
});
