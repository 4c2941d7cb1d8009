// One benchmark measurement in a fresh process (so peak memory is this phase's own).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { buildOutputs } from "../compiler/emit/build-outputs.js";
import { createNodeHost } from "../compiler/host/compiler-host.js";
import { createProgram } from "../compiler/program.js";
import { writeOutputs } from "../compiler/cli/write-outputs.js";

const [phase, specDir, outDir, stdlib] = process.argv.slice(2) as [string, string, string, string];
const host = createNodeHost(stdlib);

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

const t0 = performance.now();
const program = createProgram({ host, roots: [specDir] });
if (phase === "check") {
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, diagnostics: program.diagnostics.length }));
} else {
  const outputs = buildOutputs(program);
  rmSync(outDir, { recursive: true, force: true });
  writeOutputs(outDir, outputs.files);
  const ms = performance.now() - t0;
  const lines = outputs.files.reduce((n, f) => n + countLines(f.content), 0);
  // The floor: only serialize the same emitted objects with the yaml library and write them.
  const docs = [...outputs.documents.entries()].flatMap(([env, ds]) => ds.map((d) => ({ path: `${env}/${d.path}`, object: d.object })));
  const floorDir = outDir + "-floor";
  rmSync(floorDir, { recursive: true, force: true });
  const f0 = performance.now();
  for (const d of docs) {
    const target = join(floorDir, d.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, stringify(d.object, { lineWidth: 0 }));
  }
  const floorMs = performance.now() - f0;
  process.stdout.write(JSON.stringify({ ms, floorMs, maxRssMb: process.resourceUsage().maxRSS / 1024, documents: outputs.files.length, lines, diagnostics: program.diagnostics.length }));
}
