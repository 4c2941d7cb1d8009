import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";

/**
 * One build at a time per output directory: `<parent>/.<out>.finc-lock`, created
 * with O_EXCL (atomic on local file systems), holding who owns it. A second build
 * polls for a bounded time, then gives up naming the owner. A lock whose owner is a
 * dead process of this machine is taken over; a lock of another machine is never
 * broken automatically (we cannot tell whether that process is alive).
 */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly started: string;
}

export class LockBusy extends Error {
  constructor(
    readonly lockPath: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(
      `${dirname(lockPath)}/${basename(lockPath).replace(/^\.(.*)\.finc-lock$/, "$1")} is being written by another finc build (${
        owner ? `process ${owner.pid} on ${owner.hostname}, started ${owner.started}` : "owner unknown"
      }); lock file ${lockPath}`,
    );
  }
}

export const lockPathOf = (outDir: string): string => join(dirname(outDir), `.${basename(outDir)}.finc-lock`);

/** How long a second build waits for the lock: 10 s, or FINC_LOCK_WAIT_MS (for CI and tests). */
function waitMs(): number {
  const v = Number(process.env["FINC_LOCK_WAIT_MS"]);
  return Number.isFinite(v) && v >= 0 ? v : 10_000;
}

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return typeof o.pid === "number" && typeof o.hostname === "string" && typeof o.started === "string" ? { pid: o.pid, hostname: o.hostname, started: o.started } : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A lock nobody can hold any more: its process is dead, or it stayed unreadable (killed between create and write) for 10 s. */
function isStale(path: string, owner: LockOwner | undefined): boolean {
  if (owner) return owner.hostname === hostname() && owner.pid !== process.pid && !alive(owner.pid);
  try {
    return Date.now() - statSync(path).mtimeMs > 10_000;
  } catch {
    return false;
  }
}

/**
 * Takes a stale lock away without ever removing a live one: the stale file is
 * renamed to a private name (only one contender can), and if what we moved turns
 * out to be a fresh lock of someone else it is put back with link(), which never
 * replaces an existing file.
 */
function breakStale(path: string, seen: string): void {
  const mine = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, mine);
  } catch {
    return;
  }
  let moved = "";
  try {
    moved = readFileSync(mine, "utf8");
  } catch {
    /* gone */
  }
  if (moved !== seen) {
    try {
      linkSync(mine, path);
    } catch {
      /* someone holds a newer lock; the one we moved is lost either way */
    }
  }
  try {
    unlinkSync(mine);
  } catch {
    /* already gone */
  }
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Acquires the lock of `outDir` (whose parent must exist); returns the function that releases it. */
export function acquireBuildLock(outDir: string): () => void {
  const path = lockPathOf(outDir);
  const me: LockOwner = { pid: process.pid, hostname: hostname(), started: new Date().toISOString() };
  const content = JSON.stringify(me) + "\n";
  const deadline = Date.now() + waitMs();
  for (;;) {
    if (tryCreate(path, content)) break;
    let seen = "";
    try {
      seen = readFileSync(path, "utf8");
    } catch {
      continue; // released meanwhile: try again at once
    }
    const owner = parseOwner(seen);
    if (isStale(path, owner)) {
      breakStale(path, seen);
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusy(path, owner);
    sleep(Math.min(100, Math.max(1, deadline - Date.now())));
  }
  return () => {
    try {
      if (readFileSync(path, "utf8") === content) unlinkSync(path);
    } catch {
      /* already gone */
    }
  };
}
