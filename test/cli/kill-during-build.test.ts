import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { REPO } from "../helpers/compile.js";
import { generateSpec } from "../../scripts/generate-spec.mjs";
import { prng } from "../helpers/prng.js";

/**
 * kill -9 of `finc build` at random moments: the output directory must always be
 * exactly the complete previous build or the complete new one, and the next build
 * must succeed with no cleanup and yield the new one. The spec is generated large
 * enough (200 services, ~5,400 files) that the write phase takes a good share of
 * the build, and three of the five kills land after the build has started writing.
 */
const FINC = resolve(REPO, "dist/finc.cjs");
const SERVICES = 200;



/** Every file below dir (lstat, links listed as such) → sha256, skipping the user's own files. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (r === "README.md" || r === ".git") continue;
      const st = lstatSync(join(dir, r));
      if (st.isDirectory()) walk(r);
      else files.set(r, st.isSymbolicLink() ? "link" : createHash("sha256").update(readFileSync(join(dir, r))).digest("hex"));
    }
  };
  walk("");
  return files;
}

const same = (a: Map<string, string>, b: Map<string, string>): boolean => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

function buildSync(cwd: string, out: string): void {
  const r = spawnSync(process.execPath, [FINC, "build", "../spec", "--out", out], { cwd, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
}

/**
 * Runs a build of ../spec into cwd/out; with `kill`, sends SIGKILL `kill.delay` ms
 * after the start or, with `kill.afterStaging`, after its staging directory appears.
 * Reports when staging appeared (ms from the start) and whether it ran to the end.
 * A build that writes without staging (finc before the swap) is killed at
 * `writingFrom + delay` instead, so the test fails on it as it should.
 */
function runBuild(cwd: string, kill?: { delay: number; afterStaging: boolean; writingFrom?: number }): Promise<{ finished: boolean; stagingAt: number; total: number }> {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [FINC, "build", "../spec", "--out", "out"], { cwd, stdio: "ignore" });
    let stagingAt = -1;
    const killLater = () => setTimeout(() => child.kill("SIGKILL"), kill!.delay);
    const poll = setInterval(() => {
      if (stagingAt >= 0 || !readdirSync(cwd).some((n) => n.startsWith(".out.finc-staging-"))) return;
      stagingAt = Date.now() - t0;
      if (kill?.afterStaging) killLater();
    }, 5);
    if (kill && !kill.afterStaging) killLater();
    const fallback = kill?.afterStaging && kill.writingFrom !== undefined ? setTimeout(() => stagingAt < 0 && setTimeout(() => child.kill("SIGKILL"), kill.delay), kill.writingFrom) : undefined;
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      clearTimeout(fallback);
      if (!kill) expect(code).toBe(0);
      done({ finished: signal !== "SIGKILL", stagingAt, total: Date.now() - t0 });
    });
  });
}

describe("kill -9 during finc build", () => {
  it("leaves --out exactly the previous or the new build, and the next build repairs everything", async () => {
    if (!existsSync(FINC)) spawnSync("node", ["scripts/build.mjs"], { cwd: REPO });
    const root = mkdtempSync(join(tmpdir(), "finc-kill-"));
    const spec = join(root, "spec/main.fin");
    const work = join(root, "work");
    for (const d of ["spec", "next", "work"]) mkdirSync(join(root, d));
    // References: the two builds, each made undisturbed at the same depth (the source map holds relative paths).
    writeFileSync(spec, generateSpec(SERVICES, "1.0"));
    buildSync(work, "out");
    const builds = { "1.0": snapshot(join(work, "out")), "2.0": new Map<string, string>() };
    writeFileSync(spec, generateSpec(SERVICES, "2.0"));
    const reference = await runBuild(join(root, "next"));
    const duration = reference.total;
    // The part of the build spent writing, committing and cleaning up, where a kill matters most.
    let writing = reference.stagingAt >= 0 ? duration - reference.stagingAt : duration / 2;
    const writingFrom = reference.stagingAt >= 0 ? undefined : duration - writing;
    builds["2.0"] = snapshot(join(root, "next/out"));
    expect(same(builds["1.0"], builds["2.0"])).toBe(false);
    // Files of the user's inside --out ride along every swap.
    writeFileSync(join(work, "out/README.md"), "mine");
    mkdirSync(join(work, "out/.git"));
    writeFileSync(join(work, "out/.git/HEAD"), "ref: refs/heads/main\n");

    const seed = Number(process.env["FINC_KILL_SEED"] ?? Date.now() % 100_000);
    const rnd = prng(seed);
    const seen: string[] = [`seed ${seed}, build ${duration} ms of which ${writing} ms writing`];
    for (let i = 0; i < 5; i++) {
      // The out dir holds one build; the killed build (and the repair after it) produces the other.
      const [from, to] = i % 2 === 0 ? (["1.0", "2.0"] as const) : (["2.0", "1.0"] as const);
      writeFileSync(spec, generateSpec(SERVICES, to));
      // Two kills anywhere in the build's life, three once it has begun writing.
      const afterStaging = i >= 2;
      const delay = Math.floor(rnd() * (afterStaging ? writing : duration));
      const { finished } = await runBuild(work, { delay, afterStaging, writingFrom });
      const now = snapshot(join(work, "out"));
      const state = same(now, builds[from]) ? "previous" : same(now, builds[to]) ? "new" : "MIXED";
      const left = readdirSync(work).filter((n) => n !== "out").map((n) => n.replace(/^\.out\.finc-|-\d+(\.json)?$/g, ""));
      seen.push(`${afterStaging ? "writing+" : ""}${delay} ms: ${finished ? "finished" : "killed"} → ${state}${left.length ? ` (left: ${left.join(", ")})` : ""}`);
      expect(state, seen.join("; ")).not.toBe("MIXED");

      // The repair; it also tells how long a rebuild spends writing (longer than the fresh reference: it compares with, then deletes, the previous output).
      const repair = await runBuild(work);
      if (repair.stagingAt >= 0) writing = repair.total - repair.stagingAt;
      expect(same(snapshot(join(work, "out")), builds[to]), seen.join("; ")).toBe(true);
      expect(readFileSync(join(work, "out/README.md"), "utf8")).toBe("mine");
      expect(readFileSync(join(work, "out/.git/HEAD"), "utf8")).toBe("ref: refs/heads/main\n");
      expect(readdirSync(work)).toEqual(["out"]);
    }
    console.log(`kill -9 moments: ${seen.join("; ")}`);
    rmSync(root, { recursive: true, force: true });
  }, 120_000);
});
