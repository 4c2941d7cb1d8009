import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { single } from "../readers.js";
import { field } from "./field-spec.js";
import { RANGES } from "./value-ranges.js";

/** What `recovery rpo … rto …` reads; checked by check-recovery.ts against model/recovery.ts's estimate. */
export interface RecoveryRead {
  readonly rpoMs: number;
  readonly rtoMs: number;
  readonly range: SourceRange;
}

export const recoveryField = field({
  doc:
    "Recovery objectives the database's configuration must meet, checked at compile time: `rpo` is how much committed data a recovery may lose, `rto` how long it may take. " +
    "The scenario is the worst the platform plans for: with two or more `regions`, the loss of the primary region; otherwise the loss of the database itself (every instance, its volumes). " +
    "finc estimates both from the backups (continuous WAL archiving or snapshots), `replicate to` and the storage size, with the assumptions in model/recovery.ts, explains an objective the configuration cannot meet (FIN4068, FIN4069), and tunes what it emits to meet it (WAL segments switched at least every `rpo`, S3 Replication Time Control on the backup bucket's replica).",
  syntax: "rpo <duration> rto <duration>",
  example: "rpo 30m rto 1h",
  values: ["rpo"],
  keywords: { "#": ["rto"] },
  numbers: [RANGES.rpo, RANGES.rto],
  read: (ctx) =>
    single(ctx, (r): RecoveryRead | undefined => {
      const start = r.peek();
      if (!r.accept("rpo")) return r.mismatch("'rpo'", r.peek());
      const rpoMs = r.duration(RANGES.rpo);
      if (rpoMs === undefined) return undefined;
      if (!r.accept("rto")) return r.mismatch("'rto'", r.peek());
      const rtoMs = r.duration(RANGES.rto);
      if (rtoMs === undefined) return undefined;
      return { rpoMs, rtoMs, range: { file: ctx.file, start: start!.start, end: ctx.member.end } };
    }),
});
