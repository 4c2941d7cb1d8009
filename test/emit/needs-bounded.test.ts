import { describe, expect, it } from "vitest";
import { boundedPeers, DENIED_PEERS_PER_WORKLOAD } from "../../compiler/emit/needs/bounded-peers.js";
import { needsOf } from "../../compiler/emit/needs/index.js";
import { generateSpec } from "../../scripts/generate-spec.mjs";
import { compileSources } from "../helpers/compile.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("denied pairs in the needs file stay linear in the number of workloads", () => {
  it("a small list: every accepted item, in order", () => {
    expect(boundedPeers(range(6), 3, (x) => x !== 3, 5)).toEqual([0, 1, 2, 4, 5]);
  });
  it("a long list: `limit` accepted items scanning round from `start`, in the list's order", () => {
    expect(boundedPeers(range(10), 8, (x) => x % 2 === 0, 3)).toEqual([0, 2, 8]);
    expect(boundedPeers(range(10), 8, () => true, 4)).toEqual([0, 1, 8, 9]);
  });

  const n = 200;
  const model = compileSources({ "main.fin": generateSpec(n) }).checked.models.get("prod")!;
  const denied = (needsOf(model) as { denied: { from: string; to: string }[] }).denied;
  it(`${n} services: at most ${DENIED_PEERS_PER_WORKLOAD} denied peers per workload, every service both a source and a target`, () => {
    const bySource = new Map<string, number>();
    for (const d of denied) bySource.set(d.from, (bySource.get(d.from) ?? 0) + 1);
    // Each service: the limit of services and the limit of databases (20 here, less the one it calls: more than the limit).
    for (let i = 0; i < n; i++) expect(bySource.get(`apps/svc${i}`)).toBe(2 * DENIED_PEERS_PER_WORKLOAD);
    const targets = new Set(denied.map((d) => d.to));
    for (let i = 0; i < n; i++) expect(targets.has(`apps/svc${i}`)).toBe(true);
    // Services to services and to databases, databases (20) to services: linear, where all pairs would be 47,600.
    expect(denied.length).toBeLessThanOrEqual((2 * n + 20) * DENIED_PEERS_PER_WORKLOAD);
  });
  it("never denies a declared call", () => {
    expect(denied).not.toContainEqual({ from: "apps/svc7", to: "apps/svc8" });
    expect(denied).not.toContainEqual({ from: "apps/svc7", to: "apps/db7" });
    expect(denied).toContainEqual({ from: "apps/svc7", to: "apps/svc9" });
  });
});
