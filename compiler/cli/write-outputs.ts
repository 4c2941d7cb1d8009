import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, readdirSync, rmdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { OutputFile } from "../emit/output.js";

/** finc's record of what it wrote into an output directory, so the next build can remove only its own stale files. */
export const MANIFEST = ".finc/manifest.json";

export interface WriteResult {
  readonly written: number;
  readonly unchanged: number;
  readonly removed: number;
}

export class OutputConflict extends Error {
  constructor(readonly paths: string[]) {
    super(`refusing to overwrite ${paths.length} file(s) finc did not write: ${paths.slice(0, 5).join(", ")}${paths.length > 5 ? ", …" : ""}`);
  }
}

function readManifest(outDir: string): Set<string> {
  try {
    const m = JSON.parse(readFileSync(join(outDir, MANIFEST), "utf8")) as { files?: unknown };
    return new Set(Array.isArray(m.files) ? m.files.filter((f): f is string => typeof f === "string") : []);
  } catch {
    return new Set();
  }
}

/**
 * Writes the build's files. Files finc wrote before and no longer produces are
 * removed; files finc never wrote are never touched: a path that collides with one
 * is an error before anything is written. Each file is written to a temporary name
 * and renamed, so a crash never leaves half a manifest behind.
 */
export function writeOutputs(outDir: string, files: readonly OutputFile[]): WriteResult {
  const previous = readManifest(outDir);
  const conflicts = files.filter((f) => !previous.has(f.path) && existsSync(join(outDir, f.path))).map((f) => f.path);
  if (conflicts.length) throw new OutputConflict(conflicts);
  let written = 0;
  let unchanged = 0;
  for (const f of files) {
    const target = join(outDir, f.path);
    if (existsSync(target) && readFileSync(target, "utf8") === f.content) {
      unchanged++;
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.finc-tmp`;
    writeFileSync(tmp, f.content);
    renameSync(tmp, target);
    written++;
  }
  const current = new Set(files.map((f) => f.path));
  let removed = 0;
  for (const old of [...previous].sort()) {
    if (current.has(old)) continue;
    const target = join(outDir, old);
    if (existsSync(target)) {
      rmSync(target);
      removed++;
      removeEmptyParents(outDir, dirname(target));
    }
  }
  mkdirSync(join(outDir, ".finc"), { recursive: true });
  writeFileSync(join(outDir, MANIFEST), JSON.stringify({ generator: "finc", files: [...current].sort() }, null, 2) + "\n");
  return { written, unchanged, removed };
}

function removeEmptyParents(root: string, dir: string): void {
  while (dir.startsWith(root) && dir !== root) {
    if (readdirSync(dir).length) return;
    rmdirSync(dir);
    dir = dirname(dir);
  }
}
