import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { single } from "../readers.js";
import { field } from "./field-spec.js";
import { readCron } from "./scaling-fields.js";
import { RANGES } from "./value-ranges.js";

/** What `chaos` reads; model/chaos-model.ts derives the experiments from the call graph. */
export interface ChaosRead {
  readonly environments: readonly { readonly name: string; readonly range: SourceRange }[];
  readonly schedule?: string;
  readonly latencyMs?: number;
  readonly durationMs?: number;
  readonly allowProduction: boolean;
  readonly range: SourceRange;
}

const OPTIONS = ["schedule", "latency", "for", "allow-production"] as const;

export const chaosField = field({
  doc:
    "Chaos experiments (Chaos Mesh `Schedule`s) in the environments named, derived from the call graph: kill one replica of every service that runs at least two, add `latency` to every call between services, and partition every database from its callers, each for `for` (default 2m) on `schedule` (default 10:00 on Tuesdays to Thursdays). A production environment (prod, production) is refused unless `allow-production`.",
  syntax: '<environment> … [schedule "<cron>"] [latency <duration>] [for <duration>] [allow-production]',
  example: 'staging schedule "0 10 * * 2-4" latency 200ms for 2m',
  keywords: { "*": [...OPTIONS] },
  numbers: [RANGES.chaosLatency, RANGES.chaosDuration],
  read: (ctx) =>
    single(ctx, (r): ChaosRead | undefined => {
      const start = r.peek();
      const environments: { name: string; range: SourceRange }[] = [];
      while (!r.done && !(OPTIONS as readonly string[]).includes(r.peekWord() ?? "")) {
        const w = r.word("an environment name");
        if (!w) return undefined;
        environments.push({ name: w.name, range: w.range });
      }
      if (!environments.length) return r.mismatch("an environment name such as staging", r.peek());
      let schedule: string | undefined;
      let latencyMs: number | undefined;
      let durationMs: number | undefined;
      let allowProduction = false;
      while (!r.done) {
        if (r.accept("schedule")) {
          schedule = readCron(r)?.cron;
          if (!schedule) return undefined;
        } else if (r.accept("latency")) {
          latencyMs = r.duration(RANGES.chaosLatency);
          if (latencyMs === undefined) return undefined;
        } else if (r.accept("for")) {
          durationMs = r.duration(RANGES.chaosDuration);
          if (durationMs === undefined) return undefined;
        } else if (r.accept("allow-production")) allowProduction = true;
        else break;
      }
      return { environments, ...(schedule ? { schedule } : {}), ...(latencyMs !== undefined ? { latencyMs } : {}), ...(durationMs !== undefined ? { durationMs } : {}), allowProduction, range: { file: ctx.file, start: start!.start, end: ctx.member.end } };
    }),
});
