import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { createRequire } from "node:module";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { toJsonReport } from "../diagnostics/render-json.js";
import { toCodeQuality } from "../diagnostics/render-codequality.js";
import { toSarif } from "../diagnostics/render-sarif.js";
import { renderDiagnostics } from "../diagnostics/render-text.js";
import { buildOutputs, collisionDiagnostics, DEFAULT_TARGETS, EMITTERS } from "../emit/build-outputs.js";
import { formatSource } from "../format/format.js";
import { createNodeHost } from "../host/compiler-host.js";
import { createProgram, type Program } from "../program.js";
import { parseArgs, UsageError } from "./args.js";
import { importCommand } from "./import-command.js";
import { lookupPointer, SOURCE_MAP, type SourceMapFile } from "./source-map-file.js";
import { VERSION } from "./version.js";
import { installAssumptionsFor } from "../model/install-assumptions.js";
import { LockBusy } from "./build-lock.js";
import { refuseOutDir, resolveOutDir } from "./output-dir-guard.js";
import { OutputConflict, SymlinkInOutput } from "./write-outputs.js";
import { streamBuild } from "./stream-build.js";
import { parse } from "../syntax/parse.js";
import { createSourceFile } from "../syntax/source-file.js";
import { promoteCommand } from "./promote-command.js";
import { costCommand } from "./cost-command.js";
import { outputsOf } from "../model/cluster-topology.js";

const HELP = `finc ${VERSION} — compile .fin platform specs to Kubernetes

Usage:
  finc build <file|dir> [--out DIR] [--env NAME] [--target kubernetes,helm,kustomize,…] [--report]
  finc check <files|dirs…> [--format text|json|sarif|codequality]
  finc fmt [--check] <files…>
  finc promote <files|dirs…> --from <env> --to <env> [--check]
  finc cost <files|dirs…> [--env NAME] [--format text|json|markdown] [--prices FILE]
  finc explain <output-file>[#/json/pointer]
  finc import <files|dirs…> [--out DIR]   Kubernetes YAML → .fin (prints the .fin without --out)
  finc lsp --stdio

Options:
  --out DIR       output directory (default: out)
  --env NAME      build only this environment (default: every environment)
  --target LIST   comma-separated output targets (default: ${DEFAULT_TARGETS.join(",")});
                  helm writes helm/<chart>/, kustomize writes kustomize/base and kustomize/overlays/<env>
                  terraform writes terraform/<env>/*.tf.json (AWS: IRSA roles, KMS key, backup bucket)
  --report        build: also write compliance/<env>/report.md and report.json (each requirement of the
                  platform's compliance profiles, its status, the output objects and spec lines behind it)
  --format FMT    diagnostics format for check: text, json, sarif or codequality (GitLab)
  --check         fmt: report files that are not formatted, change nothing;
                  promote: print the image changes, change nothing (exit 1 if any)
  -h, --help      show this help
  -v, --version   show the version

Exit codes: 0 success, 1 errors in the spec, 2 bad usage or I/O error, 70 internal error (a bug in finc: please report it).`;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly cwd: string;
  readonly color: boolean;
}

const VALUE_FLAGS = new Set(["--out", "--env", "--target", "--format", "--from", "--to", "--prices"]);

/** Runs one CLI invocation; returns the exit code. Never throws on user error. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const args = parseArgs(argv, VALUE_FLAGS);
    if (args.flags.has("--version") || args.flags.has("-v")) {
      io.out(`finc ${VERSION}\n`);
      return 0;
    }
    if (args.flags.has("--help") || args.flags.has("-h") || !args.command || args.command === "help") {
      io.out(HELP + "\n");
      return args.command || args.flags.size ? 0 : 2;
    }
    switch (args.command) {
      case "build":
        return build(args.positionals, args.flags, io);
      case "check":
        return check(args.positionals, args.flags, io);
      case "fmt":
        return fmt(args.positionals, args.flags.has("--check"), io);
      case "explain":
        return explain(args.positionals, io);
      case "import":
        return importCommand(args.positionals, args.flags.has("--out") ? String(args.flags.get("--out")) : undefined, io);
      case "cost":
        return costCommand(compile(args.positionals, io), args.flags, io);
      case "promote":
        return promoteCommand(compile(args.positionals, io), flagValue(args.flags, "--from"), flagValue(args.flags, "--to"), args.flags.has("--check"), io);
      case "lsp":
        return lsp();
      default:
        throw new UsageError(`unknown command '${args.command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`finc: ${e.message}\nRun 'finc --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
}

function flagValue(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === "string" ? v : undefined;
}

function requireInputs(paths: string[], io: Io): string[] {
  if (!paths.length) throw new UsageError("no input files or directories given");
  const abs = paths.map((p) => resolve(io.cwd, p));
  const missing = abs.filter((p) => !existsSync(p));
  if (missing.length) throw new UsageError(`no such file or directory: ${missing.map((m) => relative(io.cwd, m)).join(", ")}`);
  return abs;
}

function compile(paths: string[], io: Io): Program {
  return createProgram({ host: createNodeHost(), roots: requireInputs(paths, io) });
}

function report(program: Program, diagnostics: readonly Diagnostic[], io: Io): void {
  if (!diagnostics.length) return;
  // The rendering ends with the one "N errors" summary line.
  io.err(renderDiagnostics(diagnostics, program.getSourceFile, { color: io.color, cwd: io.cwd }));
}

function build(paths: string[], flags: Map<string, string | true>, io: Io): number {
  if (paths.length !== 1) throw new UsageError("build takes exactly one file or directory");
  const start = performance.now();
  const outDir = resolve(io.cwd, String(flags.get("--out") ?? "out"));
  const targets = flags.has("--target") ? String(flags.get("--target")).split(",") : [...DEFAULT_TARGETS];
  const unknown = targets.filter((t) => !(t in EMITTERS));
  if (unknown.length) throw new UsageError(`unknown target '${unknown[0]}' (targets: ${Object.keys(EMITTERS).join(", ")})`);
  const program = compile(paths, io);
  const env = flags.get("--env");
  // `--env prod` of a multi-cluster environment builds each of its clusters' outputs (prod-eu-west, prod-eu-central).
  const selected = typeof env === "string" ? outputsOf(program.checked.environments, program.checked.models, env) : undefined;
  if (typeof env === "string" && !selected?.length) {
    throw new UsageError(`unknown environment '${env}' (environments: ${program.checked.environments.join(", ")})`);
  }
  const shownOut = String(flags.get("--out") ?? "out");
  const realOut = resolveOutDir(outDir);
  const specFiles = [...program.files.values()].filter((f) => !f.stdlib).map((f) => f.source.path);
  const refusal = refuseOutDir(realOut, { specFiles, input: resolve(io.cwd, paths[0]!), cwd: io.cwd }, shownOut);
  if (refusal) {
    io.err(`finc: ${refusal}; choose a dedicated output directory.\n`);
    return 2;
  }
  const environments = selected;
  // The checker's errors (and what the emitters would add to them) are reported without touching --out.
  if (hasErrors(program.diagnostics)) {
    report(program, [...program.diagnostics, ...buildOutputs(program, { environments, targets }).diagnostics], io);
    io.err("finc: build failed; nothing was written.\n");
    return 1;
  }
  // The writer's warnings come after the spec's diagnostics, as they always have.
  const warnings: string[] = [];
  const flushWarnings = (): void => warnings.splice(0).forEach((m) => io.err(`finc: warning: ${m}\n`));
  let result;
  try {
    result = streamBuild(program, { environments, targets, report: flags.has("--report"), cwd: io.cwd }, realOut, outDir, (d) => report(program, d, io), (m) => void warnings.push(m));
  } catch (e) {
    flushWarnings();
    if (e instanceof OutputConflict) {
      io.err(`finc: ${e.message}\nChoose another --out directory or remove those files.\n`);
      return 2;
    }
    if (e instanceof SymlinkInOutput || e instanceof LockBusy) {
      io.err(`finc: ${e.message}\n`);
      return 2;
    }
    io.err(`finc: cannot write to ${relative(io.cwd, outDir) || "."}: ${(e as Error).message}\n`);
    return 2;
  }
  flushWarnings();
  if (!result.ok) {
    io.err("finc: build failed; nothing was written.\n");
    return 1;
  }
  const envs = result.environments;
  const ms = Math.round(performance.now() - start);
  io.out(`finc: built ${result.documents} documents (${result.lines} lines) for ${envs.length} environment${envs.length === 1 ? "" : "s"} (${envs.join(", ")}) into ${relative(io.cwd, outDir) || "."} in ${ms} ms: ${result.written} written, ${result.unchanged} unchanged, ${result.removed} removed.\n`);
  // What the cluster must run for this output (model/install-assumptions.ts), once per build.
  const assumed = installAssumptionsFor(envs.flatMap((e) => program.checked.models.get(e) ?? []));
  if (assumed.length) io.out(`finc: this output assumes:\n${assumed.map((a) => `  - ${a}\n`).join("")}`);
  return 0;
}

function check(paths: string[], flags: Map<string, string | true>, io: Io): number {
  const format = String(flags.get("--format") ?? "text");
  if (!["text", "json", "sarif", "codequality"].includes(format)) throw new UsageError(`unknown format '${format}' (text, json, sarif or codequality)`);
  const program = compile(paths, io);
  // What the build would refuse too: two generated objects with one identity or file (FIN5001).
  const diagnostics = [...program.diagnostics, ...collisionDiagnostics(program)];
  if (format === "json") io.out(JSON.stringify(toJsonReport(diagnostics, program.getSourceFile, { cwd: io.cwd }), null, 2) + "\n");
  else if (format === "sarif") io.out(JSON.stringify(toSarif(diagnostics, program.getSourceFile, { toolVersion: VERSION, cwd: io.cwd }), null, 2) + "\n");
  else if (format === "codequality") io.out(JSON.stringify(toCodeQuality(diagnostics, program.getSourceFile, { cwd: io.cwd }), null, 2) + "\n");
  else if (diagnostics.length) report(program, diagnostics, io);
  else io.out(`finc: ${program.rootFiles.length} file${program.rootFiles.length === 1 ? "" : "s"} checked, no problems.\n`);
  return hasErrors(diagnostics) ? 1 : 0;
}

function fmt(paths: string[], checkOnly: boolean, io: Io): number {
  const files = requireInputs(paths, io).flatMap((p) => (createNodeHost().isDirectory(p) ? createNodeHost().listFinFiles(p) : [p]));
  let unformatted = 0;
  let broken = 0;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const result = formatSource(text);
    if (!result) {
      const { diagnostics } = parse(file, text);
      const source = createSourceFile(file, text);
      io.err(renderDiagnostics(diagnostics, (p) => (p === file ? source : undefined), { color: io.color, cwd: io.cwd }));
      broken++;
      continue;
    }
    if (!result.changed) continue;
    unformatted++;
    if (checkOnly) io.out(`${relative(io.cwd, file)}\n`);
    else writeFileSync(file, result.text);
  }
  if (broken) io.err(`finc: ${broken} file${broken === 1 ? "" : "s"} not formatted because of syntax errors.\n`);
  if (checkOnly && unformatted) io.err(`finc: ${unformatted} file${unformatted === 1 ? " is" : "s are"} not formatted; run 'finc fmt'.\n`);
  else if (!checkOnly && unformatted) io.out(`finc: formatted ${unformatted} file${unformatted === 1 ? "" : "s"}.\n`);
  return broken || (checkOnly && unformatted) ? 1 : 0;
}

function explain(args: string[], io: Io): number {
  if (args.length !== 1) throw new UsageError("explain takes one output file, optionally with #/json/pointer");
  const [filePart, pointer = ""] = args[0]!.split("#", 2) as [string, string | undefined];
  const file = resolve(io.cwd, filePart);
  let dir = dirname(file);
  while (!existsSync(join(dir, SOURCE_MAP)) && dirname(dir) !== dir) dir = dirname(dir);
  const mapPath = join(dir, SOURCE_MAP);
  if (!existsSync(mapPath)) throw new UsageError(`no finc source map found above ${relative(io.cwd, file)}; was it written by 'finc build'?`);
  const map = JSON.parse(readFileSync(mapPath, "utf8")) as SourceMapFile;
  const key = relative(dir, file).split("\\").join("/");
  const entry = map.documents[key];
  if (!entry) throw new UsageError(`${relative(io.cwd, file)} is not a document of that build`);
  const hit = lookupPointer(entry, pointer);
  const loc = hit?.location ?? entry.spec;
  const specFile = resolve(dir, loc.file);
  const lines = existsSync(specFile) ? readFileSync(specFile, "utf8").split("\n") : [];
  io.out(`${relative(io.cwd, file)}${pointer ? `#${pointer}` : ""} ← ${relative(io.cwd, specFile)}:${loc.line}:${loc.column}${hit && hit.pointer !== pointer ? ` (via ${hit.pointer})` : ""}\n`);
  const last = Math.min(loc.endLine, loc.line + 40);
  for (let l = loc.line; l <= last; l++) io.out(`${String(l).padStart(5)} | ${lines[l - 1] ?? ""}\n`);
  // `override` blocks are the last step of every document they touch: say so even when the field asked about comes from elsewhere.
  for (const o of entry.overrides ?? []) {
    if (o.file === loc.file && o.line <= loc.line && loc.line <= o.endLine) continue;
    const oFile = resolve(dir, o.file);
    const oLines = oFile === specFile ? lines : existsSync(oFile) ? readFileSync(oFile, "utf8").split("\n") : [];
    io.out(`then overridden by ${relative(io.cwd, oFile)}:${o.line}:${o.column}\n`);
    if (!pointer) for (let l = o.line; l <= Math.min(o.endLine, o.line + 40); l++) io.out(`${String(l).padStart(5)} | ${oLines[l - 1] ?? ""}\n`);
  }
  return 0;
}

/** Set by the bundler for dist/finc.cjs (scripts/build.mjs); absent when run from source. */
declare const FINC_SERVER_BUNDLE: string | undefined;

async function lsp(): Promise<number> {
  // The bundled CLI loads the server bundle next to it (dist/server.cjs, which starts on load)
  // rather than carrying its ~400 KB itself: every other command starts faster without it.
  if (typeof FINC_SERVER_BUNDLE === "string") createRequire(__filename)(join(__dirname, FINC_SERVER_BUNDLE));
  else (await import("../../language-server/src/main.js")).startServer();
  return new Promise<number>(() => {});
}
