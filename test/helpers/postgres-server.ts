import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { createServer } from "node:net";
import { freePort } from "./free-port.js";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/**
 * A throwaway PostgreSQL server for tests: Debian's `postgresql` package (installed by .ci/run),
 * run in a temp dir on 127.0.0.1 and a free port. PostgreSQL refuses to run as root, so as root
 * (CI) the server runs as the package's `postgres` user through runuser; the files it reads are
 * given to that user.
 */

const PG_LIB = "/usr/lib/postgresql";
const SERVER_BINARIES = ["initdb", "postgres", "pg_ctl"];

function findBinDir(): string | undefined {
  if (!existsSync(PG_LIB)) return undefined;
  const versions = readdirSync(PG_LIB).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(PG_LIB, v, "bin")).find((d) => SERVER_BINARIES.every((b) => existsSync(join(d, b))));
}

const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
const isRoot = process.getuid?.() === 0;
/** uid/gid of the user the server runs as: `postgres` when we are root, else ourselves. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (!isRoot) return { uid: userInfo().uid, gid: userInfo().gid };
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const u = id("-u");
  const g = id("-g");
  return u.status === 0 && g.status === 0 ? { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) } : undefined;
}

export const POSTGRES_BIN = findBinDir();
const USER = serverUser();

/** Why the real-server tests cannot run here, or undefined when they can. */
export const POSTGRES_SKIPPED: string | undefined =
  !POSTGRES_BIN ? `skipped: no PostgreSQL server binaries (${SERVER_BINARIES.join(", ")}) under ${PG_LIB}/*/bin — install Debian's postgresql package (.ci/run does)`
  : !ok("psql", ["--version"]) ? "skipped: psql is not on PATH (Debian's postgresql-client)"
  : !ok("openssl", ["version"]) ? "skipped: openssl is not on PATH (it issues the test certificates)"
  : !USER ? "skipped: running as root and there is no `postgres` user to run the server as (PostgreSQL refuses to run as root)"
  : isRoot && !ok("runuser", ["--help"]) ? "skipped: running as root without runuser (util-linux) to run the server as `postgres`"
  : undefined;

/** Runs libpq's psql with a connection URL or conninfo, outside any PG* environment of the caller. */
export function psql(conninfo: string, sql: string): SpawnSyncReturns<string> {
  return spawnSync("psql", [conninfo, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], {
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", PGCONNECT_TIMEOUT: "10", HOME: tmpdir() },
    timeout: 30_000,
  });
}

const quote = (v: string) => `'${v.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

/** Servers not stopped yet: stopped when the test process exits, whatever happened (a failed beforeAll too). */
const live = new Set<PostgresServer>();
process.once("exit", () => stopAllPostgres());

/** Stops every server this process started and has not stopped; for afterAll. */
export function stopAllPostgres(): void {
  for (const s of [...live]) s.stop();
}

export class PostgresServer {
  private running = false;
  private constructor(readonly dir: string, readonly port: number) { live.add(this); }

  /** A fresh temp dir owned by the server's user, and a free port. Throws when POSTGRES_SKIPPED says why it cannot. */
  static async create(): Promise<PostgresServer> {
    if (POSTGRES_SKIPPED || !USER) throw new Error(POSTGRES_SKIPPED ?? "no server user");
    const dir = mkdtempSync(join(tmpdir(), "finc-pg-"));
    chownSync(dir, USER.uid, USER.gid);
    return new PostgresServer(dir, await freePort());
  }

  get data(): string { return join(this.dir, "data"); }
  get log(): string { return join(this.dir, "server.log"); }

  /**
   * Writes a file the server reads (certificate, key, pg_hba.conf), owned by the server's user;
   * `rootOwned` (as root only) makes it root's with the server's group, as a Kubernetes Secret
   * volume with an fsGroup mounts it. Returns its path.
   */
  file(name: string, content: string, mode = 0o600, rootOwned = false): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    chownSync(path, rootOwned && isRoot ? 0 : USER!.uid, USER!.gid);
    chmodSync(path, mode);
    return path;
  }

  private run(bin: string, args: string[]): void {
    const cmd = join(POSTGRES_BIN!, bin);
    const r = isRoot ? spawnSync("runuser", ["-u", "postgres", "--", cmd, ...args], { encoding: "utf8", cwd: this.dir }) : spawnSync(cmd, args, { encoding: "utf8", cwd: this.dir });
    if (r.status !== 0) {
      const log = existsSync(this.log) ? readFileSync(this.log, "utf8").slice(-3000) : "";
      throw new Error(`${bin} ${args.join(" ")} failed (${r.status}): ${r.stderr}${r.stdout}\n${log}`);
    }
  }

  /** initdb with this bootstrap superuser (and its password, as an image's entrypoint sets it). */
  init(superuser: string, password?: string): void {
    const pw = password === undefined ? [] : ["--pwfile", this.file("pwfile", `${password}\n`)];
    this.run("initdb", ["-D", this.data, "-U", superuser, "-E", "UTF8", "--no-instructions", ...pw]);
  }

  /**
   * Runs SQL as the superuser with the server reachable only on its socket, the way an
   * operator's bootstrap or an image's entrypoint creates users before serving clients: trusted
   * there, or (`as`) with the server's own settings and pg_hba and the superuser's password, as
   * the official image's entrypoint does it (PGPASSWORD exported, `-c listen_addresses=''`).
   */
  setup(superuser: string, statements: readonly string[], as?: { settings: Readonly<Record<string, string>>; password: string }): void {
    const options = as
      ? Object.entries(as.settings).map(([k, v]) => `-c ${k}=${v}`)
      : [`-c hba_file=${this.file("setup_hba.conf", "local all all trust\n")}`];
    this.running = true;
    this.run("pg_ctl", ["start", "-w", "-t", "60", "-D", this.data, "-l", this.log, "-o", [...options, "-c listen_addresses=", `-c unix_socket_directories=${this.dir}`, `-p ${this.port}`].join(" ")]);
    try {
      const password = as ? ` password=${quote(as.password)}` : "";
      for (const sql of statements) {
        const r = psql(`host=${this.dir} port=${this.port} user=${superuser} dbname=postgres${password}`, sql);
        if (r.status !== 0) throw new Error(`setup SQL failed: ${sql}: ${r.stderr}`);
      }
    } finally {
      this.run("pg_ctl", ["stop", "-w", "-m", "fast", "-D", this.data]);
      this.running = false;
    }
  }

  /**
   * Starts the server with these postgresql.conf settings (they win over initdb's), listening
   * on 127.0.0.1:port only; `hba` becomes the pg_hba.conf unless the settings name an hba_file.
   */
  start(settings: Readonly<Record<string, string>>, hba?: string): void {
    const lines = Object.entries({
      ...(hba === undefined ? {} : { hba_file: this.file("pg_hba.conf", hba) }),
      ...settings,
      listen_addresses: "127.0.0.1",
      port: String(this.port),
      unix_socket_directories: this.dir,
    }).map(([k, v]) => `${k} = ${quote(v)}`);
    appendFileSync(join(this.data, "postgresql.conf"), `\n# finc test\n${lines.join("\n")}\n`);
    this.running = true; // before: a start that times out may still leave a postmaster to stop
    this.run("pg_ctl", ["start", "-w", "-t", "60", "-D", this.data, "-l", this.log]);
  }

  /** SIGHUP: PostgreSQL re-reads pg_hba.conf and the TLS certificate and key. */
  reload(): void { this.run("pg_ctl", ["reload", "-D", this.data]); }

  /** Stops the server (if it runs) and removes its directory; safe to call more than once. */
  stop(): void {
    live.delete(this);
    try {
      if (this.running && existsSync(join(this.data, "postmaster.pid"))) this.run("pg_ctl", ["stop", "-w", "-m", "immediate", "-D", this.data]);
    } finally {
      this.running = false;
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
