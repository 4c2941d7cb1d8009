import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { DeclInfo, DeclarationTable } from "./declarations.js";
import type { FieldValues } from "./read-fields.js";
import type { Ref } from "./readers.js";

/** Kinds whose pods nobody calls: they have no Service to call. */
const UNCALLABLE: Readonly<Record<string, string>> = {
  worker: "A worker has no port and no Service: it consumes from a queue or topic. Publish to what it consumes, or make it a `service` with a `port` if it serves requests.",
  job: "A job runs to completion and has no Service. Call the services it writes to from the job instead, or make it a `service`.",
  cronjob: "A cronjob runs on its schedule and has no Service. Call the services it writes to from the cronjob instead, or make it a `service`.",
};

/** `calls <worker|job|cronjob>` is FIN3024: there is nothing to connect to. */
export function checkCallTargets(v: FieldValues, table: DeclarationTable, report: (d: Diagnostic) => void): void {
  for (const call of v.all<Ref[]>("calls").flat()) {
    const t = table.lookup("workload", call.name);
    const hint = t && UNCALLABLE[t.kind];
    if (hint) report(diag("FIN3024", call.range, { message: `'${call.name}' is a ${t.kind}: nothing can call it.`, hint }));
  }
}

/**
 * FIN3027: run policies that cannot work. The CronJob controller looks for due runs every
 * 10 seconds, so a shorter starting deadline may never start a run; keeping no failed Job
 * hides every failure from `kubectl` and from the failure alert.
 */
export function checkBatchPolicy(d: DeclInfo, v: FieldValues, report: (d: Diagnostic) => void): void {
  if (d.kind !== "cronjob") return;
  const deadline = v.get<{ ms: number; range: SourceRange }>("starting-deadline");
  if (deadline && deadline.ms < 10_000)
    report(diag("FIN3027", deadline.range, { message: `A starting deadline under 10s may never start '${d.name}': the CronJob controller checks for due runs every 10 seconds.`, hint: "Write `starting-deadline 1m` or more (the default is 10m)." }));
  const history = v.get<{ failed?: number; failedRange?: SourceRange }>("history");
  if (history?.failed === 0 && history.failedRange)
    report(diag("FIN3027", history.failedRange, { message: `'${d.name}' keeps no failed run: a failure leaves nothing to inspect and nothing for the failure alert to see.`, hint: "Keep at least one: `history failed 1` (the default is 3)." }));
}
