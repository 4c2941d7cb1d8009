import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { run, type Io } from "../../compiler/cli/main.js";

/** Runs one `finc` invocation in-process (no Node start-up), capturing stdout and stderr. */
export async function runFinc(args: readonly string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), cwd, color: false };
  const code = await run(args, io);
  return { code, out, err };
}

/** Every file below `dir`, recursively. */
export function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesBelow(p) : [p];
  });
}
