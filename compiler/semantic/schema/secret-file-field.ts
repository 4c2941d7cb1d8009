import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import { rangeOf, type Ref, type TermReader } from "../readers.js";
import { checkSecretPath } from "./secret-path.js";
import { normalizeMountPath, SYSTEM_DIRECTORIES } from "./writable-paths.js";
import { RANGES } from "./value-ranges.js";
import { DEFAULT_SECRET_FILE_MODE, formatMode, splitFilePath } from "../../model/volumes.js";

/**
 * The file forms of `secret`:
 *
 *   secret file /etc/jwt/signing.pem from vault "payments/jwt" key "signing-key" [mode 0400] [refresh 5m]
 *   secret files /etc/tls from vault "payments/tls" keys "tls.crt" "tls.key" [mode 0440] [refresh 5m]
 *
 * `file` puts one key of a store entry at a file path; `files` puts several keys of one entry in
 * a directory, one file per key, named as the key. The file's directory is mounted read-only, so
 * it must be a directory of its own (not /etc itself, nothing inside /dev, /proc, /run …: FIN3023).
 * `mode` is octal, 0400 to 0777 (FIN3030); the default 0400 is owner-read (the kubelet adds group
 * read for the pod's fsGroup, so the non-root app can read it; the Vault agent writes it as the app's user).
 */
export interface SecretFilesRead {
  readonly kind: "files";
  /** Unused (no env var): present so the `secret` field's reads share one shape. */
  readonly env: "";
  readonly range: SourceRange;
  readonly store: Ref;
  readonly path: string;
  /** Each store key and the absolute file it becomes. */
  readonly files: readonly { readonly key: string; readonly file: string; readonly range: SourceRange }[];
  readonly mode: number;
  readonly refreshMs?: number;
}

/** Is the term a file form (`file /…` or `files /…`; `FILE` as the issue wrote it is the same word)? */
export function isSecretFileTerm(r: TermReader): boolean {
  const w = r.peekWord()?.toLowerCase();
  if (w !== "file" && w !== "files") return false;
  const next = r.term.atoms[r.term.atoms.indexOf(r.peek()!) + 1];
  return next?.kind === "Path" || next?.kind === "String";
}

/** Pseudo-filesystems and runtime directories nothing may be mounted inside (the token lives in /var/run/secrets). */
const NO_MOUNT_INSIDE = ["/dev", "/proc", "/sys", "/run", "/var/run"] as const;
const inside = (path: string, dir: string): boolean => path === dir || path.startsWith(dir + "/");

/** Why the directory a secret file is mounted in cannot be mounted over, or undefined. */
export function secretDirProblem(dir: string): string | undefined {
  if (dir === "/") return "the whole root filesystem";
  const covered = SYSTEM_DIRECTORIES.find((d) => inside(d, dir));
  if (covered) return covered === dir ? `the system directory ${dir}` : `the system directory ${covered} inside it`;
  const pseudo = NO_MOUNT_INSIDE.find((d) => inside(dir, d));
  return pseudo ? `a directory inside ${pseudo}, where nothing may be mounted` : undefined;
}

/** Reads an absolute path (FIN3023 otherwise); for `file`, the path's directory must be mountable. */
function readTarget(r: TermReader, form: "file" | "files"): { path: string; range: SourceRange } | undefined {
  const a = r.next()!;
  const text = a.kind === "Path" || a.kind === "String" ? a.value : "";
  const range = rangeOf(r.ctx, a);
  const n = normalizeMountPath(text);
  if ("problem" in n) {
    r.ctx.report(diag("FIN3023", range, { message: `The secret ${form} path ${n.problem}.`, hint: form === "file" ? "Write an absolute file path such as /etc/jwt/signing.pem." : "Write an absolute directory such as /etc/tls." }));
    return undefined;
  }
  const dir = form === "file" ? splitFilePath(n.path).dir : n.path;
  const problem = secretDirProblem(dir);
  if (problem) {
    r.ctx.report(diag("FIN3023", range, {
      message: `The secret ${form} ${n.path} is mounted read-only over its directory ${dir}, which would cover ${problem}.`,
      hint: form === "file" ? `Put it in a directory of its own, such as /etc/${splitFilePath(n.path).name.replace(/\..*$/, "") || "app"}/${splitFilePath(n.path).name}.` : "Use a directory of its own, such as /etc/tls.",
    }));
    return undefined;
  }
  return { path: n.path, range };
}

/** `mode 0400`: octal permission bits between 0400 and 0777 (FIN3030 at the number otherwise). */
function readMode(r: TermReader): number | undefined {
  const a = r.next();
  if (a?.kind === "Number" && a.unit === "" && /^0[0-7]{3}$/.test(a.raw)) {
    const mode = parseInt(a.raw, 8);
    if (mode >= 0o400 && mode <= 0o777) return mode;
    r.ctx.report(diag("FIN3030", rangeOf(r.ctx, a), {
      message: `Mode ${a.raw} does not let the file's owner read it: the application could not open its own secret.`,
      hint: "Modes go from 0400 (owner read, the default) to 0777; 0440 adds group read.",
    }));
    return undefined;
  }
  if (!a) return r.mismatch("an octal file mode such as 0400", a);
  r.ctx.report(diag("FIN3030", rangeOf(r.ctx, a), {
    message: `The file mode must be written in octal with a leading 0 (0400 to 0777), found ${a.kind === "Number" ? a.raw : "something else"}.`,
    hint: "Write mode 0400 (owner read) or 0440 (owner and group read).",
  }));
  return undefined;
}

/** The rest of a file form after the path: `from <store> "<path>" key "<k>" | keys "<k>" …`, then `mode`, `refresh`. */
export function readSecretFiles(r: TermReader): SecretFilesRead | undefined {
  const form = r.word()!.name.toLowerCase() === "files" ? "files" : "file";
  const target = readTarget(r, form);
  if (!target) return undefined;
  if (!r.accept("from")) return r.mismatch("'from'", r.peek(), `Write \`secret ${form} ${target.path} from <store> "<path>" ${form === "file" ? 'key "<key>"' : 'keys "<key>" "<key>"'}\`.`);
  const store = r.word("a secret store name");
  if (!store) return undefined;
  const path = r.string("a secret path in the store");
  if (!path || !checkSecretPath(r.ctx, path)) return undefined;
  const files: { key: string; file: string; range: SourceRange }[] = [];
  if (form === "file") {
    let key = { value: "value", range: target.range };
    if (r.accept("key")) {
      const k = r.string("a key inside the secret");
      if (!k) return undefined;
      key = k;
    }
    files.push({ key: key.value, file: target.path, range: target.range });
  } else {
    if (!r.accept("keys")) return r.mismatch("'keys'", r.peek(), `Write \`secret files ${target.path} from ${store.name} "${path.value}" keys "tls.crt" "tls.key"\`: one file per key.`);
    while (r.peek()?.kind === "String") {
      const k = r.string()!;
      // Each key becomes a file name in the directory: no separators, no dot names.
      if (!/^[-._a-zA-Z0-9]+$/.test(k.value) || k.value === "." || k.value === "..") {
        r.ctx.report(diag("FIN3023", k.range, { message: `The key "${k.value}" cannot be a file name in ${target.path}.`, hint: "Keys of a `secret files` line become file names: letters, digits, '-', '.', '_'." }));
        return undefined;
      }
      files.push({ key: k.value, file: `${target.path}/${k.value}`, range: k.range });
    }
    if (!files.length) return r.mismatch("the keys to write as files", r.peek(), 'Example: keys "tls.crt" "tls.key"');
  }
  let mode = DEFAULT_SECRET_FILE_MODE;
  let refreshMs: number | undefined;
  for (;;) {
    if (r.accept("mode")) {
      const m = readMode(r);
      if (m === undefined) return undefined;
      mode = m;
    } else if (r.accept("refresh")) {
      refreshMs = r.duration(RANGES.refresh);
      if (refreshMs === undefined) return undefined;
    } else break;
  }
  return { kind: "files", env: "", range: rangeOf(r.ctx, r.term), store, path: path.value, files, mode, ...(refreshMs !== undefined ? { refreshMs } : {}) };
}

export const SECRET_FILE_EXAMPLE = `file /etc/jwt/signing.pem from vault "team/jwt" key "private-key" mode ${formatMode(DEFAULT_SECRET_FILE_MODE)}`;
