import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { CompilerHost } from "./compiler-host.js";

/** A file that marks a folder as the root of a finc project (its content is ignored). */
export const ROOT_MARKER = "finc.root";

/**
 * The folder imports may not leave: the nearest folder at or above the inputs' common folder
 * that holds a `finc.root` file or a `.git` directory (the repository), else the common folder
 * of the inputs itself. `import "../platform/base.fin"` from `apps/payments/main.fin` therefore
 * works in a repository (or under a `finc.root`) and is FIN2017 when it would reach outside.
 */
export function findProjectRoot(host: CompilerHost, inputs: readonly string[]): string {
  const common = commonFolder(inputs.map((p) => (host.isDirectory(p) ? resolve(p) : dirname(resolve(p)))));
  for (let dir = common; ; dir = dirname(dir)) {
    if (host.readFile(resolve(dir, ROOT_MARKER)) !== undefined || host.isDirectory(resolve(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return common;
  }
}

function commonFolder(dirs: readonly string[]): string {
  if (!dirs.length) return resolve(".");
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) while (!isInside(common, d)) common = dirname(common);
  return common;
}

/** Whether `path` is `root` or below it (lexically: `..` segments are resolved first). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, resolve(path));
  return rel === "" || (rel !== ".." && !rel.startsWith(".." + sep) && !isAbsolute(rel));
}
