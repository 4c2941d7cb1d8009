import { describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The writer's file-system calls per build, counted through a pass-through shim of
 * node:fs: a file of the build costs one write (writeFileSync: open, write, close in
 * one native call), or one hard link when unchanged; no lstat, existence probe,
 * mkdir or rename per file. Directories are listed and created once each, and the
 * new output replaces the old with a fixed number of renames (manifest, journal,
 * out → old, staging → out), whatever the number of files.
 */
const counts = new Map<string, number>();
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const counted = (name: string) => {
    const fn = (real as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
    return (...args: unknown[]) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return fn(...args);
    };
  };
  const names = ["existsSync", "lstatSync", "statSync", "mkdirSync", "renameSync", "writeFileSync", "linkSync", "readdirSync", "openSync", "readFileSync", "unlinkSync"];
  const shim = { ...real, ...Object.fromEntries(names.map((n) => [n, counted(n)])) };
  return { ...shim, default: shim };
});

const { writeOutputs } = await import("../../compiler/cli/write-outputs.js");

/** `n` files in 4 environment × namespace directories, like a build's. */
const filesOf = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({ path: `env${i % 2}/ns${i % 4}/deployment-svc${i}.yaml`, content: `kind: Deployment\nname: svc${i}\ntag: ${tag}\n` }));

function countedBuild(out: string, files: { path: string; content: string }[]): Record<string, number> {
  counts.clear();
  writeOutputs(out, files);
  return Object.fromEntries(counts);
}

describe("the output writer's file-system calls do not grow per file beyond the one write", () => {
  const tmp = mkdtempSync(join(tmpdir(), "finc-syscalls-"));
  const runs = [100, 1000].map((n) => {
    const out = join(tmp, `out-${n}`);
    const fresh = countedBuild(out, filesOf(n, "1"));
    // Half the files change, half are byte-identical (hard-linked).
    const again = countedBuild(out, filesOf(n, "1").map((f, i) => (i % 2 ? { ...f, content: f.content + "changed: true\n" } : f)));
    return { n, out, fresh, again };
  });
  const [small, large] = runs as [(typeof runs)[0], (typeof runs)[0]];

  it("writes every file once into a fresh --out, with a fixed number of renames, mkdirs and no per-file probe", () => {
    expect(large.fresh["writeFileSync"]).toBe(1000 + 2); // the files, the manifest (temp + rename), the journal (temp + rename)
    expect(large.fresh["renameSync"]).toBe(3); // manifest, journal, staging → out
    expect(large.fresh["mkdirSync"]).toBe(small.fresh["mkdirSync"]);
    for (const probe of ["existsSync", "lstatSync", "statSync", "readdirSync"]) expect(large.fresh[probe] ?? 0, probe).toBe(small.fresh[probe] ?? 0);
    expect(readdirSync(join(large.out, "env0/ns0")).length).toBe(250);
  });

  it("a rebuild over the previous output: unchanged files hard-linked, changed ones written, the directories swapped with two renames", () => {
    expect(large.again["linkSync"]).toBe(500);
    expect(large.again["writeFileSync"]).toBe(500 + 2);
    expect(large.again["renameSync"]).toBe(4); // manifest, journal, out → old, staging → out
    // The previous build is listed once per directory, not probed once per file.
    for (const probe of ["existsSync", "lstatSync", "statSync", "readdirSync", "mkdirSync"]) expect(large.again[probe] ?? 0, probe).toBe(small.again[probe] ?? 0);
    expect(readFileSync(join(large.out, "env1/ns1/deployment-svc1.yaml"), "utf8")).toBe("kind: Deployment\nname: svc1\ntag: 1\nchanged: true\n");
    expect(readFileSync(join(large.out, "env0/ns0/deployment-svc0.yaml"), "utf8")).toBe("kind: Deployment\nname: svc0\ntag: 1\n");
    rmSync(tmp, { recursive: true, force: true });
  });
});
