import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DRILL_SCRIPT } from "../../compiler/emit/drills/script.js";
import { freePort } from "../helpers/free-port.js";
import { POSTGRES_BIN, POSTGRES_SKIPPED } from "../helpers/postgres-server.js";

/**
 * The drill's script run for real: a local PostgreSQL (Debian's, as .ci/run installs it) archives
 * WAL to a directory; a base backup is taken, then more rows are written, so only WAL replay can
 * bring them back. barman-cloud is replaced by two stubs that read the same directory (the only
 * part not exercised: S3), everything else is the emitted script: restore, recovery settings,
 * archive recovery to the end of the WAL, promotion, the verification queries, the exit status.
 */
const isRoot = process.getuid?.() === 0;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function asServerUser(cmd: string, args: string[], env: Record<string, string> = {}) {
  const full = { PATH: `${POSTGRES_BIN}:/usr/bin:/bin`, HOME: tmpdir(), ...env };
  const argv = isRoot ? ["runuser", "-u", "postgres", "--", "env", "-i", ...Object.entries(full).map(([k, v]) => `${k}=${v}`), cmd, ...args] : ["env", "-i", ...Object.entries(full).map(([k, v]) => `${k}=${v}`), cmd, ...args];
  return spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", timeout: 120_000 });
}

describe.skipIf(!!POSTGRES_SKIPPED)("the drill script restores a real base backup and replays the archived WAL", () => {
  it("restores every row (the ones after the base backup too), runs the query, exits 0; a failing query exits non-zero", async () => {
    const root = mkdtempSync(join(tmpdir(), "finc-drill-"));
    dirs.push(root);
    const path = (...p: string[]) => join(root, ...p);
    for (const d of ["archive", "base", "bin", "run", "run2", "sock", "restore", "restore2"]) mkdirSync(path(d));
    if (isRoot) for (const d of ["", "archive", "base", "bin", "run", "run2", "sock", "restore", "restore2"]) chownSync(path(d), Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout), Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout));
    // The stubs: barman-cloud's command lines as the script calls them; the object store is a directory.
    writeFileSync(path("bin", "barman-cloud-restore"), `#!/bin/sh\necho "restore $*" >> ${path("run", "calls.log")}\nrmdir "$6" 2>/dev/null; cp -a ${path("base")}/. "$6"\n`);
    writeFileSync(path("bin", "barman-cloud-wal-restore"), `#!/bin/sh\n[ -f "${path("archive")}/$5" ] || exit 1\ncp "${path("archive")}/$5" "$6"\n`);
    for (const f of ["barman-cloud-restore", "barman-cloud-wal-restore"]) chmodSync(path("bin", f), 0o755);

    const port = String(await freePort());
    const data = path("primary");
    const run = (cmd: string, ...args: string[]) => {
      const r = asServerUser(cmd, args);
      expect(r.status, `${cmd} ${args.join(" ")}: ${r.stderr}${r.stdout}`).toBe(0);
      return r.stdout;
    };
    run("initdb", "-D", data, "-U", "postgres", "--no-instructions");
    writeFileSync(path("primary", "postgresql.auto.conf"), `wal_level = replica\narchive_mode = on\narchive_command = 'cp %p ${path("archive")}/%f'\nlisten_addresses = ''\nunix_socket_directories = '${path("sock")}'\nport = ${port}\n`);
    run("pg_ctl", "-D", data, "-l", path("primary.log"), "-w", "start");
    const sql = (q: string, db = "postgres") => run("psql", "-X", "-h", path("sock"), "-p", port, "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-Atc", q);
    sql("create database books");
    sql("create table fills (id int primary key, qty int); insert into fills select g, g * 10 from generate_series(1, 3) g", "books");
    run("pg_basebackup", "-h", path("sock"), "-p", port, "-U", "postgres", "-D", path("base"), "-X", "none", "-c", "fast");
    // After the base backup: only the archived WAL holds these.
    sql("insert into fills values (4, 40), (5, 50)", "books");
    sql("select pg_switch_wal()");
    run("pg_ctl", "-D", data, "-m", "fast", "-w", "stop");

    const env = (dir: string, tmp: string, query: string) => ({
      PATH: `${path("bin")}:${POSTGRES_BIN}:/usr/bin:/bin`,
      TMPDIR: path(tmp),
      PGDATA: path(dir, "pgdata"),
      PGUSER: "postgres",
      HOME: path(tmp),
      DRILL_PROVIDER: "aws-s3",
      DRILL_BUCKET: "trading-backups-123456789012",
      DRILL_PREFIX: "postgres/trading",
      DRILL_SERVER: "books",
      DRILL_DATABASE: "books",
      DRILL_QUERY: query,
    });
    const ok = asServerUser("sh", ["-c", DRILL_SCRIPT], env("restore", "run", "select count(*), sum(qty) from fills"));
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    // `select 1`, then the declared query over all five rows: three from the base backup, two from WAL replay.
    expect(ok.stdout).toMatch(/^1$/m);
    expect(ok.stdout).toMatch(/^5\|150$/m);
    expect(ok.stdout).toMatch(/restore drill passed: books restored and verified in \d+s/);
    expect(readFileSync(path("run", "calls.log"), "utf8")).toBe(`restore --cloud-provider aws-s3 s3://trading-backups-123456789012/postgres/trading books latest ${path("restore", "pgdata")}\n`);

    const bad = asServerUser("sh", ["-c", DRILL_SCRIPT], env("restore2", "run2", "select count(*) from trades"));
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).not.toContain("restore drill passed");
    expect(bad.stderr).toContain('relation "trades" does not exist');
    // It leaves no server behind either way (the pod ends; here the test stops it).
    asServerUser("pg_ctl", ["-D", path("restore2", "pgdata"), "-m", "immediate", "stop"]);
  }, 180_000);
});
