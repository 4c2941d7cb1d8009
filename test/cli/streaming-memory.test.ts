import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { createContext, runInContext } from "node:vm";
import { EMITTERS } from "../../compiler/emit/build-outputs.js";
import type { Emitter } from "../../compiler/emit/output.js";
import { run } from "../../compiler/cli/main.js";
import { generateSpec } from "../../scripts/generate-spec.mjs";

/**
 * `finc build` holds one environment's objects at a time: by the time the next environment
 * is emitted, the previous one's files are in the staging directory and its objects are
 * garbage. Checked structurally, not by measuring memory: every Kubernetes object the
 * emitter returns is registered with a FinalizationRegistry, and when the emitter is called
 * for the next environment a full GC runs and the registry reports, synchronously
 * (cleanupSome), which objects were collected. A WeakRef could not tell: it keeps its
 * target alive until the synchronous build returns.
 */
setFlagsFromString("--expose-gc");
setFlagsFromString("--harmony-weak-refs-with-cleanup-some");
const context = createContext({});
const gc = runInContext("gc", context) as () => void;
interface Registry {
  register(target: object, held: string): void;
  cleanupSome(callback: (held: string) => void): void;
}
const Registry = runInContext("FinalizationRegistry", context) as new (callback: (held: string) => void) => Registry;

describe("finc build streams environments: the previous one is written and dropped before the next is emitted", () => {
  const root = mkdtempSync(join(tmpdir(), "finc-stream-mem-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("at each environment's emission, every earlier environment's objects are collected and its files are staged", async () => {
    mkdirSync(join(root, "spec"));
    writeFileSync(join(root, "spec/main.fin"), generateSpec(12)); // environments dev, staging, prod
    const emitted = new Map<string, number>();
    const collected = new Map<string, number>();
    const onCollected = (env: string): void => void collected.set(env, (collected.get(env) ?? 0) + 1);
    const registry = new Registry(onCollected);
    /** Per environment after the first: what was alive and staged of the ones before it. */
    const seen: { env: string; earlier: { env: string; emitted: number; collected: number; staged: boolean }[] }[] = [];
    const kubernetes = EMITTERS["kubernetes"] as Emitter & { emit: Emitter["emit"] };
    const emit = kubernetes.emit;
    kubernetes.emit = (model) => {
      const env = model.environment;
      if (emitted.size && !emitted.has(env)) {
        gc();
        registry.cleanupSome(onCollected);
        const staging = readdirSync(root).find((n) => n.startsWith(".out.finc-staging-"));
        seen.push({ env, earlier: [...emitted].map(([e, n]) => ({ env: e, emitted: n, collected: collected.get(e) ?? 0, staged: !!staging && existsSync(join(root, staging, e)) })) });
      }
      const result = emit.call(kubernetes, model);
      for (const d of result.documents) registry.register(d.object, env);
      emitted.set(env, (emitted.get(env) ?? 0) + result.documents.length);
      return result;
    };
    let code: number;
    try {
      code = await run(["build", "spec", "--out", "out"], { out: () => {}, err: () => {}, cwd: root, color: false });
    } finally {
      kubernetes.emit = emit;
    }
    expect(code).toBe(0);
    expect(seen.map((s) => s.env)).toEqual(["staging", "prod"]);
    for (const s of seen) {
      for (const e of s.earlier) {
        expect(e.emitted, `${e.env} emitted objects`).toBeGreaterThan(100);
        expect({ at: s.env, env: e.env, staged: e.staged, alive: e.emitted - e.collected }).toEqual({ at: s.env, env: e.env, staged: true, alive: 0 });
      }
    }
  }, 120_000);
});
