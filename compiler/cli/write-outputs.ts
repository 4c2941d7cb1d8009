/**
 * The only code that writes a build's output. What it guarantees and why:
 *
 * All or nothing. The new output is written in full into a staging directory next
 * to `--out` (`<parent>/.<out>.finc-staging-<pid>`, same file system, so renames
 * between them are atomic), manifest last (temp file + rename). Then:
 *   1. the journal `<parent>/.<out>.finc-journal-<pid>.json` is written (temp +
 *      rename), listing the entries of `--out` finc did not write (a `.git`, a
 *      README, a hand-written file next to finc's);
 *   2. those entries are renamed into staging, so the new output carries them;
 *   3. rename(out → `.<out>.finc-old-<pid>`), rename(staging → out): the commit;
 *   4. the old directory is deleted (only the files its manifest lists), then the journal.
 * Until step 2 `--out` is untouched: a process killed there leaves exactly the
 * previous build. After step 3 it is exactly the new one. Steps 2 and 3 are a
 * handful of rename() calls with no I/O in between (one per user entry, plus
 * two): killed inside them, `--out` holds the previous build with some of the
 * user's entries already in staging (2), or is momentarily absent (3); never a
 * mix of two builds. The next build (under the lock) finishes any dead build
 * first, see recoverInterruptedBuilds: before the commit it moves the user's
 * entries back and deletes staging, between the two renames it completes the
 * swap, after it deletes the old output. No manual cleanup is ever needed.
 * This holds against the process dying (kill -9, OOM, crash); files are not
 * fsync'ed, so an operating-system crash or power loss may lose recent writes.
 *
 * Confinement. finc writes only into its own fresh staging directory, so it
 * never writes through a symlink. In `--out` it only renames entries and reads
 * and hard-links its own unchanged files, all located with lstat, component by
 * component: a symlink where a file of the build goes, or on the way to it, is an
 * error; a manifest entry that is absolute, has '..' or lies below a symlink or
 * non-directory is ignored with a warning (never deleted), a listed symlink is
 * deleted as a link. A file finc did not write is never replaced (OutputConflict).
 *
 * One build at a time: the whole sequence runs under build-lock.ts's lock.
 */
import { chmodSync, closeSync, fstatSync, linkSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { OutputFile } from "../emit/output.js";
import { acquireBuildLock } from "./build-lock.js";
import { MANIFEST, OutputTree, readManifest, unsafePathReason } from "./output-tree.js";
import { moveEntry, recoverInterruptedBuilds, removeOldOutput, settle, siblingsOf, writeJournal } from "./staging.js";

export { MANIFEST } from "./output-tree.js";

export interface WriteResult {
  /** Files that are new or whose content changed. */
  readonly written: number;
  /** Files whose content is byte-for-byte the previous build's (kept as the same file: hard link). */
  readonly unchanged: number;
  /** Files of the previous build that this build no longer produces. */
  readonly removed: number;
}

export class OutputConflict extends Error {
  constructor(readonly paths: string[]) {
    super(`refusing to overwrite ${paths.length} file(s) finc did not write: ${paths.slice(0, 5).join(", ")}${paths.length > 5 ? ", …" : ""}`);
  }
}

/** A symlink inside `--out` where the build needs a file or a directory: finc never writes through one. */
export class SymlinkInOutput extends Error {
  constructor(readonly paths: string[]) {
    super(
      `refusing to write through ${paths.length} symbolic link(s) inside the output directory: ${paths.slice(0, 5).join(", ")}${paths.length > 5 ? ", …" : ""}; remove the link(s) or choose another --out`,
    );
  }
}

interface Plan {
  /** Validated paths of the previous build (file or symlink, or already gone). */
  readonly previous: ReadonlySet<string>;
  /** Entries of `--out` finc did not write, to carry over (whole directories where possible). */
  readonly userEntries: readonly string[];
  readonly tree: OutputTree;
}

const dirsOf = (paths: Iterable<string>): Set<string> => {
  const dirs = new Set<string>();
  for (const p of paths) for (let i = p.indexOf("/"); i !== -1; i = p.indexOf("/", i + 1)) dirs.add(p.slice(0, i));
  return dirs;
};

/** Reads `--out` (lstat only) and decides what the swap does; throws before anything is changed when it must not happen. */
function plan(outDir: string, files: readonly OutputFile[], warn: (message: string) => void): Plan {
  for (const f of files) {
    const reason = unsafePathReason(f.path);
    if (reason || f.path === MANIFEST) throw new Error(`internal error: output path '${f.path}' is not a safe relative path${reason ? ` (${reason})` : ""}`);
  }
  const tree = new OutputTree(outDir);
  const manifest = readManifest(outDir);
  for (const { entry, reason } of manifest.ignored) warn(`ignoring manifest entry '${entry}': ${reason}; finc never deletes outside the output directory`);
  const previous = new Set<string>();
  for (const entry of manifest.entries) {
    const bad = tree.badAncestor(entry);
    const kind = tree.kind(entry);
    if (bad) warn(`ignoring manifest entry '${entry}': '${bad.path}' is ${bad.kind === "link" ? "a symbolic link" : "not a directory"}; finc never deletes through one`);
    else if (kind === "dir" || kind === "other") warn(`ignoring manifest entry '${entry}': it is not a file finc wrote`);
    else previous.add(entry);
  }

  const conflicts = new Set<string>();
  const links = new Set<string>();
  for (const f of files) {
    const bad = tree.badAncestor(f.path);
    const at = bad ?? { path: f.path, kind: tree.kind(f.path) };
    if (at.kind === "missing") continue;
    if (at.kind === "link") links.add(at.path);
    else if (at.kind !== "file" || !previous.has(at.path)) conflicts.add(at.path);
  }
  if (links.size) throw new SymlinkInOutput([...links].sort());
  if (conflicts.size) throw new OutputConflict([...conflicts].sort());

  const fincFiles = new Set([...previous, MANIFEST]);
  const fincDirs = dirsOf([...fincFiles, ...files.map((f) => f.path)]);
  const userEntries: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(outDir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const kind = tree.kind(r);
      if (fincFiles.has(r) && (kind === "file" || kind === "link")) continue;
      if (kind === "dir" && fincDirs.has(r)) walk(r);
      else userEntries.push(r);
    }
  };
  if (tree.kind("") === "dir") walk("");
  return { previous, userEntries, tree };
}

/** Writes the complete new output into `staging`; unchanged files are hard-linked from `--out` (same content, same file). */
function stage(outDir: string, staging: string, files: readonly OutputFile[], p: Plan): { written: number; unchanged: number } {
  mkdirSync(staging);
  if (p.tree.kind("") === "dir") chmodSync(staging, statSync(outDir).mode & 0o7777);
  // Each directory is created once, parents first (no recursive mkdir probing every level).
  const made = new Set<string>(["."]);
  const ensureDir = (rel: string): void => {
    if (made.has(rel)) return;
    ensureDir(dirname(rel));
    mkdirSync(join(staging, rel));
    made.add(rel);
  };
  let written = 0;
  let unchanged = 0;
  for (const f of files) {
    ensureDir(dirname(f.path));
    const target = join(staging, f.path);
    const same = p.previous.has(f.path) && p.tree.kind(f.path) === "file" && sameContent(join(outDir, f.path), f.content);
    if (same) unchanged++;
    else written++;
    if (same) {
      try {
        linkSync(join(outDir, f.path), target);
        continue;
      } catch {
        /* no hard links on this file system: write a copy */
      }
    }
    // With the encoding given, Node writes a string in one native call (open, write, close): no Buffer copy.
    writeFileSync(target, f.content, { flag: "wx", encoding: "utf8" });
  }
  ensureDir(dirname(MANIFEST));
  const manifest = join(staging, MANIFEST);
  writeFileSync(`${manifest}.tmp`, JSON.stringify({ generator: "finc", files: files.map((f) => f.path).sort() }, null, 2) + "\n");
  renameSync(`${manifest}.tmp`, manifest);
  return { written, unchanged };
}

/** rename(out → old), with the reason spelled out when the directory cannot be moved (a mount point, another file system). */
function moveAside(outDir: string, old: string): void {
  try {
    renameSync(outDir, old);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EBUSY" && code !== "EXDEV" && code !== "EPERM" && code !== "EACCES") throw e;
    throw new Error(
      `cannot move ${outDir} aside to replace it (${code}): finc swaps the whole output directory, so --out must not be a mount point and its parent must be writable; mount or choose the parent directory instead`,
    );
  }
}

/** One open, fstat and (when the sizes agree) read: the file's bytes are compared only when they can be equal. */
function sameContent(path: string, content: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    if (size !== Buffer.byteLength(content)) return false;
    const bytes = Buffer.allocUnsafe(size);
    let n = 0;
    while (n < size) {
      const r = readSync(fd, bytes, n, size - n, n);
      if (r === 0) return false;
      n += r;
    }
    return bytes.toString("utf8") === content;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Replaces the output directory with the build's files (see the comment at the
 * top of this file). Files finc wrote before and no longer produces are gone
 * afterwards; files finc never wrote are carried over untouched.
 */
export function writeOutputs(outDir: string, files: readonly OutputFile[], warn: (message: string) => void = () => {}): WriteResult {
  mkdirSync(dirname(outDir), { recursive: true });
  const release = acquireBuildLock(outDir);
  try {
    recoverInterruptedBuilds(outDir, warn);
    const p = plan(outDir, files, warn);
    const current = new Set(files.map((f) => f.path));
    const removed = [...p.previous].filter((e) => !current.has(e) && p.tree.kind(e) !== "missing").length;
    const s = siblingsOf(outDir, process.pid);
    const hadOut = p.tree.kind("") === "dir";
    let counts: { written: number; unchanged: number };
    try {
      counts = stage(outDir, s.staging, files, p);
      writeJournal(s.journal, { moved: [...p.userEntries] });
      for (const rel of p.userEntries) moveEntry(outDir, s.staging, rel);
      if (hadOut) moveAside(outDir, s.old);
      renameSync(s.staging, outDir);
    } catch (e) {
      settle(outDir, s, warn);
      throw e;
    }
    try {
      if (hadOut) removeOldOutput(s.old, warn);
    } catch (e) {
      warn(`could not delete the previous output in ${s.old} (${(e as Error).message}); the next build will`);
    }
    rmSync(s.journal, { force: true });
    return { ...counts, removed };
  } finally {
    release();
  }
}
