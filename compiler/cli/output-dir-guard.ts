import { existsSync, lstatSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, relative, sep } from "node:path";

/**
 * The output directory finc will replace as a whole (see write-outputs.ts), with
 * symbolic links in its path resolved: the user named it, so a link they chose is
 * followed here, and never again below it.
 */
export function resolveOutDir(outDir: string): string {
  if (existsSync(outDir)) return realpathSync(outDir);
  let parent = dirname(outDir);
  const missing = [basename(outDir)];
  while (!existsSync(parent) && dirname(parent) !== parent) {
    missing.unshift(basename(parent));
    parent = dirname(parent);
  }
  return [realpathSync(parent), ...missing].join(sep);
}

export interface OutDirContext {
  /** The spec files of the build (not stdlib files). */
  readonly specFiles: readonly string[];
  /** The file or directory given to `finc build`. */
  readonly input: string;
  readonly cwd: string;
  /** Defaults to os.homedir() (which honours $HOME). */
  readonly home?: string;
}

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** `inner` is `outer` or below it. */
const within = (inner: string, outer: string): boolean => {
  const r = relative(outer, inner);
  return r === "" || (!isAbsolute(r) && r !== ".." && !r.startsWith(`..${sep}`));
};

/**
 * Why `out` (already resolved with resolveOutDir) must not be finc's output
 * directory, or undefined when it may be. A build replaces the whole directory, so
 * it must not hold the spec, the home directory or the shell the user runs finc in.
 */
export function refuseOutDir(out: string, ctx: OutDirContext, shown: string): string | undefined {
  if (dirname(out) === out) return `--out ${shown} is the root of the file system`;
  const home = real(ctx.home ?? homedir());
  if (out === home) return `--out ${shown} is your home directory`;
  if (within(home, out)) return `--out ${shown} contains your home directory (${home})`;
  const input = real(ctx.input);
  const inputIsDir = existsSync(input) && lstatSync(input).isDirectory();
  if (inputIsDir && out === input) return `--out ${shown} is the spec directory`;
  for (const file of ctx.specFiles.map(real)) {
    if (within(file, out)) return `--out ${shown} contains the spec file ${relative(ctx.cwd, file) || file}`;
  }
  if (inputIsDir && within(input, out)) return `--out ${shown} contains the spec directory`;
  const cwd = real(ctx.cwd);
  if (within(cwd, out)) return `--out ${shown} contains the current directory; finc replaces the output directory as a whole, so run it from outside ${shown}`;
  if (existsSync(out) && !lstatSync(out).isDirectory()) return `--out ${shown} is a file, not a directory`;
  return undefined;
}
