import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import { eachTerm, rangeOf, type FieldContext, type TermReader } from "../readers.js";

/**
 * Where a service may write. The root filesystem is read-only; each `writable` path becomes an
 * emptyDir mounted over that directory, which hides what the image has there and lets any code
 * in the pod (an attacker's included) write files. So:
 *
 * - FIN3023 (error): `/`; a system directory, anything inside one, or a directory containing one
 *   (`/var` contains `/var/run`), since the mount would hide the image's binaries, libraries,
 *   CA certificates or the service-account token, or shadow a kernel interface; a relative path,
 *   `.`/`..` segments, glob or `~` characters (mount paths are literal); the same path twice.
 * - FIN4034 (warning): anything outside the app's own scratch directories (below).
 */

/** Directories whose contents belong to the OS or the kernel. */
export const SYSTEM_DIRECTORIES = [
  "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root", "/run", "/sbin", "/sys", "/usr", "/var/run",
  "/usr/local/bin", "/usr/local/lib", "/usr/local/sbin",
] as const;

/**
 * `/usr/local/<app>/…` (Tomcat's `/usr/local/tomcat/temp`) is the image's own software, not the
 * OS's: writable there is a warning, not an error. Its bin, lib and sbin stay system directories.
 */
const LOCAL_SOFTWARE = "/usr/local/";

/**
 * The app's own scratch space: temporary directories, `/data`, home directories, caches, and
 * subdirectories of `/app` (`/app` itself holds the code in most images). No warning there.
 */
export const APP_OWN_PATHS = ["/tmp", "/var/tmp", "/data", "/home", "/var/cache"] as const;
const APP_DIRECTORY = "/app/";

const inside = (path: string, dir: string): boolean => path === dir || path.startsWith(dir + "/");

/** Why mounting over `path` (already absolute and normalized) is refused, or undefined. */
export function systemPathProblem(path: string, what: string): string | undefined {
  if (path === "/") return `${what} / would cover the whole root filesystem`;
  if (path.startsWith(LOCAL_SOFTWARE) && path.split("/").length > 3 && !SYSTEM_DIRECTORIES.some((d) => d.startsWith(LOCAL_SOFTWARE) && inside(path, d))) return undefined;
  const covered = SYSTEM_DIRECTORIES.find((d) => inside(path, d) || inside(d, path));
  if (!covered) return undefined;
  return covered === path ? `${what} ${path} would cover the system directory ${path}` : inside(path, covered) ? `${what} ${path} is inside the system directory ${covered}` : `${what} ${path} would cover the system directory ${covered}`;
}

/** Is `path` one of the app's own scratch directories (no FIN4034)? */
export function isAppOwnPath(path: string): boolean {
  return APP_OWN_PATHS.some((d) => inside(path, d)) || path.startsWith(APP_DIRECTORY);
}

/** The path as written, with a trailing `/` dropped; or the reason it is not a literal absolute path. */
export function normalizeMountPath(text: string): { path: string } | { problem: string } {
  if (!text.startsWith("/")) return { problem: `'${text}' is a relative path: mount paths are absolute` };
  const path = text.length > 1 ? text.replace(/\/+$/, "") : text;
  const segments = path.split("/").slice(1);
  if (path !== "/" && segments.some((s) => s === "")) return { problem: `'${text}' has an empty segment` };
  if (segments.some((s) => s === "." || s === "..")) return { problem: `'${text}' contains '.' or '..': write the directory it means` };
  if (/[*?{}[\]~:\\]/.test(path)) return { problem: `'${text}' contains a character a mount path does not expand (* ? { } [ ] ~ : \\)` };
  return { path };
}

/** Reads one mount path (a path, or a string holding one), reporting FIN3023 for anything but a literal absolute path. */
export function readMountPath(r: TermReader): { path: string; range: SourceRange } | undefined {
  const a = r.peek();
  if (a?.kind !== "Path" && a?.kind !== "String" && a?.kind !== "Word") {
    r.path();
    return undefined;
  }
  r.next();
  const text = a.kind === "Word" ? a.parts.map((p) => p.text).join(".") : a.value;
  const range = rangeOf(r.ctx, a);
  const n = normalizeMountPath(text);
  if ("problem" in n) {
    r.ctx.report(diag("FIN3023", range, { message: `The ${r.ctx.field} path ${n.problem}.`, hint: "Write an absolute directory such as /var/cache/app." }));
    return undefined;
  }
  return { path: n.path, range };
}

/** `writable /<path>, …` */
export function readWritablePaths(ctx: FieldContext): string[] {
  const seen = new Set<string>();
  return eachTerm(ctx, (r) => {
    const p = readMountPath(r);
    if (!p) return undefined;
    const system = systemPathProblem(p.path, "writable");
    if (system) {
      ctx.report(diag("FIN3023", p.range, { message: `${system}: an emptyDir mounted there hides what the image has in it and makes it writable.`, hint: "Write only to the app's own directories: /tmp (always writable), /var/tmp, /data, /var/cache/<app>, /app/<dir>." }));
      return undefined;
    }
    if (seen.has(p.path)) {
      ctx.report(diag("FIN3023", p.range, { message: `writable ${p.path} is listed twice.`, hint: "Remove the repetition." }));
      return undefined;
    }
    seen.add(p.path);
    if (!isAppOwnPath(p.path)) {
      ctx.report(diag("FIN4034", p.range, {
        message: `writable ${p.path} lets any code in the pod (an attacker's included) write files outside the app's scratch directories, which the read-only root filesystem otherwise prevents, and hides what the image has at ${p.path}.`,
        hint: `If the app only needs scratch space, point it at /tmp, /var/tmp, /data, /var/cache/<app> or /app/<dir>; keep ${p.path} only if it must be writable.`,
      }));
    }
    return p.path;
  });
}

/** Pseudo-filesystems and runtime directories nothing may be mounted inside (the token lives in /var/run/secrets). */
const NO_MOUNT_INSIDE = ["/dev", "/proc", "/sys", "/run", "/var/run"] as const;

/**
 * `config-mount /<dir>`: a read-only ConfigMap volume. A new directory inside /etc (`/etc/app`) is
 * fine; covering a system directory, or mounting inside a pseudo-filesystem, is FIN3023.
 */
export function readConfigMountPath(r: TermReader): { path: string; range: SourceRange } | undefined {
  const p = readMountPath(r);
  if (!p) return undefined;
  const covered = p.path === "/" ? "/" : SYSTEM_DIRECTORIES.find((d) => inside(d, p.path)) ?? NO_MOUNT_INSIDE.find((d) => inside(p.path, d));
  if (covered === undefined) return p;
  r.ctx.report(diag("FIN3023", p.range, {
    message: covered === "/" || inside(covered, p.path) ? `config-mount ${p.path} would cover ${covered === "/" ? "the whole root filesystem" : `the system directory ${covered}`} with the config files.` : `config-mount ${p.path} is inside ${covered}, where nothing may be mounted.`,
    hint: "Mount the config in a directory of its own, such as /etc/app.",
  }));
  return undefined;
}
