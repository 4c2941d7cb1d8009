import { lstatSync, readFileSync, readdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";

/** finc's record of what it wrote into an output directory, so the next build can remove only its own stale files. */
export const MANIFEST = ".finc/manifest.json";

export type EntryKind = "missing" | "dir" | "file" | "link" | "other";

/**
 * A read-only view of a directory that never follows symbolic links: every
 * question is answered with lstat, component by component, and cached (a build
 * asks about tens of thousands of paths in a few hundred directories).
 */
export class OutputTree {
  private readonly kinds = new Map<string, EntryKind>();
  constructor(readonly root: string) {}

  /** What `rel` (a '/'-separated path inside root) is, without following a link at `rel` itself. */
  kind(rel: string): EntryKind {
    let k = this.kinds.get(rel);
    if (k) return k;
    try {
      const s = lstatSync(join(this.root, rel));
      k = s.isSymbolicLink() ? "link" : s.isDirectory() ? "dir" : s.isFile() ? "file" : "other";
    } catch {
      k = "missing";
    }
    this.kinds.set(rel, k);
    return k;
  }

  /** The first proper ancestor of `rel` that exists but is not a real directory (a symlink, a file), if any. */
  badAncestor(rel: string): { path: string; kind: EntryKind } | undefined {
    const segs = rel.split("/");
    for (let i = 1; i < segs.length; i++) {
      const prefix = segs.slice(0, i).join("/");
      const k = this.kind(prefix);
      if (k === "missing") return undefined;
      if (k !== "dir") return { path: prefix, kind: k };
    }
    return undefined;
  }
}

/**
 * A path finc may create or delete below an output directory: relative, '/'
 * separated, no empty, '.' or '..' segment, no backslash or NUL. Anything else in a
 * manifest was not written by finc (or was tampered with) and is never acted on.
 */
export function unsafePathReason(p: string): string | undefined {
  if (p === "") return "it is empty";
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p)) return "it is an absolute path";
  if (p.includes("\\") || p.includes("\0")) return "it contains a backslash or NUL character";
  const segs = p.split("/");
  if (segs.includes("..")) return "it contains '..'";
  if (segs.some((s) => s === "" || s === ".")) return "it contains an empty or '.' segment";
  return undefined;
}

export interface ManifestEntries {
  readonly entries: string[];
  readonly ignored: { entry: string; reason: string }[];
}

/** The paths listed in `<dir>/.finc/manifest.json`, split into plausible ones and ones never to touch. A missing or unreadable manifest lists nothing. */
export function readManifest(dir: string): ManifestEntries {
  const entries: string[] = [];
  const ignored: { entry: string; reason: string }[] = [];
  let files: unknown;
  try {
    if (lstatSync(join(dir, MANIFEST)).isFile()) files = (JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as { files?: unknown }).files;
  } catch {
    return { entries, ignored };
  }
  if (!Array.isArray(files)) return { entries, ignored };
  for (const f of files) {
    if (typeof f !== "string") continue;
    const reason = unsafePathReason(f);
    if (reason) ignored.push({ entry: f, reason });
    else entries.push(f);
  }
  return { entries, ignored };
}

/** Removes the empty directories below (and including) `dir`, never descending into a symlink. */
export function removeEmptyDirs(dir: string): boolean {
  let empty = true;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (lstatSync(p).isDirectory() && removeEmptyDirs(p)) continue;
    empty = false;
  }
  if (empty) rmdirSync(dir);
  return empty;
}
