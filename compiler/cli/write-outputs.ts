/**
 * The only code that writes a build's output. What it guarantees and why:
 *
 * All or nothing. The new output is written in full into a staging directory next
 * to `--out` (`<parent>/.<out>.finc-staging-<pid>`, same file system, so renames
 * between them are atomic), file by file as the build makes them (StagedOutput: a
 * streaming build holds one environment at a time), manifest last (temp file + rename).
 * A build with an error discards staging (abort). Then, at commit:
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
import { chmodSync, closeSync, fstatSync, linkSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { OutputFile } from "../emit/output.js";
import { acquireBuildLock } from "./build-lock.js";
import { MANIFEST, OutputTree, readManifest, unsafePathReason } from "./output-tree.js";
import { moveEntry, recoverInterruptedBuilds, removeOldOutput, settle, siblingsOf, writeJournal, type Siblings } from "./staging.js";

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

const dirsOf = (paths: Iterable<string>): Set<string> => {
  const dirs = new Set<string>();
  for (const p of paths) for (let i = p.indexOf("/"); i !== -1; i = p.indexOf("/", i + 1)) dirs.add(p.slice(0, i));
  return dirs;
};

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

/** A file written piece by piece (the source map): `write` as the pieces come, `close` once. */
/** How much set-aside text is read back at a time. */
const SCRATCH_CHUNK = 1 << 20;

export interface StreamedFile {
  write(text: string): void;
  close(): void;
}

/** Text set aside during a build and read back once, in order (never part of the output). */
export interface ScratchFile {
  write(text: string): void;
  /** Hands back everything written, in chunks, then deletes the file. */
  drain(into: (text: string) => void): void;
}

/**
 * A build's output while it is being made: files go straight into the staging directory as
 * they are added (nothing holds them), and `commit` swaps staging in as the new `--out` (see
 * the comment at the top of this file). Conflicts, symlinks and write errors are collected
 * while adding and thrown by `commit`, which leaves `--out` untouched then; `abort` discards
 * the staging directory. Either ends the session (and releases the build lock).
 */
export class StagedOutput {
  private readonly previous = new Set<string>();
  private readonly tree: OutputTree;
  private readonly siblings: Siblings;
  private readonly hadOut: boolean;
  private readonly paths = new Set<string>();
  private readonly conflicts = new Set<string>();
  private readonly links = new Set<string>();
  private failure: unknown;
  private readonly made = new Set<string>(["."]);
  private written = 0;
  private unchanged = 0;
  private release: (() => void) | undefined;
  private readonly scratches = new Set<string>();
  private scratchCount = 0;

  /** Takes the build lock, finishes any dead build, reads the previous build's manifest and creates the staging directory. */
  constructor(
    private readonly outDir: string,
    private readonly warn: (message: string) => void = () => {},
  ) {
    mkdirSync(dirname(outDir), { recursive: true });
    this.release = acquireBuildLock(outDir);
    try {
      recoverInterruptedBuilds(outDir, warn);
      this.tree = new OutputTree(outDir);
      const manifest = readManifest(outDir);
      for (const { entry, reason } of manifest.ignored) warn(`ignoring manifest entry '${entry}': ${reason}; finc never deletes outside the output directory`);
      for (const entry of manifest.entries) {
        const bad = this.tree.badAncestor(entry);
        const kind = this.tree.kind(entry);
        if (bad) warn(`ignoring manifest entry '${entry}': '${bad.path}' is ${bad.kind === "link" ? "a symbolic link" : "not a directory"}; finc never deletes through one`);
        else if (kind === "dir" || kind === "other") warn(`ignoring manifest entry '${entry}': it is not a file finc wrote`);
        else this.previous.add(entry);
      }
      this.siblings = siblingsOf(outDir, process.pid);
      this.hadOut = this.tree.kind("") === "dir";
      mkdirSync(this.siblings.staging);
      if (this.hadOut) chmodSync(this.siblings.staging, statSync(outDir).mode & 0o7777);
    } catch (e) {
      this.end();
      throw e;
    }
  }

  /** Whether `path` may be written: a safe new path, no symlink on the way, not a file finc did not write. Records why not. */
  private admit(path: string): boolean {
    const reason = unsafePathReason(path);
    if (reason || path === MANIFEST) throw new Error(`internal error: output path '${path}' is not a safe relative path${reason ? ` (${reason})` : ""}`);
    // A second file at one path is FIN5001 (object-registry.ts): the build fails before it commits.
    if (this.paths.has(path)) return false;
    this.paths.add(path);
    const bad = this.tree.badAncestor(path);
    const at = bad ?? { path, kind: this.tree.kind(path) };
    if (at.kind === "link") this.links.add(at.path);
    else if (at.kind !== "missing" && (at.kind !== "file" || !this.previous.has(at.path))) this.conflicts.add(at.path);
    return this.failure === undefined && !this.links.size && !this.conflicts.size;
  }

  /** Each directory is created once, parents first (no recursive mkdir probing every level). */
  private ensureDir(rel: string): void {
    if (this.made.has(rel)) return;
    this.ensureDir(dirname(rel));
    mkdirSync(join(this.siblings.staging, rel));
    this.made.add(rel);
  }

  /** Writes one file of the build into staging; an unchanged file is hard-linked from `--out` (same content, same file). */
  add(path: string, content: string): void {
    if (!this.admit(path)) return;
    try {
      this.ensureDir(dirname(path));
      const target = join(this.siblings.staging, path);
      const same = this.previous.has(path) && this.tree.kind(path) === "file" && sameContent(join(this.outDir, path), content);
      if (same) {
        this.unchanged++;
        try {
          linkSync(join(this.outDir, path), target);
          return;
        } catch {
          /* no hard links on this file system: write a copy */
        }
      } else this.written++;
      // With the encoding given, Node writes a string in one native call (open, write, close): no Buffer copy.
      writeFileSync(target, content, { flag: "wx", encoding: "utf8" });
    } catch (e) {
      this.failure ??= e;
    }
  }

  /** A file written in pieces; compared with the previous build's as it goes, and hard-linked instead when equal. */
  addStreamed(path: string): StreamedFile {
    const admitted = this.admit(path);
    const target = join(this.siblings.staging, path);
    const old = join(this.outDir, path);
    let fd: number | undefined;
    let oldFd: number | undefined;
    let offset = 0;
    const fail = (e: unknown): void => {
      this.failure ??= e;
      for (const f of [fd, oldFd]) if (f !== undefined) closeSync(f);
      fd = oldFd = undefined;
    };
    try {
      if (admitted) {
        this.ensureDir(dirname(path));
        fd = openSync(target, "wx");
        if (this.previous.has(path) && this.tree.kind(path) === "file") oldFd = openSync(old, "r");
      }
    } catch (e) {
      fail(e);
    }
    /** Whether the previous file's bytes at `offset` are `bytes`; stops comparing at the first difference. */
    const compare = (bytes: Buffer): void => {
      if (oldFd === undefined) return;
      const have = Buffer.allocUnsafe(bytes.length);
      const n = readSync(oldFd, have, 0, bytes.length, offset);
      if (n !== bytes.length || !have.equals(bytes)) {
        closeSync(oldFd);
        oldFd = undefined;
      }
    };
    return {
      write: (text) => {
        if (fd === undefined || !text) return;
        try {
          const bytes = Buffer.from(text, "utf8");
          compare(bytes);
          writeSync(fd, bytes);
          offset += bytes.length;
        } catch (e) {
          fail(e);
        }
      },
      close: () => {
        if (fd === undefined) return;
        try {
          closeSync(fd);
          fd = undefined;
          const same = oldFd !== undefined && fstatSync(oldFd).size === offset;
          if (oldFd !== undefined) closeSync(oldFd);
          oldFd = undefined;
          if (!same) return void this.written++;
          this.unchanged++;
          try {
            // Linked beside it, then renamed over it: the copy just written stays if there are no hard links here.
            linkSync(old, `${target}.link`);
            renameSync(`${target}.link`, target);
          } catch {
            /* keep the copy */
          }
        } catch (e) {
          fail(e);
        }
      },
    };
  }

  /**
   * A file in the staging directory that is no part of the build: the streaming build sets
   * aside there what it may only write later (an environment's source-map entries that come
   * before their turn) instead of holding it in memory. Deleted when drained, and at the latest
   * before the commit.
   */
  scratch(): ScratchFile {
    const path = join(this.siblings.staging, `.finc-scratch-${this.scratchCount++}`);
    this.scratches.add(path);
    let fd: number | undefined;
    try {
      fd = openSync(path, "wx");
    } catch (e) {
      this.failure ??= e;
    }
    return {
      write: (text) => {
        if (fd === undefined || !text) return;
        try {
          writeSync(fd, text, null, "utf8");
        } catch (e) {
          this.failure ??= e;
        }
      },
      drain: (into) => {
        if (fd === undefined) return;
        try {
          closeSync(fd);
          fd = openSync(path, "r");
          // A character cut at a chunk's end is completed by the next chunk (StringDecoder).
          const decoder = new StringDecoder("utf8");
          const chunk = Buffer.allocUnsafe(SCRATCH_CHUNK);
          for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) into(decoder.write(chunk.subarray(0, n)));
          into(decoder.end());
          closeSync(fd);
          fd = undefined;
          rmSync(path, { force: true });
          this.scratches.delete(path);
        } catch (e) {
          this.failure ??= e;
        }
      },
    };
  }

  /** Replaces `--out` with the staged build; throws (leaving `--out` as it was) on a conflict, a symlink or a write error. */
  commit(): WriteResult {
    const s = this.siblings;
    try {
      if (this.failure !== undefined) throw this.failure;
      if (this.links.size) throw new SymlinkInOutput([...this.links].sort());
      if (this.conflicts.size) throw new OutputConflict([...this.conflicts].sort());
      for (const path of this.scratches) rmSync(path, { force: true });
      const removed = [...this.previous].filter((e) => !this.paths.has(e) && this.tree.kind(e) !== "missing").length;
      const files = [...this.paths].sort();
      this.ensureDir(dirname(MANIFEST));
      const manifest = join(s.staging, MANIFEST);
      writeFileSync(`${manifest}.tmp`, JSON.stringify({ generator: "finc", files }, null, 2) + "\n");
      renameSync(`${manifest}.tmp`, manifest);
      const userEntries = this.userEntries(files);
      writeJournal(s.journal, { moved: [...userEntries] });
      for (const rel of userEntries) moveEntry(this.outDir, s.staging, rel);
      if (this.hadOut) moveAside(this.outDir, s.old);
      renameSync(s.staging, this.outDir);
      try {
        if (this.hadOut) removeOldOutput(s.old, this.warn);
      } catch (e) {
        this.warn(`could not delete the previous output in ${s.old} (${(e as Error).message}); the next build will`);
      }
      rmSync(s.journal, { force: true });
      return { written: this.written, unchanged: this.unchanged, removed };
    } catch (e) {
      settle(this.outDir, s, this.warn);
      throw e;
    } finally {
      this.end();
    }
  }

  /** Discards the staging directory; `--out` is left exactly as it was. */
  abort(): void {
    try {
      if (this.release) settle(this.outDir, this.siblings, this.warn);
    } finally {
      this.end();
    }
  }

  private end(): void {
    this.release?.();
    this.release = undefined;
  }

  /** The entries of `--out` finc did not write, to carry over (whole directories where possible). */
  private userEntries(files: readonly string[]): string[] {
    const fincFiles = new Set([...this.previous, MANIFEST]);
    const fincDirs = dirsOf([...fincFiles, ...files]);
    const out: string[] = [];
    const walk = (rel: string): void => {
      for (const name of readdirSync(join(this.outDir, rel)).sort()) {
        const r = rel ? `${rel}/${name}` : name;
        const kind = this.tree.kind(r);
        if (fincFiles.has(r) && (kind === "file" || kind === "link")) continue;
        if (kind === "dir" && fincDirs.has(r)) walk(r);
        else out.push(r);
      }
    };
    if (this.hadOut) walk("");
    return out;
  }
}

/**
 * Replaces the output directory with the build's files (see the comment at the
 * top of this file). Files finc wrote before and no longer produces are gone
 * afterwards; files finc never wrote are carried over untouched.
 */
export function writeOutputs(outDir: string, files: readonly OutputFile[], warn: (message: string) => void = () => {}): WriteResult {
  const out = new StagedOutput(outDir, warn);
  for (const f of files) out.add(f.path, f.content);
  return out.commit();
}
