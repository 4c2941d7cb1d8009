import { describe, expect, it } from "vitest";
import { releaseMemory } from "../../compiler/cli/release-memory.js";

/**
 * Between two environments of a big build the previous one's documents are garbage; a full
 * collection there keeps the build's peak near what it holds (issue 11: ≤ 1 GB at 10,000
 * services). It must work in a plain `node dist/finc.cjs` (no --expose-gc) and leave the
 * program's own global scope as it was.
 */
describe("releaseMemory", () => {
  it("collects an environment's worth of garbage without --expose-gc, and adds no global `gc`", () => {
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    let held: number[][] | undefined = [];
    // About 400 MB in the old generation (arrays this big are allocated there directly).
    for (let i = 0; i < 50; i++) held.push(new Array<number>(1_000_000).fill(i + 0.5));
    const live = process.memoryUsage().heapUsed;
    expect(live).toBeGreaterThan(300 * 1024 * 1024);
    held = undefined;
    releaseMemory();
    expect(process.memoryUsage().heapUsed).toBeLessThan(live - 250 * 1024 * 1024);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
