// One benchmark measurement in a fresh process (so peak memory is this phase's own).
//   check <spec> : `finc check <spec>` exactly as the CLI runs it (compile + collisions)
//   build <spec> <out> : `finc build <spec> --out <out>` exactly as the CLI runs it
//   floor <spec> <out> : the floor: the same emitted objects serialized with `yaml` and written, one file each
// Times exclude Node's start-up and module loading (the same for all three); CPU is user + system.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { buildOutputs } from "../compiler/emit/build-outputs.js";
import { createNodeHost } from "../compiler/host/compiler-host.js";
import { createProgram } from "../compiler/program.js";
import { run } from "../compiler/cli/main.js";

const [phase, specDir, outDir] = process.argv.slice(2) as [string, string, string];

interface Measure {
  ms: number;
  cpuMs: number;
}

async function measure(body: () => unknown): Promise<Measure> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await body();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000 };
}

let printed = "";
const io = { out: (t: string) => void (printed += t), err: (t: string) => void (printed += t), cwd: process.cwd(), color: false };
async function main(): Promise<Record<string, unknown>> {
  if (phase === "floor") {
    const program = createProgram({ host: createNodeHost(), roots: [specDir] });
    const outputs = buildOutputs(program);
    const docs = [...outputs.documents.entries()].flatMap(([env, ds]) => ds.map((d) => ({ path: `${env}/${d.path}`, object: d.object })));
    rmSync(outDir, { recursive: true, force: true });
    const m = await measure(() => {
      for (const d of docs) {
        const target = join(outDir, d.path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, stringify(d.object, { lineWidth: 0 }));
      }
    });
    return { ...m, documents: docs.length };
  }
  if (phase === "build") rmSync(outDir, { recursive: true, force: true });
  let code = 0;
  const argv = phase === "build" ? ["build", specDir, "--out", outDir] : ["check", specDir];
  const m = await measure(async () => (code = await run(argv, io)));
  if (code !== 0) throw new Error(`finc ${argv.join(" ")} exited ${code}:\n${printed.slice(0, 2000)}`);
  const built = /built (\d+) documents \((\d+) lines\)/.exec(printed);
  return { ...m, ...(built ? { documents: Number(built[1]), lines: Number(built[2]) } : {}) };
}
main().then((result) => process.stdout.write(JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 })), (e: unknown) => {
  process.stderr.write(String((e as Error)?.stack ?? e));
  process.exitCode = 1;
});
