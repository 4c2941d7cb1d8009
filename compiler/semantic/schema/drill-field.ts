import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { single } from "../readers.js";
import { field } from "./field-spec.js";
import { readCron } from "./scaling-fields.js";
import type { ValueRange } from "./value-ranges.js";

/** What `drill` reads; model/drill-model.ts lowers it and check-drills.ts checks it. */
export interface DrillRead {
  /** A five-field cron schedule (UTC): `daily`, `weekly` and `monthly` name one. */
  readonly schedule: string;
  readonly query?: { readonly text: string; readonly range: SourceRange };
  readonly timeoutMs?: number;
  /** `into namespace <scratch>`: restore as a whole CloudNativePG Cluster in that namespace (emit/drills/into-namespace.ts). */
  readonly into?: { readonly name: string; readonly range: SourceRange };
  readonly range: SourceRange;
}

const HOUR = 3_600_000;

/** The drill's run deadline: the restore, WAL replay and the query must finish within it. */
export const DRILL_TIMEOUT_RANGE: ValueRange = { kind: "duration", what: "The drill's deadline", target: "Job activeDeadlineSeconds (int64, whole seconds)", min: 10 * 60_000, max: 48 * HOUR, step: 1000, example: "weekly timeout 4h" };

/** Named periods: at 04:00 UTC, away from the nightly batch and the backups' 03:00. */
export const DRILL_PERIODS = { daily: "0 4 * * *", weekly: "0 4 * * 0", monthly: "0 4 1 * *" } as const;

export const drillField = field({
  doc:
    "A scheduled disaster-recovery drill: a CronJob restores the latest base backup and the archived WAL from the database's object store (S3, GCS or Azure Blob) into a scratch volume (barman-cloud, what CloudNativePG's `recovery` bootstrap runs), starts PostgreSQL on it, runs `select 1` and the `query` in the database, and exits non-zero on any failure. " +
    "The measured restore time (the Job's run time) is recorded as `finc:drill_restore_seconds`; alerts fire when a drill fails, has not succeeded within its period, or restored slower than `recovery … rto`. " +
    "It reads the archive as a read-only cloud identity of its own (IRSA, GKE or Azure Workload Identity; the terraform target creates it). " +
    "Needs WAL archiving to the object store: an operator-run database with `backup`, on aws with `account`, gcp with `account` and `cluster`, azure with `account` and `resource-group` (FIN4077); on azure the drill waits for its client ID in `client-ids` (FIN4103). " +
    "`into namespace <scratch>` (cloud aws and gcp) measures the operator's whole path instead: the CronJob creates a one-instance CloudNativePG Cluster bootstrapped by `recovery` from the same archive in that scratch namespace, waits for it to be Ready, runs the queries in it and deletes it.",
  syntax: 'daily | weekly | monthly | "<cron>" [query "<sql>"] [timeout <duration>] [into namespace <scratch>]',
  example: 'weekly query "select count(*) from accounts"',
  values: Object.keys(DRILL_PERIODS),
  keywords: { "*": ["query", "timeout", "into"], '"': ["query", "timeout", "into"], into: ["namespace"] },
  numbers: [DRILL_TIMEOUT_RANGE],
  read: (ctx) =>
    single(ctx, (r): DrillRead | undefined => {
      const start = r.peek();
      let schedule: string | undefined;
      if (start?.kind === "String") schedule = readCron(r, "a cron schedule such as \"0 4 * * 0\"")?.cron;
      else {
        const w = r.oneOf(Object.keys(DRILL_PERIODS) as (keyof typeof DRILL_PERIODS)[], "drill period");
        schedule = w && DRILL_PERIODS[w];
      }
      if (!schedule) return undefined;
      let query: DrillRead["query"];
      let timeoutMs: number | undefined;
      let into: DrillRead["into"];
      while (!r.done) {
        if (r.accept("query")) {
          const s = r.string("the verification query in a string");
          if (!s) return undefined;
          query = { text: s.value, range: s.range };
        } else if (r.accept("timeout")) {
          timeoutMs = r.duration(DRILL_TIMEOUT_RANGE);
          if (timeoutMs === undefined) return undefined;
        } else if (r.accept("into")) {
          if (!r.accept("namespace")) return r.mismatch("`namespace <scratch>`", r.peek());
          const w = r.word("the scratch namespace's name");
          if (!w) return undefined;
          into = { name: w.name, range: w.range };
        } else return r.mismatch("query, timeout or into namespace", r.peek());
      }
      return { schedule, ...(query ? { query } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(into ? { into } : {}), range: { file: ctx.file, start: start!.start, end: ctx.member.end } };
    }),
});
