import { lstatSync, readFileSync, readdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";

/** finc's record of what it wrote into an output directory, so the next build can remove only its own stale files. */
export const MANIFEST = ".finc/manifest.json";

export type EntryKind = "missing" | "dir" | "file" | "link" | "other";

/**
 * A read-only view of a directory that never follows symbolic links. A build asks
 * about tens of thousands of paths in a few dozen directories: each directory is
 * listed once (readdir with file types) and an entry's kind read from its listing, so
 * there is no lstat (or existence probe) per file. Where a listing cannot tell (a file
 * system without d_type) or a path is not below a listed directory, lstat answers.
 */
export class OutputTree {
  private readonly listings = new Map<string, Map<string, EntryKind> | undefined>();
  private rootKind: EntryKind | undefined;
  constructor(readonly root: string) {}

  /** What `rel` (a '/'-separated path inside root) is, without following a link at `rel` itself. */
  kind(rel: string): EntryKind {
    if (rel === "") return (this.rootKind ??= lstatKind(this.root));
    const slash = rel.lastIndexOf("/");
    const parent = slash === -1 ? "" : rel.slice(0, slash);
    const listing = this.listingOf(parent);
    if (listing) return listing.get(slash === -1 ? rel : rel.slice(slash + 1)) ?? "missing";
    // The parent is missing or no real directory: lstat gives the answer a path lookup would.
    return this.kind(parent) === "missing" ? "missing" : lstatKind(join(this.root, rel));
  }

  /** The kinds of the entries of directory `rel`, or undefined when it is not a real directory. */
  private listingOf(rel: string): Map<string, EntryKind> | undefined {
    if (this.listings.has(rel)) return this.listings.get(rel);
    let listing: Map<string, EntryKind> | undefined;
    if (this.kind(rel) === "dir") {
      listing = new Map();
      const dir = join(this.root, rel);
      try {
        for (const d of readdirSync(dir, { withFileTypes: true }))
          listing.set(d.name, d.isSymbolicLink() ? "link" : d.isDirectory() ? "dir" : d.isFile() ? "file" : d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice() ? "other" : lstatKind(join(dir, d.name)));
      } catch {
        listing = undefined;
      }
    }
    this.listings.set(rel, listing);
    return listing;
  }

  /** The first proper ancestor of `rel` that exists but is not a real directory (a symlink, a file), if any. */
  badAncestor(rel: string): { path: string; kind: EntryKind } | undefined {
    for (let i = rel.indexOf("/"); i !== -1; i = rel.indexOf("/", i + 1)) {
      const prefix = rel.slice(0, i);
      const k = this.kind(prefix);
      if (k === "missing") return undefined;
      if (k !== "dir") return { path: prefix, kind: k };
    }
    return undefined;
  }
}

function lstatKind(path: string): EntryKind {
  try {
    const s = lstatSync(path);
    return s.isSymbolicLink() ? "link" : s.isDirectory() ? "dir" : s.isFile() ? "file" : "other";
  } catch {
    return "missing";
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
