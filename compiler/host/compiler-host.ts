import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Everything the compiler reads goes through a host, so tests and the language server can overlay files. */
export interface CompilerHost {
  readFile(path: string): string | undefined;
  isDirectory(path: string): boolean;
  /** `.fin` files under a directory, recursively, sorted. */
  listFinFiles(dir: string): string[];
  /** Absolute path of the stdlib root (the folder holding `fintech/…`). */
  readonly stdlibDir: string;
}

/** Finds the stdlib next to the running code: `<dir>/stdlib` or a parent's (bundle in dist/, sources in compiler/host/). */
export function findStdlibDir(from: string = moduleDir()): string {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "stdlib");
    if (existsSync(join(candidate, "fintech"))) return candidate;
    dir = dirname(dir);
  }
  return join(from, "stdlib");
}

function moduleDir(): string {
  // Bundled as CommonJS, __dirname exists; as an ES module we derive it from import.meta.url.
  if (typeof __dirname === "string") return __dirname;
  return dirname(fileURLToPath(import.meta.url));
}

export function createNodeHost(stdlibDir = findStdlibDir()): CompilerHost {
  return {
    stdlibDir,
    readFile(path) {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
    isDirectory(path) {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
    listFinFiles(dir) {
      const out: string[] = [];
      const walk = (d: string): void => {
        for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
          if (e.name.startsWith(".") || e.name === "node_modules") continue;
          const p = join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name.endsWith(".fin")) out.push(resolve(p));
        }
      };
      walk(dir);
      return out;
    },
  };
}

/** A host whose files are `overlay` first, then the fallback (disk): used by tests and the language server. */
export function createOverlayHost(overlay: ReadonlyMap<string, string>, fallback: CompilerHost): CompilerHost {
  return {
    stdlibDir: fallback.stdlibDir,
    readFile: (path) => overlay.get(path) ?? fallback.readFile(path),
    isDirectory: (path) => fallback.isDirectory(path),
    listFinFiles: (dir) => {
      const set = new Set(fallback.isDirectory(dir) ? fallback.listFinFiles(dir) : []);
      for (const p of overlay.keys()) if (p.startsWith(dir + "/") && p.endsWith(".fin")) set.add(p);
      return [...set].sort();
    },
  };
}

declare const __dirname: string | undefined;
