// npm run bench: compile-time and memory figures for generated specs, and the editor latency bench.
import { build } from "esbuild";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generateSpec } from "./generate-spec.mjs";

const root = resolve(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "finc-bench-"));
const worker = join(work, "worker.cjs");
await build({ entryPoints: [join(root, "scripts/bench-worker.ts")], outfile: worker, bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning", define: { "import.meta.url": "undefined" } });


function run(phase, specDir, outDir) {
  const r = spawnSync(process.execPath, [worker, phase, specDir, outDir, join(root, "stdlib")], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const fmt = (n, d = 0) => n.toFixed(d).padStart(8);
console.log("finc compile benchmark (each figure: median of 3 runs in fresh processes; peak RSS of that process)\n");
console.log("services |  check ms | check MB |  build ms | build MB | documents |     lines |  floor ms | build/floor");
const rows = [];
for (const n of [10, 100, 1000]) {
  const specDir = join(work, `spec-${n}`);
  mkdirSync(specDir, { recursive: true });
  writeFileSync(join(specDir, "main.fin"), generateSpec(n));
  const checks = [0, 1, 2].map(() => run("check", specDir, join(work, `out-${n}`))).sort((a, b) => a.ms - b.ms);
  const builds = [0, 1, 2].map(() => run("build", specDir, join(work, `out-${n}`))).sort((a, b) => a.ms - b.ms);
  const c = checks[1];
  const b = builds[1];
  if (c.diagnostics || b.diagnostics) console.warn(`warning: generated spec ${n} has ${c.diagnostics} diagnostics`);
  rows.push({ n, ...b });
  console.log(`${String(n).padStart(8)} | ${fmt(c.ms, 1)}  | ${fmt(c.maxRssMb)} | ${fmt(b.ms, 1)}  | ${fmt(b.maxRssMb)} | ${String(b.documents).padStart(9)} | ${String(b.lines).padStart(9)} | ${fmt(b.floorMs, 1)}  | ${(b.ms / b.floorMs).toFixed(2).padStart(11)}`);
}
const [r10, r100, r1000] = rows;
console.log(`\nGrowth of build time: 10→100 ×${(r100.ms / r10.ms).toFixed(1)}, 100→1000 ×${(r1000.ms / r100.ms).toFixed(1)} (linear would be ×10).`);
console.log(`Target: build/floor ≤ 1.0 at 1,000 services: ${r1000.ms / r1000.floorMs <= 1 ? "met" : "NOT met"}.`);

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
if (existsSync(lspBench) && existsSync(join(root, "dist/server.cjs"))) {
  console.log("");
  execFileSync(process.execPath, [lspBench], { stdio: "inherit" });
}
rmSync(work, { recursive: true, force: true });
