import { statSync } from "node:fs";
import { dirname, sep } from "node:path";
import { createNodeHost, createOverlayHost, type CompilerHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type LoadedFile, type Program } from "../../compiler/program.js";
import { reparse } from "./incremental-parse.js";
import { isVirtualPath } from "./uri.js";

export interface OpenDocument {
  readonly uri: string;
  readonly path: string;
  readonly version: number;
  readonly text: string;
}

/** A program together with the versions of the open documents it was built from. */
export interface Snapshot {
  readonly program: Program;
  /** path → version of every open document at build time. */
  readonly versions: ReadonlyMap<string, number>;
  readonly generation: number;
}

export interface Workspace {
  readonly stdlibDir: string;
  setFolders(paths: readonly string[]): void;
  addFolder(path: string): void;
  removeFolder(path: string): void;
  folders(): readonly string[];
  /** Set when the client watches the .fin files for us: the file list is then only re-read on events. */
  setWatching(watching: boolean): void;
  open(uri: string, path: string, version: number, text: string): void;
  close(path: string): void;
  document(path: string): OpenDocument | undefined;
  documents(): readonly OpenDocument[];
  /** Disk changes reported by the client. */
  filesChanged(paths: readonly string[]): void;
  /** True for files the server reports on: files under a workspace folder and open documents. */
  isWorkspaceFile(path: string): boolean;
  /** True when something changed since the last build. */
  readonly dirty: boolean;
  readonly snapshot: Snapshot | undefined;
  rebuild(): Snapshot;
}

const RELIST_MS = 2000;

/**
 * The documents the editor has open (they win over the disk), the workspace folders and
 * the latest program. Rebuilding hands the previous program to the compiler, so unchanged
 * files are neither re-read nor re-parsed.
 */
export function createWorkspace(options: { host?: CompilerHost } = {}): Workspace {
  const disk = createCachedHost(options.host ?? createNodeHost());
  const docs = new Map<string, OpenDocument>();
  const overlay = new Map<string, string>();
  const host = createOverlayHost(overlay, disk.host);
  let folders: string[] = [];
  let watching = false;
  let listed: { files: string[]; at: number } | undefined;
  let snapshot: Snapshot | undefined;
  let dirty = true;
  let generation = 0;

  const prefix = (dir: string): string => (dir.endsWith(sep) ? dir : dir + sep);
  const inFolder = (path: string): boolean => folders.some((f) => path.startsWith(prefix(f)));

  const workspaceFiles = (): string[] => {
    const now = Date.now();
    if (listed && (watching || now - listed.at < RELIST_MS)) return listed.files;
    const files = new Set<string>();
    for (const f of folders) for (const p of disk.host.isDirectory(f) ? disk.host.listFinFiles(f) : []) files.add(p);
    listed = { files: [...files], at: now };
    return listed.files;
  };

  const roots = (): string[] => {
    const set = new Set(workspaceFiles());
    const siblingDirs = new Set<string>();
    for (const d of docs.values()) {
      set.add(d.path);
      // A file opened outside every workspace folder still belongs to a spec: its directory.
      if (!inFolder(d.path) && !isVirtualPath(d.path) && !d.path.startsWith(prefix(disk.host.stdlibDir))) siblingDirs.add(dirname(d.path));
    }
    for (const dir of siblingDirs) for (const p of host.listFinFiles(dir)) set.add(p);
    return [...set];
  };

  const touch = (): void => {
    dirty = true;
  };

  return {
    stdlibDir: disk.host.stdlibDir,
    setFolders(paths) {
      folders = [...new Set(paths)];
      listed = undefined;
      touch();
    },
    addFolder(path) {
      if (!folders.includes(path)) folders.push(path);
      listed = undefined;
      touch();
    },
    removeFolder(path) {
      folders = folders.filter((f) => f !== path);
      listed = undefined;
      touch();
    },
    folders: () => folders,
    setWatching(w) {
      watching = w;
    },
    open(uri, path, version, text) {
      const prior = docs.get(path);
      if (prior && prior.version === version && prior.text === text) return;
      docs.set(path, { uri, path, version, text });
      overlay.set(path, text);
      touch();
    },
    close(path) {
      if (!docs.delete(path)) return;
      overlay.delete(path);
      touch();
    },
    document: (path) => docs.get(path),
    documents: () => [...docs.values()],
    filesChanged(paths) {
      for (const p of paths) disk.invalidate(p);
      listed = undefined;
      touch();
    },
    isWorkspaceFile: (path) => docs.has(path) || (inFolder(path) && !path.startsWith(prefix(disk.host.stdlibDir))),
    get dirty() {
      return dirty;
    },
    get snapshot() {
      return snapshot;
    },
    rebuild() {
      const versions = new Map<string, number>();
      for (const d of docs.values()) versions.set(d.path, d.version);
      dirty = false;
      const program = createProgram({ host, roots: roots(), ...(snapshot ? { oldProgram: withReparsedDocuments(snapshot.program, docs.values()) } : {}) });
      snapshot = { program, versions, generation: ++generation };
      return snapshot;
    },
  };
}

/**
 * The previous program with each edited open document re-parsed incrementally where
 * possible: the compiler reuses a file whose text is unchanged, so it takes these as is.
 */
function withReparsedDocuments(old: Program, docs: Iterable<OpenDocument>): Program {
  let files: Map<string, LoadedFile> | undefined;
  for (const d of docs) {
    const f = old.files.get(d.path);
    if (!f || f.source.text === d.text) continue;
    const fast = reparse(f, d.text);
    if (fast) (files ??= new Map(old.files)).set(d.path, fast);
  }
  return files ? { ...old, files } : old;
}

/** Disk reads cached by modification time: a rebuild per keystroke must not re-read every file. */
function createCachedHost(base: CompilerHost): { host: CompilerHost; invalidate(path: string): void } {
  const cache = new Map<string, { mtimeMs: number; size: number; text: string | undefined }>();
  return {
    invalidate: (path) => cache.delete(path),
    host: {
      stdlibDir: base.stdlibDir,
      isDirectory: (p) => base.isDirectory(p),
      listFinFiles: (d) => base.listFinFiles(d),
      readFile(path) {
        let stat: { mtimeMs: number; size: number };
        try {
          stat = statSync(path);
        } catch {
          cache.delete(path);
          return undefined;
        }
        const hit = cache.get(path);
        if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.text;
        const text = base.readFile(path);
        cache.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, text });
        return text;
      },
    },
  };
}

