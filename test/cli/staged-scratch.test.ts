import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { StagedOutput } from "../../compiler/cli/write-outputs.js";
import { SourceMapWriter } from "../../compiler/cli/source-map-file.js";
import type { Program } from "../../compiler/program.js";

/**
 * A streaming build sets aside, in a scratch file of its staging directory, what it may only
 * write later (an environment's source-map entries that come before their turn), instead of
 * holding it in memory. What comes back must be exactly what went in, and the scratch file is
 * no part of the output.
 */
describe("StagedOutput.scratch", () => {
  it("gives back every character, also one cut by a read chunk (1 MiB), and leaves nothing behind", () => {
    const out = join(mkdtempSync(join(tmpdir(), "finc-scratch-")), "out");
    const staged = new StagedOutput(out);
    const scratch = staged.scratch();
    // 'é' is 2 bytes and '😀' 4 in UTF-8: an odd prefix puts character boundaries off every chunk boundary.
    const pieces = ["x", ..."é😀a".repeat(200_000).match(/.{1,997}/gsu)!];
    for (const p of pieces) scratch.write(p);
    const back: string[] = [];
    scratch.drain((t) => void back.push(t));
    expect(back.join("")).toBe(pieces.join(""));
    expect(back.length).toBeGreaterThan(1); // read back in chunks, not as one string
    staged.add("dev/a.yaml", "a: 1\n");
    staged.commit();
    expect(readdirSync(out).sort()).toEqual([".finc", "dev"]);
    expect(readdirSync(dirname(out)).sort()).toEqual(["out"]);
  });

  it("an undrained scratch file is removed before the commit", () => {
    const out = join(mkdtempSync(join(tmpdir(), "finc-scratch-")), "out");
    const staged = new StagedOutput(out);
    staged.scratch().write("left over");
    staged.add("dev/a.yaml", "a: 1\n");
    staged.commit();
    expect(readdirSync(out).sort()).toEqual([".finc", "dev"]);
    expect(JSON.parse(readFileSync(join(out, ".finc/manifest.json"), "utf8")).files).toEqual(["dev/a.yaml"]);
  });
});

describe("SourceMapWriter", () => {
  // A program whose only file maps every offset to line 0: enough to lay out entries.
  const program = { getSourceFile: () => ({ positionOf: (o: number) => ({ line: 0, character: o }) }) } as unknown as Program;
  const doc = (path: string) => ({ path, object: {}, origin: { file: "/spec/a.fin", start: 1, end: 2 }, fields: {} });
  const layout = (order: readonly string[], scratch: boolean): string => {
    let text = "";
    const sink = { write: (t: string) => void (text += t) };
    const aside: string[][] = [];
    const w = scratch
      ? new SourceMapWriter(program, "/out", order, sink, () => {
          const mine: string[] = [];
          aside.push(mine);
          return { write: (t) => void mine.push(t), drain: (into) => mine.splice(0).forEach(into) };
        })
      : new SourceMapWriter(program, "/out", order, sink);
    for (const env of order) w.environment(env, env === "empty" ? [] : [doc("b.yaml"), doc("a.yaml")]);
    w.finish();
    if (scratch) expect(aside.length).toBeGreaterThan(0);
    return text;
  };
  it("environments that come before their turn (and an empty one first) give the map of path order", () => {
    const text = layout(["staging", "empty", "dev", "prod"], true);
    const map = JSON.parse(text) as { documents: Record<string, unknown> };
    expect(Object.keys(map.documents)).toEqual(["dev/a.yaml", "dev/b.yaml", "prod/a.yaml", "prod/b.yaml", "staging/a.yaml", "staging/b.yaml"]);
    expect(text).toBe(layout(["dev", "empty", "prod", "staging"], false));
  });
});
