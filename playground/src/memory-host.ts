import type { CompilerHost } from "../../compiler/host/compiler-host.js";

/** The stdlib's place in the playground's in-memory file system. */
export const STDLIB_DIR = "/stdlib";

/**
 * A compiler host over a map of absolute paths → texts: the browser has no file system,
 * so the stdlib and the user's document live in memory (the build embeds the stdlib).
 */
export function createMemoryHost(files: ReadonlyMap<string, string>): CompilerHost {
  return {
    stdlibDir: STDLIB_DIR,
    readFile: (path) => files.get(path),
    isDirectory: (path) => {
      const prefix = path.endsWith("/") ? path : `${path}/`;
      for (const p of files.keys()) if (p.startsWith(prefix)) return true;
      return false;
    },
    listFinFiles: (dir) => {
      const prefix = dir.endsWith("/") ? dir : `${dir}/`;
      return [...files.keys()].filter((p) => p.startsWith(prefix) && p.endsWith(".fin")).sort();
    },
  };
}
