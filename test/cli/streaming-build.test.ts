import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildOutputs, DEFAULT_TARGETS } from "../../compiler/emit/build-outputs.js";
import { complianceReportFiles } from "../../compiler/emit/compliance-report/report.js";
import { needsFiles } from "../../compiler/emit/needs/index.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { run } from "../../compiler/cli/main.js";
import { sourceMapFile } from "../../compiler/cli/source-map-file.js";
import { specLineLocator } from "../../compiler/cli/spec-lines.js";
import { MANIFEST } from "../../compiler/cli/write-outputs.js";
import { platformSpec, REPO, serviceSpec, STDLIB } from "../helpers/compile.js";

/**
 * `finc build` streams: each environment is serialized into the staging directory as it is
 * emitted (cli/stream-build.ts). What it writes must be, byte for byte, what the pure path
 * computes for the whole build at once: buildOutputs' files (the goldens' source), the
 * source map of sourceMapFile, the needs files and the compliance report.
 */
function listFiles(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel)).flatMap((n) => {
    const r = rel ? `${rel}/${n}` : n;
    return statSync(join(dir, r)).isDirectory() ? listFiles(dir, r) : [r];
  });
}

async function finc(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, { out: (t) => void (out += t), err: (t) => void (err += t), cwd, color: false });
  return { code, out, err };
}

/** The whole build at once, the way finc built before it streamed: every file of `--out` but the manifest. */
function expectedFiles(example: string, outDir: string, targets: readonly string[], env: string | undefined, report: boolean): Map<string, string> {
  const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples", example)] });
  const outputs = buildOutputs(program, { targets, ...(env ? { environments: [env] } : {}) });
  const models = [...outputs.documents.keys()].map((e) => program.checked.models.get(e)!);
  const files = [...outputs.files, sourceMapFile(program, outputs, outDir), ...needsFiles(models)];
  if (report) files.push(...complianceReportFiles(models, outputs.documents, specLineLocator(program, REPO)));
  return new Map(files.map((f) => [f.path, f.content]));
}

describe("finc build writes, environment by environment, exactly what the whole build computes", () => {
  const tmp = mkdtempSync(join(tmpdir(), "finc-stream-"));
  const cases: { example: string; targets: readonly string[]; env?: string; report: boolean }[] = [
    // Every target: whole-build ones (helm, kustomize) are fed the documents the environments streamed.
    { example: "payments", targets: [...DEFAULT_TARGETS, "helm", "kustomize"], report: true },
    // An Argo CD platform: gitops keeps only its summaries of each environment.
    { example: "trading", targets: DEFAULT_TARGETS, report: false },
    // One environment: the chart still sees every environment, emitted apart from the streamed one.
    { example: "retail-bank", targets: ["kubernetes", "helm"], env: "prod", report: false },
  ];
  for (const c of cases) {
    it(`${c.example} (${c.targets.length} targets${c.env ? `, --env ${c.env}` : ""}${c.report ? ", --report" : ""}), then a rebuild that changes nothing`, async () => {
      const out = join(tmp, `${c.example}-${c.env ?? "all"}`);
      const argv = ["build", resolve(REPO, "examples", c.example), "--out", out, "--target", c.targets.join(","), ...(c.env ? ["--env", c.env] : []), ...(c.report ? ["--report"] : [])];
      const first = await finc(argv, REPO);
      expect(first.err).toBe("");
      expect(first.code).toBe(0);
      const expected = expectedFiles(c.example, out, c.targets, c.env, c.report);
      const written = listFiles(out).filter((p) => p !== MANIFEST).sort();
      expect(written).toEqual([...expected.keys()].sort());
      for (const p of written) expect(readFileSync(join(out, p), "utf8"), p).toBe(expected.get(p));
      expect(JSON.parse(readFileSync(join(out, MANIFEST), "utf8")).files).toEqual(written);
      // The summary counts the documents and packaged files (not finc's own .finc/ files), as before.
      const packaged = [...expected.keys()].filter((p) => !p.startsWith(".finc/") && !(c.report && /^compliance\/[^/]+\/report\.(md|json)$/.test(p)));
      const lines = packaged.reduce((n, p) => n + expected.get(p)!.split("\n").length - 1, 0);
      expect(first.out).toContain(`built ${packaged.length} documents (${lines} lines)`);
      expect(first.out).toContain(`${written.length} written, 0 unchanged, 0 removed`);
      // The streamed source map too is recognised as unchanged (hard-linked, not rewritten).
      const inode = statSync(join(out, ".finc/sourcemap.json")).ino;
      const again = await finc(argv, REPO);
      expect(again.code).toBe(0);
      expect(again.out).toContain(`0 written, ${written.length} unchanged, 0 removed`);
      expect(statSync(join(out, ".finc/sourcemap.json")).ino).toBe(inode);
    }, 120_000);
  }

  it("a collision found only while emitting (FIN5001, after files were staged) leaves --out as it was and no staging directory behind", async () => {
    const dir = join(tmp, "collision");
    const out = join(dir, "out");
    mkdirSync(join(dir, "spec"), { recursive: true });
    const spec = (extra: string) => platformSpec("  mesh istio sidecar cni\n  ingress istio") + serviceSpec("web", '  expose "shop.example.com"\n') + extra;
    writeFileSync(join(dir, "spec/main.fin"), spec(""));
    const good = await finc(["build", "spec", "--out", "out"], dir);
    expect(good.err).toBe("");
    expect(good.code).toBe(0);
    const before = new Map(listFiles(out).map((p) => [p, readFileSync(join(out, p), "utf8")]));
    // A service named like the host's ingress VirtualService: the checker does not foresee it, the registry does.
    writeFileSync(join(dir, "spec/main.fin"), spec(serviceSpec("ingress-shop-example-com", "  timeout 2s\n")));
    const r = await finc(["build", "spec", "--out", "out"], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain("FIN5001");
    expect(r.err).toContain("nothing was written");
    expect(new Map(listFiles(out).map((p) => [p, readFileSync(join(out, p), "utf8")]))).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(["out", "spec"]);
    rmSync(tmp, { recursive: true, force: true });
  });
});

