import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { sortDiagnostics } from "./diagnostics/diagnostic.js";
import { diag } from "./diagnostics/messages.js";
import type { CompilerHost } from "./host/compiler-host.js";
import { findProjectRoot, isInside } from "./host/project-root.js";
import { check, type CheckResult } from "./semantic/check.js";
import { checkEmbeddedCredentials } from "./semantic/check-embedded-credentials.js";
import { checkImportCycles, type ImportingFile } from "./semantic/check-import-cycles.js";
import { readDatabaseInits } from "./semantic/database-init.js";
import { collectDeclarations, type DeclarationTable } from "./semantic/declarations.js";
import type { FileNode } from "./syntax/ast.js";
import { parse } from "./syntax/parse.js";
import { createSourceFile, type SourceFile } from "./syntax/source-file.js";
import { positionMap, type FileEdit } from "./semantic/incremental/position-map.js";

export interface LoadedFile {
  readonly source: SourceFile;
  readonly ast: FileNode;
  readonly parseDiagnostics: readonly Diagnostic[];
  readonly stdlib: boolean;
  /** Absolute paths of the files this one imports (resolved or not). */
  readonly imports: readonly string[];
  /** Set by an incremental re-parse: how offsets moved from the previous text (`edit.from`). */
  readonly edit?: FileEdit;
}

/** The single object the CLI and the language server hold: files, declarations, models, diagnostics. */
export interface Program {
  readonly host: CompilerHost;
  readonly rootFiles: readonly string[];
  readonly files: ReadonlyMap<string, LoadedFile>;
  readonly declarations: DeclarationTable;
  readonly checked: CheckResult;
  readonly diagnostics: readonly Diagnostic[];
  getSourceFile(path: string): SourceFile | undefined;
}

export interface ProgramOptions {
  readonly host: CompilerHost;
  /** Files or directories; a directory means every `.fin` file under it. */
  readonly roots: readonly string[];
  /**
   * A previous program: files with identical text reuse its parse (the language server edits one
   * file at a time), and unchanged workloads its check results, which are moved into this
   * program's offsets in place: afterwards the previous program's models and values are stale.
   */
  readonly oldProgram?: Program;
}

/** Resolves an import: stdlib modules by name, relative paths against the importing file. */
export function resolveImport(host: CompilerHost, from: string, path: string): string {
  const withExt = path.endsWith(".fin") ? path : `${path}.fin`;
  if (path.startsWith(".")) return resolve(dirname(from), withExt);
  if (isAbsolute(path)) return withExt;
  return join(host.stdlibDir, withExt);
}

export function createProgram(options: ProgramOptions): Program {
  const { host } = options;
  const files = new Map<string, LoadedFile>();
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (d: Diagnostic): void => {
    const key = `${d.code}|${d.range.file}|${d.range.start}|${d.range.end}|${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    diagnostics.push(d);
  };
  const rootFiles: string[] = [];
  for (const root of options.roots) {
    const abs = resolve(root);
    if (host.isDirectory(abs)) rootFiles.push(...host.listFinFiles(abs));
    else rootFiles.push(abs);
  }

  const stdlibPrefix = host.stdlibDir.endsWith("/") ? host.stdlibDir : host.stdlibDir + "/";
  const projectRoot = findProjectRoot(host, options.roots);
  // Released once every file is loaded: V8 keeps a function's captured variables in one context
  // shared by all its closures, so holding the old program here would chain every program the
  // language server ever built to the next one (3.5 MB per keystroke on a 2,000-line spec).
  let oldFiles: ReadonlyMap<string, LoadedFile> | undefined = options.oldProgram?.files;
  const load = (path: string): LoadedFile | undefined => {
    const existing = files.get(path);
    if (existing) return existing;
    const text = host.readFile(path);
    if (text === undefined) return undefined;
    const old = oldFiles?.get(path);
    let file: LoadedFile;
    if (old && old.source.text === text) file = old;
    else {
      const { ast, diagnostics: parseDiagnostics } = parse(path, text);
      const imports = ast.imports.map((i) => resolveImport(host, path, i.path));
      file = { source: createSourceFile(path, text), ast, parseDiagnostics, stdlib: path.startsWith(stdlibPrefix), imports };
    }
    files.set(path, file);
    file.parseDiagnostics.forEach(report);
    file.ast.imports.forEach((imp, i) => {
      const target = file.imports[i]!;
      // A relative or absolute import must stay inside the project (host/project-root.ts); stdlib modules are the stdlib's.
      if (!file.stdlib && !target.startsWith(stdlibPrefix) && !isInside(projectRoot, target)) {
        report(diag("FIN2017", { file: path, start: imp.pathSpan.start, end: imp.pathSpan.end }, { path: imp.path, target, root: projectRoot }));
        return;
      }
      if (!load(target)) report(diag("FIN2005", { file: path, start: imp.pathSpan.start, end: imp.pathSpan.end }, { path: imp.path }));
    });
    return file;
  };
  for (const f of rootFiles) {
    if (!load(f)) report(diag("FIN2005", { file: f, start: 0, end: 0 }, { path: f }));
  }
  oldFiles = undefined;
  const importing = new Map<string, ImportingFile>();
  for (const [path, f] of files) if (!f.stdlib) importing.set(path, { path, imports: f.ast.imports.map((imp, i) => ({ target: f.imports[i]!, span: imp.pathSpan })) });
  checkImportCycles(importing, report);
  // Nothing declared at all (empty, comment-only or import-only files): FIN2013, not FIN2010's "missing platform".
  const own = [...files.values()].filter((f) => !f.stdlib);
  if (own.length && own.every((f) => f.ast.declarations.length === 0 && f.parseDiagnostics.length === 0)) {
    report(diag("FIN2013", { file: own[0]!.source.path, start: 0, end: 0 }, {}));
  }
  const ordered = [...files.values()].sort((a, b) => Number(b.stdlib) - Number(a.stdlib) || (a.source.path < b.source.path ? -1 : 1));
  const declarations = collectDeclarations(ordered, report);
  // The previous check's per-workload results, reused where an edit cannot have changed them.
  const previous = options.oldProgram?.checked.units;
  const texts = new Map<string, string>();
  for (const [path, f] of files) texts.set(path, f.source.text);
  const map = previous ? positionMap(previous.texts, new Map([...files].map(([path, f]) => [path, { text: f.source.text, ...(f.edit ? { edit: f.edit } : {}) }]))) : undefined;
  const checked = readDatabaseInits(check(declarations, report, { texts, ...(previous && map ? { previous, map } : {}) }), host, report);
  checkEmbeddedCredentials(ordered, declarations, checked, report);
  return programOf({ host, rootFiles, files, declarations, checked, diagnostics: sortDiagnostics(diagnostics) });
}

/** Outside createProgram, so that getSourceFile's closure captures only the files, not the loader's state. */
function programOf(parts: Omit<Program, "getSourceFile">): Program {
  const { files } = parts;
  return { ...parts, getSourceFile: (p) => files.get(p)?.source };
}
