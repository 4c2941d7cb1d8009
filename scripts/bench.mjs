// npm run bench: `finc build` and `finc check` of one generated platform at 100, 1,000 and 10,000
// services, each next to its floor measured in the same run: the same emitted objects merely
// serialized with `yaml` and written one file each (scripts/bench-worker.ts). Then the editor bench.
//   --sizes 100,1000   other sizes;  --runs N   runs per size below 10,000 (default 3; 10,000: 1);  --no-lsp   skip the editor bench
import { build } from "esbuild";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generateSpec } from "./generate-spec.mjs";

const root = resolve(import.meta.dirname, "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
};
const sizes = arg("--sizes", "100,1000,10000").split(",").map(Number);
const runsBelow10k = Number(arg("--runs", "3"));
const work = mkdtempSync(join(tmpdir(), "finc-bench-"));
// Below the repository (node_modules/.cache), so the bundled CLI finds the stdlib as dist/finc.cjs does.
const worker = join(root, "node_modules/.cache/finc-bench/worker.cjs");
await build({ entryPoints: [join(root, "scripts/bench-worker.ts")], outfile: worker, bundle: true, platform: "node", format: "cjs", target: "node20", minifySyntax: true, logLevel: "warning", define: { "import.meta.url": "undefined", FINC_VERSION: '"bench"', FINC_SERVER_BUNDLE: '"server.cjs"' } });

function run(phase, specDir, outDir) {
  const r = spawnSync(process.execPath, [worker, phase, specDir, outDir ?? ""], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${phase} ${specDir}: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout);
}
const median = (xs, key) => [...xs].sort((a, b) => a[key] - b[key])[Math.floor(xs.length / 2)][key];
const fmt = (n, w = 8, d = 0) => n.toFixed(d).padStart(w);
const ratio = (a, b) => (a / b).toFixed(2).padStart(6);
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

console.log(`finc build/check benchmark: medians of ${runsBelow10k} runs (1 at 10,000 services), fresh processes; CPU = user + system; RSS = peak of the process. Load average at start: ${load()}\n`);
console.log("services | documents |     lines | build ms | build CPU | build MB | floor ms | floor CPU | wall/floor | CPU/floor | check ms | check/floor");
const rows = [];
for (const n of sizes) {
  const specDir = join(work, `spec-${n}`);
  mkdirSync(specDir, { recursive: true });
  writeFileSync(join(specDir, "main.fin"), generateSpec(n));
  const out = join(work, `out-${n}`);
  const runs = n >= 10000 ? 1 : runsBelow10k;
  const builds = [];
  const floors = [];
  const checks = [];
  // Interleaved, so a burst of load elsewhere hits build and floor alike.
  try {
    for (let i = 0; i < runs; i++) {
      builds.push(run("build", specDir, out));
      floors.push(run("floor", specDir, `${out}-floor`));
      checks.push(run("check", specDir));
    }
  } catch (e) {
    console.log(`${String(n).padStart(8)} | FAILED: ${String(e.message).split("\n").filter((l) => /heap|memory|exited|Error/.test(l)).slice(0, 2).join(" ")}`);
    continue;
  }
  rmSync(out, { recursive: true, force: true });
  rmSync(`${out}-floor`, { recursive: true, force: true });
  const r = { n, documents: builds[0].documents, lines: builds[0].lines, ms: median(builds, "ms"), cpuMs: median(builds, "cpuMs"), mb: median(builds, "maxRssMb"), floorMs: median(floors, "ms"), floorCpuMs: median(floors, "cpuMs"), checkMs: median(checks, "ms") };
  rows.push(r);
  console.log(`${String(n).padStart(8)} | ${String(r.documents).padStart(9)} | ${String(r.lines).padStart(9)} | ${fmt(r.ms)} | ${fmt(r.cpuMs, 9)} | ${fmt(r.mb)} | ${fmt(r.floorMs)} | ${fmt(r.floorCpuMs, 9)} | ${ratio(r.ms, r.floorMs).padStart(10)} | ${ratio(r.cpuMs, r.floorCpuMs).padStart(9)} | ${fmt(r.checkMs)} | ${ratio(r.checkMs, r.floorMs).padStart(11)}`);
}
console.log(`Load average at end: ${load()}`);

const at = (n) => rows.find((r) => r.n === n);
const verdict = (ok) => (ok ? "met" : "NOT met");
console.log("\nTargets:");
for (const n of [1000, 10000]) {
  const r = at(n);
  if (!r) continue;
  console.log(`  N=${n}: wall ≤ 1.0× floor: ${ratio(r.ms, r.floorMs).trim()}× ${verdict(r.ms <= r.floorMs)}; CPU ≤ 1.0× floor: ${ratio(r.cpuMs, r.floorCpuMs).trim()}× ${verdict(r.cpuMs <= r.floorCpuMs)}; check ≤ 0.5× floor: ${ratio(r.checkMs, r.floorMs).trim()}× ${verdict(r.checkMs <= 0.5 * r.floorMs)}`);
}
if (at(1000) && at(10000)) {
  const g = at(10000).ms / at(1000).ms;
  console.log(`  build time growth 1,000 → 10,000: ×${g.toFixed(2)} (≤ ×10.5): ${verdict(g <= 10.5)}`);
  console.log(`  peak RSS at 10,000: ${at(10000).mb.toFixed(0)} MB (≤ 1024 MB): ${verdict(at(10000).mb <= 1024)}`);
}

// `finc check` of the example, including Node start-up, as CI runs it.
const cli = join(root, "dist/finc.cjs");
if (existsSync(cli)) {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [cli, "check", join(root, "examples/payments")], { encoding: "utf8" });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`\nfinc check examples/payments (process start to exit): median ${times[3].toFixed(0)} ms, best ${times[0].toFixed(0)} ms (target < 300 ms).`);
}

const lspBench = join(root, "scripts/bench-lsp.mjs");
if (!process.argv.includes("--no-lsp") && existsSync(lspBench) && existsSync(join(root, "dist/server.cjs"))) {
  console.log("");
  execFileSync(process.execPath, [lspBench], { stdio: "inherit" });
}
rmSync(work, { recursive: true, force: true });
