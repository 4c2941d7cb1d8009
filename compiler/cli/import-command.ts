import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../diagnostics/render-text.js";
import { formatSource } from "../format/format.js";
import { createNodeHost, type CompilerHost } from "../host/compiler-host.js";
import { importManifests, redact } from "../import/import-manifests.js";
import { importTable } from "../import/import-table.js";
import { createProgram } from "../program.js";
import { createSourceFile, type SourceFile } from "../syntax/source-file.js";
import { UsageError } from "./args.js";
import { refuseOutDir, resolveOutDir } from "./output-dir-guard.js";

export interface ImportIo {
  out(text: string): void;
  err(text: string): void;
  readonly cwd: string;
  readonly color: boolean;
}

/** The first line of every file `finc import` writes: it overwrites only files that start with it. */
const HEADER = "// Imported by `finc import`";

/**
 * `finc import <files|dirs…> [--out DIR]`: Kubernetes YAML → one canonical `.fin` file.
 * Without --out the .fin goes to stdout and the table to stderr; with it, `<DIR>/<platform>.fin`
 * is written atomically (temporary file + rename, never outside DIR, never over a file finc
 * import did not write) and the table goes to stdout. The result is type-checked before anything
 * is written: an imported spec that does not check is a bug in finc import (exit 70).
 */
export function importCommand(paths: readonly string[], outFlag: string | undefined, io: ImportIo): number {
  if (!paths.length) throw new UsageError("import needs the YAML files or directories to read");
  const abs = paths.map((p) => resolve(io.cwd, p));
  const missing = abs.filter((p) => !existsSync(p));
  if (missing.length) throw new UsageError(`no such file or directory: ${missing.map((m) => relative(io.cwd, m)).join(", ")}`);
  const files = abs.flatMap(yamlFilesOf);
  if (!files.length) throw new UsageError("no .yaml or .yml files in the given inputs");
  const shown = (f: string) => relative(io.cwd, f) || f;
  const inputs = files.map((path) => ({ path, text: readFileSync(path, "utf8") }));
  const result = importManifests(inputs, paths.map((p) => relative(io.cwd, resolve(io.cwd, p)) || "."), shown);
  // Diagnostics quote input lines: render them from the input with every literal secret masked.
  const sources = new Map<string, SourceFile>(inputs.map((f) => [f.path, createSourceFile(f.path, redact(f.text, f.path, result.redactions))]));
  if (result.diagnostics.length) io.err(renderDiagnostics(result.diagnostics, (p) => sources.get(p), { color: io.color, cwd: io.cwd }));
  if (hasErrors(result.diagnostics)) {
    io.err("finc: import failed; nothing was written.\n");
    return 1;
  }
  const name = /^platform ([a-z0-9-]+)/m.exec(result.fin)?.[1] ?? "imported";
  const outDir = outFlag === undefined ? undefined : resolveOutDir(resolve(io.cwd, outFlag));
  const target = join(outDir ?? io.cwd, `${name}.fin`);
  const checked = acceptedByCheck(target, result.fin);
  const fin = checked.text;
  const problems = checked.problems;
  if (problems) {
    io.err(problems);
    io.err("finc: internal error: the imported spec does not pass `finc check` (a bug in finc import; please report it with the manifests).\n");
    return 70;
  }
  const table = importTable(result.dispositions, shown);
  if (outDir === undefined) {
    io.out(fin);
    io.err(table);
    return 0;
  }
  const refusal = refuseOutDir(outDir, { specFiles: [], input: abs[0]!, cwd: io.cwd }, outFlag!);
  if (refusal && !refusal.includes("spec directory")) {
    io.err(`finc: ${refusal}; choose a dedicated output directory.\n`);
    return 2;
  }
  try {
    writeAtomically(outDir, `${name}.fin`, fin);
  } catch (e) {
    io.err(`finc: cannot write ${shown(target)}: ${(e as Error).message}\n`);
    return 2;
  }
  io.out(table);
  io.out(`finc: imported ${result.dispositions.length} objects from ${files.length} file${files.length === 1 ? "" : "s"} into ${shown(target)} (${lineCount(fin)} lines); run \`finc check ${shown(target)}\`.\n`);
  return 0;
}

function yamlFilesOf(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? yamlFilesOf(join(p, e.name)) : /\.ya?ml$/.test(e.name) ? [join(p, e.name)] : []));
}

/**
 * The imported text compiled as if it were at `path` (nothing is written). A field line the checker
 * refuses (an input value out of finc's range, an image reference it cannot read) is turned into a
 * comment that says why — never dropped; what is still refused after that is a bug (the rendered errors).
 */
function acceptedByCheck(path: string, text: string): { text: string; problems: string | undefined } {
  const base = createNodeHost();
  let current = text;
  for (let round = 0; round < 5; round++) {
    const host: CompilerHost = { ...base, readFile: (p) => (p === path ? current : base.readFile(p)) };
    const program = createProgram({ host, roots: [path] });
    const errors = program.diagnostics.filter((d) => d.severity === "error");
    if (!errors.length) return { text: current, problems: undefined };
    const source = program.getSourceFile(path);
    const lines = current.split("\n");
    let changed = false;
    for (const d of errors) {
      if (!source || d.range.file !== path) continue;
      const line = source.positionOf(d.range.start).line;
      const l = lines[line] ?? "";
      if (/[{}]/.test(l.replace(/"(?:[^"\\]|\\.)*"/g, "")) || l.trim().startsWith("//") || !/^\s+\S/.test(l)) continue;
      lines[line] = `${l.match(/^\s*/)![0]}// finc import: not accepted by finc check (${d.code}: ${d.message.replace(/\s+/g, " ")}): ${l.trim()}`;
      changed = true;
    }
    if (!changed) return { text: current, problems: renderDiagnostics(errors, program.getSourceFile, { color: false, cwd: "/" }) };
    current = formatSource(lines.join("\n"))?.text ?? lines.join("\n");
  }
  return { text: current, problems: "finc import: the imported spec still does not check after 5 rounds\n" };
}

/** Writes `dir/name` through a temporary file in `dir` and a rename: readers see the old file or the new one. */
function writeAtomically(dir: string, name: string, text: string): void {
  const target = join(dir, name);
  if (existsSync(target)) {
    const st = lstatSync(target);
    if (st.isSymbolicLink() || !st.isFile()) throw new Error("it exists and is not a regular file");
    if (!readFileSync(target, "utf8").startsWith(HEADER)) throw new Error("it exists and was not written by finc import (remove it or choose another --out)");
  }
  mkdirSync(dir, { recursive: true });
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  const fd = openSync(tmp, "wx", 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, target);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
}

function lineCount(s: string): number {
  return s.split("\n").length - 1;
}
