import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { MANIFEST, OutputTree, readManifest, removeEmptyDirs } from "./output-tree.js";

/**
 * The directories and journal a build keeps next to `--out` (same parent, so every
 * rename between them is atomic) while it replaces it; see write-outputs.ts for the
 * protocol and recoverInterruptedBuilds below for how a dead build is finished.
 */
export interface Siblings {
  /** The complete new output is written here first. */
  readonly staging: string;
  /** The previous output, after it has been swapped out. */
  readonly old: string;
  /** Lists the user's entries moved from `--out` into staging; its existence means "staging is complete". */
  readonly journal: string;
}

export function siblingsOf(outDir: string, pid: number): Siblings {
  const base = join(dirname(outDir), `.${basename(outDir)}.finc-`);
  return { staging: `${base}staging-${pid}`, old: `${base}old-${pid}`, journal: `${base}journal-${pid}.json` };
}

export const lexists = (p: string): boolean => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

interface Journal {
  readonly moved: string[];
}

export function writeJournal(path: string, journal: Journal): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(journal) + "\n");
  renameSync(`${path}.tmp`, path);
}

function readJournal(path: string): Journal | undefined {
  try {
    const j = JSON.parse(readFileSync(path, "utf8")) as { moved?: unknown };
    return { moved: Array.isArray(j.moved) ? j.moved.filter((m): m is string => typeof m === "string") : [] };
  } catch {
    return undefined;
  }
}

/** Moves `rel` from one tree to the other (mkdir of its parents in `to`); false when `from` lacks it or `to` already has it. */
export function moveEntry(from: string, to: string, rel: string): boolean {
  if (!lexists(join(from, rel)) || lexists(join(to, rel))) return false;
  mkdirSync(dirname(join(to, rel)), { recursive: true });
  renameSync(join(from, rel), join(to, rel));
  return true;
}

/**
 * Deletes a swapped-out previous output: exactly the files its manifest lists (a
 * symlink is unlinked as a link, an entry below a symlinked directory is skipped),
 * then the directories left empty. Anything else in it was put there by someone
 * else during the build; it is kept and reported.
 */
export function removeOldOutput(old: string, warn: (message: string) => void): void {
  const tree = new OutputTree(old);
  for (const entry of [...readManifest(old).entries, MANIFEST]) {
    if (tree.badAncestor(entry)) continue;
    const k = tree.kind(entry);
    if (k === "file" || k === "link") unlinkSync(join(old, entry));
  }
  if (lexists(old) && lstatSync(old).isDirectory() && !removeEmptyDirs(old)) warn(`kept ${old}: it holds files finc did not write; move them back into the output directory if you need them`);
}

/**
 * Finishes or undoes the writes of a build that died (kill -9, crash, power
 * cut of the process) for `outDir`; the caller holds the build lock, so every
 * sibling found is a dead build's. The commit point is rename(staging → out):
 * - staging still there: the build had not committed; the user's entries it had
 *   moved into staging (journal) go back, staging is deleted;
 * - out missing, old and staging there: it died between its two renames; the
 *   swap is completed (staging is complete: the journal exists);
 * - old there: it had committed; the previous output is deleted.
 */
export function recoverInterruptedBuilds(outDir: string, warn: (message: string) => void): void {
  const parent = dirname(outDir);
  const prefix = `.${basename(outDir)}.finc-`;
  if (!existsSync(parent)) return;
  const pids = new Set<number>();
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(?:staging|old)-(\d+)$|^journal-(\d+)\.json(\.tmp)?$/.exec(name.slice(prefix.length));
    if (!m) continue;
    if (m[3]) unlinkSync(join(parent, name));
    else pids.add(Number(m[1] ?? m[2]));
  }
  for (const pid of pids) settle(outDir, siblingsOf(outDir, pid), warn);
}

/** Brings one build's siblings to a clean end (also used to undo a build that failed with an I/O error). */
export function settle(outDir: string, s: Siblings, warn: (message: string) => void): void {
  const journal = readJournal(s.journal);
  if (!lexists(outDir) && lexists(s.old) && lexists(s.staging) && journal) renameSync(s.staging, outDir);
  else if (!lexists(outDir) && lexists(s.old)) renameSync(s.old, outDir);
  if (lexists(s.staging)) {
    const stranded = (journal?.moved ?? []).filter((rel) => lexists(join(s.staging, rel)) && !moveEntry(s.staging, outDir, rel));
    if (stranded.length) warn(`kept ${s.staging}: it holds files of yours that could not be moved back into ${outDir}: ${stranded.slice(0, 5).join(", ")}`);
    else rmSync(s.staging, { recursive: true, force: true });
  }
  if (lexists(s.old)) removeOldOutput(s.old, warn);
  rmSync(s.journal, { force: true });
}
