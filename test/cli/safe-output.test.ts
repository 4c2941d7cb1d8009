import { describe, expect, it, beforeAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { REPO } from "../helpers/compile.js";

/**
 * End-to-end tests of what `finc build` may touch: only paths inside --out, never
 * through a symbolic link, never a dangerous --out, never two builds at once.
 */
const FINC = resolve(REPO, "dist/finc.cjs");
const finc = (args: string[], cwd: string, env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [FINC, ...args], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const tmp = () => mkdtempSync(join(tmpdir(), "finc-safe-"));

/** A work dir with the example spec copied to spec/ and built once into out/. */
function builtOnce(): string {
  const dir = tmp();
  cpSync(resolve(REPO, "examples/payments"), join(dir, "spec"), { recursive: true });
  const r = finc(["build", "spec", "--out", "out"], dir);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return dir;
}

function setManifest(out: string, extra: string[]): void {
  const path = join(out, ".finc/manifest.json");
  const m = JSON.parse(readFileSync(path, "utf8")) as { files: string[] };
  writeFileSync(path, JSON.stringify({ generator: "finc", files: [...m.files, ...extra] }));
}

beforeAll(() => {
  if (!existsSync(FINC)) spawnSync("node", ["scripts/build.mjs"], { cwd: REPO });
}, 60_000);

describe("finc build stays inside --out", () => {
  it("ignores manifest entries that are absolute, contain '..' or resolve through a symlinked directory: nothing outside is deleted, each is a warning", () => {
    const dir = builtOnce();
    writeFileSync(join(dir, "victim.txt"), "keep me");
    writeFileSync(join(dir, "absolute-victim.txt"), "keep me too");
    mkdirSync(join(dir, "elsewhere"));
    writeFileSync(join(dir, "elsewhere/inner.yaml"), "not finc's");
    symlinkSync(join(dir, "elsewhere"), join(dir, "out/linked"));
    setManifest(join(dir, "out"), ["../victim.txt", join(dir, "absolute-victim.txt"), "linked/inner.yaml", "prod/../../victim.txt"]);
    const r = finc(["build", "spec", "--out", "out"], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "victim.txt"), "utf8")).toBe("keep me");
    expect(readFileSync(join(dir, "absolute-victim.txt"), "utf8")).toBe("keep me too");
    expect(readFileSync(join(dir, "elsewhere/inner.yaml"), "utf8")).toBe("not finc's");
    expect(lstatSync(join(dir, "out/linked")).isSymbolicLink()).toBe(true);
    expect(r.stderr).toContain("warning: ignoring manifest entry '../victim.txt'");
    expect(r.stderr).toContain(`warning: ignoring manifest entry '${join(dir, "absolute-victim.txt")}'`);
    expect(r.stderr).toContain("warning: ignoring manifest entry 'linked/inner.yaml'");
    expect(r.stderr).toContain("warning: ignoring manifest entry 'prod/../../victim.txt'");
    // The ignored entries are not carried into the new manifest.
    expect(readFileSync(join(dir, "out/.finc/manifest.json"), "utf8")).not.toContain("victim");
  });

  it("a stale manifest entry that is a symlink is removed as a link, its target is untouched", () => {
    const dir = builtOnce();
    writeFileSync(join(dir, "target.txt"), "target");
    symlinkSync(join(dir, "target.txt"), join(dir, "out/prod/old-link.yaml"));
    setManifest(join(dir, "out"), ["prod/old-link.yaml"]);
    const r = finc(["build", "spec", "--out", "out"], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "target.txt"), "utf8")).toBe("target");
    expect(existsSync(join(dir, "out/prod/old-link.yaml"))).toBe(false);
  });

  it("refuses (exit 2) to write through a symlinked directory inside --out; the directory it points to is untouched", () => {
    const dir = builtOnce();
    mkdirSync(join(dir, "elsewhere"));
    cpSync(join(dir, "out/prod/payments"), join(dir, "elsewhere"), { recursive: true });
    const before = readdirSync(join(dir, "elsewhere")).sort();
    writeFileSync(join(dir, "elsewhere/deployment-api.yaml"), "outside");
    spawnSync("rm", ["-rf", join(dir, "out/prod/payments")]);
    symlinkSync(join(dir, "elsewhere"), join(dir, "out/prod/payments"));
    const r = finc(["build", "spec", "--out", "out"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("symbolic link");
    expect(r.stderr).toContain("prod/payments");
    expect(readFileSync(join(dir, "elsewhere/deployment-api.yaml"), "utf8")).toBe("outside");
    expect(readdirSync(join(dir, "elsewhere")).sort()).toEqual(before);
  });

  it("refuses (exit 2) to replace a file of the build that became a symlink; its target is untouched", () => {
    const dir = builtOnce();
    writeFileSync(join(dir, "secret.txt"), "outside");
    spawnSync("rm", [join(dir, "out/prod/payments/deployment-api.yaml")]);
    symlinkSync(join(dir, "secret.txt"), join(dir, "out/prod/payments/deployment-api.yaml"));
    const r = finc(["build", "spec", "--out", "out"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("prod/payments/deployment-api.yaml");
    expect(r.stderr).toContain("symbolic link");
    expect(readFileSync(join(dir, "secret.txt"), "utf8")).toBe("outside");
    expect(lstatSync(join(dir, "out/prod/payments/deployment-api.yaml")).isSymbolicLink()).toBe(true);
  });

  it("keeps files finc did not write (a .git directory, a README, a file next to its own) across a rebuild that changes output", () => {
    const dir = builtOnce();
    mkdirSync(join(dir, "out/.git/objects"), { recursive: true });
    writeFileSync(join(dir, "out/.git/HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(dir, "out/README.md"), "mine");
    writeFileSync(join(dir, "out/prod/payments/kustomization.yaml"), "hand-written");
    const platform = join(dir, "spec/services.fin");
    writeFileSync(platform, readFileSync(platform, "utf8").replace(/replicas 6 to 30/, "replicas 7 to 30"));
    const r = finc(["build", "spec", "--out", "out"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/[1-9]\d* written/);
    expect(readFileSync(join(dir, "out/.git/HEAD"), "utf8")).toBe("ref: refs/heads/main\n");
    expect(existsSync(join(dir, "out/.git/objects"))).toBe(true);
    expect(readFileSync(join(dir, "out/README.md"), "utf8")).toBe("mine");
    expect(readFileSync(join(dir, "out/prod/payments/kustomization.yaml"), "utf8")).toBe("hand-written");
    // Nothing of the swap is left next to --out.
    expect(readdirSync(dir).sort()).toEqual(["out", "spec"]);
  });
});

describe("finc build refuses a dangerous --out (exit 2)", () => {
  it.each([
    ["the spec directory itself", "spec"],
    ["a directory that contains the spec directory", "."],
    ["a directory that contains the spec files (parent of the spec dir)", "nested"],
  ])("--out %s", (_label, out) => {
    const dir = tmp();
    cpSync(resolve(REPO, "examples/payments"), join(dir, "nested/spec"), { recursive: true });
    const cwd = out === "spec" ? join(dir, "nested") : dir;
    const before = readdirSync(join(dir, "nested/spec")).sort();
    const r = finc(["build", cwd === dir ? "nested/spec" : "spec", "--out", out], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*(is the spec directory|contains the spec file)/);
    expect(readdirSync(join(dir, "nested/spec")).sort()).toEqual(before);
  });

  it("--out / is refused before anything is written", () => {
    const dir = tmp();
    const r = finc(["build", resolve(REPO, "examples/payments"), "--out", "/"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--out / is the root of the file system");
    expect(existsSync("/.finc/manifest.json")).toBe(false);
  });

  it("--out equal to the home directory is refused", () => {
    const dir = tmp();
    const home = join(dir, "home");
    mkdirSync(home);
    const r = finc(["build", resolve(REPO, "examples/payments"), "--out", home], dir, { HOME: home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is your home directory");
    expect(readdirSync(home)).toEqual([]);
  });

  it("--out that is an existing regular file is refused", () => {
    const dir = tmp();
    writeFileSync(join(dir, "out"), "a file");
    const r = finc(["build", resolve(REPO, "examples/payments"), "--out", "out"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is a file, not a directory");
    expect(readFileSync(join(dir, "out"), "utf8")).toBe("a file");
  });
});

describe("finc build takes a lock on --out", () => {
  it("a build waits for a lock held by a live process, then exits 2 naming that process", () => {
    const dir = tmp();
    const lock = { pid: process.pid, hostname: hostname(), started: new Date().toISOString() };
    writeFileSync(join(dir, ".out.finc-lock"), JSON.stringify(lock));
    const t0 = Date.now();
    const r = finc(["build", resolve(REPO, "examples/payments"), "--out", "out"], dir, { FINC_LOCK_WAIT_MS: "600" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`is being written by another finc build (process ${process.pid} on ${hostname()}`);
    expect(existsSync(join(dir, "out"))).toBe(false);
    expect(existsSync(join(dir, ".out.finc-lock"))).toBe(true);
  });

  it("a stale lock whose process is dead is taken over, and released after the build", () => {
    const dir = tmp();
    const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    const lock = { pid: Number(dead.stdout.trim()), hostname: hostname(), started: new Date().toISOString() };
    writeFileSync(join(dir, ".out.finc-lock"), JSON.stringify(lock));
    const r = finc(["build", resolve(REPO, "examples/payments"), "--out", "out"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "out/.finc/manifest.json"))).toBe(true);
    expect(readdirSync(dir)).toEqual(["out"]);
  });

  it("two concurrent builds into the same --out never interleave: both succeed one after the other and out is complete", async () => {
    const dir = tmp();
    cpSync(resolve(REPO, "examples/payments"), join(dir, "a"), { recursive: true });
    cpSync(resolve(REPO, "examples/payments"), join(dir, "b"), { recursive: true });
    const services = join(dir, "b/services.fin");
    writeFileSync(services, readFileSync(services, "utf8").replace(/replicas 6 to 30/, "replicas 7 to 30"));
    const start = (spec: string) =>
      new Promise<{ code: number | null; stderr: string }>((done) => {
        const child = spawn(process.execPath, [FINC, "build", spec, "--out", "out"], { cwd: dir });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code) => done({ code, stderr }));
      });
    const [ra, rb] = await Promise.all([start("a"), start("b")]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    // out is exactly one complete build: the one of a or of b, never a mix.
    const manifest = JSON.parse(readFileSync(join(dir, "out/.finc/manifest.json"), "utf8")) as { files: string[] };
    const refA = finc(["build", "a", "--out", "ref-a"], dir);
    const refB = finc(["build", "b", "--out", "ref-b"], dir);
    expect([refA.code, refB.code]).toEqual([0, 0]);
    const same = (ref: string) => manifest.files.every((f) => f === ".finc/sourcemap.json" || readFileSync(join(dir, "out", f), "utf8") === readFileSync(join(dir, ref, f), "utf8"));
    expect(same("ref-a") || same("ref-b")).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["a", "b", "out", "ref-a", "ref-b"]);
  }, 30_000);
});
