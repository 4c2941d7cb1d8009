import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build, byKey, compile, directBuild, exampleDirs, findKubectl, parseDocs, tempDir, writeFiles } from "./support.js";

const kubectl = findKubectl();
if (!kubectl) console.warn("test/kustomize: no kubectl with Kustomize v5+ found; the `kubectl kustomize` equivalence tests are SKIPPED.");

describe.each(exampleDirs())("kustomize overlays of %s", (dir) => {
  const program = compile(dir);
  const envs = program.checked.environments;

  it("compiles without errors and writes base/ and one overlay per environment", () => {
    expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const paths = build(program, ["kustomize"]).files.map((f) => f.path);
    expect(paths).toContain("kustomize/base/kustomization.yaml");
    for (const env of envs) expect(paths).toContain(`kustomize/overlays/${env}/kustomization.yaml`);
    expect(paths.every((p) => p.startsWith("kustomize/"))).toBe(true);
  });

  it("is the same whichever environments are requested (the base never depends on --env)", () => {
    const all = new Map(build(program, ["kustomize"]).files.map((f) => [f.path, f.content]));
    for (const env of envs) {
      for (const f of build(program, ["kustomize"], [env]).files) expect(f.content).toBe(all.get(f.path));
    }
  });

  it.skipIf(!kubectl)("`kubectl kustomize overlays/<env>` renders the same objects as `finc build --env <env>`", () => {
    const out = tempDir("kustomize");
    writeFiles(out, build(program, ["kustomize"]).files);
    for (const env of envs) {
      const rendered = byKey(parseDocs(execFileSync(kubectl!, ["kustomize", join(out, "kustomize/overlays", env)], { encoding: "utf8" })));
      const direct = directBuild(program, env);
      expect([...rendered.keys()].sort(), env).toEqual([...direct.keys()].sort());
      for (const [key, obj] of direct) expect(rendered.get(key), `${env}: ${key}`).toEqual(obj);
    }
  });

  it.skipIf(!!kubectl)("SKIPPED: no kubectl with Kustomize v5+ is installed, so the overlays were not rendered with `kubectl kustomize`", () => {});
});
