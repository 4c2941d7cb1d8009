import { renameSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../diagnostics/render-text.js";
import { formatSource } from "../format/format.js";
import type { Program } from "../program.js";
import { applyEdits, planImagePromotion, specEnvironments } from "../promote/promote-images.js";
import { UsageError } from "./args.js";

export interface PromoteIo {
  out(text: string): void;
  err(text: string): void;
  readonly cwd: string;
  readonly color: boolean;
}

/**
 * `finc promote <spec> --from <env> --to <env> [--check]`: rewrites the spec so that `--to` runs
 * the images `--from` runs (compiler/promote), the change a pipeline proposes as a pull request
 * once `--from` is deployed and healthy. Refuses a spec with errors; rewrites only the spec's own
 * files, each atomically (temporary file + rename), keeping a canonically formatted file
 * canonical; `--check` prints the changes and exits 1 when there are any, writing nothing.
 */
export function promoteCommand(program: Program, from: string | undefined, to: string | undefined, checkOnly: boolean, io: PromoteIo): number {
  if (!from || !to) throw new UsageError("promote needs --from <environment> and --to <environment>");
  if (hasErrors(program.diagnostics)) {
    io.err(renderDiagnostics(program.diagnostics, program.getSourceFile, { color: io.color, cwd: io.cwd }));
    io.err("finc: the spec has errors; nothing was promoted.\n");
    return 1;
  }
  const envs = specEnvironments(program);
  for (const e of [from, to]) if (!envs.includes(e)) throw new UsageError(`'${e}' is not an environment of the spec (${envs.join(", ")})`);
  if (from === to) throw new UsageError("--from and --to name the same environment");
  const plan = planImagePromotion(program, from, to);
  if (!plan.changes.length) {
    io.out(`finc: ${to} already runs every image of ${from}; nothing to promote.\n`);
    return 0;
  }
  for (const c of plan.changes) io.out(`${c.workload}: ${c.from} -> ${c.to}\n`);
  if (checkOnly) return 1;
  for (const [file, edits] of plan.edits) {
    const text = program.getSourceFile(file)!.text;
    let next = applyEdits(text, edits);
    // A file that was canonical stays canonical (the added lines aligned); any other keeps its layout.
    if (formatSource(text)?.changed === false) next = formatSource(next)?.text ?? next;
    const temp = `${file}.finc-promote-${process.pid}`;
    writeFileSync(temp, next);
    renameSync(temp, file);
    io.out(`finc: updated ${relative(io.cwd, file)}\n`);
  }
  io.out(`finc: ${to} now runs ${plan.changes.length} image${plan.changes.length === 1 ? "" : "s"} from ${from}; rebuild with 'finc build'.\n`);
  return 0;
}
