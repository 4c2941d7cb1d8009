// A writable, installed copy of a shared tool (../shared/tools/* is read-only in CI, so each README
// says: copy the folder, then npm install there). Installing costs seconds of CPU and, for a tool
// without a lock file, up to half a minute of registry round trips, and every test file used to
// pay it again. The copy is made once per content of the tool's folder (a hash of its files names
// the dir in the temp dir) and reused by every later test file; the tests only read it.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, sep } from "node:path";

/** Returns the installed copy's folder (named like the tool's, e.g. …/runtime-check). */
export function installedToolCopy(tool: string, npmArgs: readonly string[]): string {
  const name = basename(tool);
  const hash = createHash("sha256").update(npmArgs.join(" ")).update("\0");
  for (const f of readdirSync(tool, { recursive: true, encoding: "utf8" }).filter((f) => !f.split(sep).includes("node_modules")).sort()) {
    const p = join(tool, f);
    if (statSync(p).isFile()) hash.update(`${f}\0`).update(readFileSync(p)).update("\0");
  }
  const shared = join(tmpdir(), `finc-${name}-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(join(shared, "installed"))) return join(shared, name);
  const dir = mkdtempSync(join(tmpdir(), `finc-${name}-`));
  cpSync(tool, join(dir, name), { recursive: true, filter: (p) => !p.includes("node_modules") });
  execFileSync("npm", [...npmArgs], { cwd: join(dir, name), stdio: "ignore" });
  writeFileSync(join(dir, "installed"), "");
  // Test files run in parallel: the first complete install renamed into place wins; a loser uses the winner's.
  try {
    renameSync(dir, shared);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    if (!existsSync(join(shared, "installed"))) throw new Error(`installing ${name} into ${shared} failed`);
  }
  return join(shared, name);
}
