import { DiagnosticSeverity, type PublishDiagnosticsParams } from "vscode-languageserver";
import type { Program } from "../../compiler/program.js";
import { parse } from "../../compiler/syntax/parse.js";
import { diagnosticsByFile, fileDiagnostics } from "./features/diagnostics.js";
import { pathToUri } from "./uri.js";
import type { Snapshot, Workspace } from "./workspace.js";

export interface CompileScheduler {
  /** A document changed: compile after a short quiet period. */
  schedule(): void;
  /** Compiles now if anything changed; returns the current program (requests call this first). */
  flush(): Program | undefined;
  dispose(): void;
}

export interface SchedulerOptions {
  readonly workspace: Workspace;
  readonly delayMs?: number;
  publish(params: PublishDiagnosticsParams): void;
  onError(error: unknown): void;
}

/**
 * Debounces bursts of edits, rebuilds the program and publishes diagnostics for every workspace
 * file and open document (stdlib files only when open), tagged with the document
 * version they were computed from. Files whose diagnostics went away get an empty list.
 */
export function createCompileScheduler(options: SchedulerOptions): CompileScheduler {
  const { workspace } = options;
  const delay = options.delayMs ?? 15;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastChange = -Infinity;
  /** uri → what was last published: the version and a fingerprint of the list. */
  const published = new Map<string, { version: number | undefined; key: string }>();
  let publishedGeneration = 0;

  const publishSnapshot = (snap: Snapshot): void => {
    // Drop results older than what is already out (cannot happen while builds are synchronous).
    if (snap.generation <= publishedGeneration) return;
    publishedGeneration = snap.generation;
    const { program } = snap;
    const grouped = diagnosticsByFile(program);
    const seen = new Set<string>();
    // Open documents first: the one being typed in is what the user is looking at.
    const files = [...program.files];
    const inOrder = [...files.filter(([path]) => workspace.document(path)), ...files.filter(([path]) => !workspace.document(path))];
    for (const [path, file] of inOrder) {
      const open = workspace.document(path);
      if (!open && (file.stdlib || !workspace.isWorkspaceFile(path))) continue;
      // An open document that moved on since the build is reported by the next build.
      const version = snap.versions.get(path);
      if (open && version !== open.version) continue;
      const uri = open?.uri ?? pathToUri(path);
      seen.add(uri);
      const diagnostics = grouped.has(path) ? fileDiagnostics(program, path, grouped) : [];
      const key = JSON.stringify(diagnostics);
      const prior = published.get(uri);
      if (prior && prior.key === key && prior.version === version) continue;
      if (!prior && diagnostics.length === 0 && version === undefined) continue;
      published.set(uri, { version, key });
      options.publish({ uri, diagnostics, ...(version !== undefined ? { version } : {}) });
    }
    for (const [uri, prior] of published) {
      if (seen.has(uri)) continue;
      published.delete(uri);
      if (prior.key !== "[]") options.publish({ uri, diagnostics: [] });
    }
  };

  const compile = (): Program | undefined => {
    try {
      const snap = workspace.rebuild();
      publishSnapshot(snap);
      return snap.program;
    } catch (e) {
      options.onError(e);
      reportCrash(e);
      return workspace.snapshot?.program;
    }
  };

  /** The compiler threw: tell the user which open document makes it fail, for that very version. */
  const reportCrash = (e: unknown): void => {
    for (const doc of workspace.documents()) {
      try {
        parse(doc.path, doc.text);
        continue;
      } catch {
        // this document is the culprit
      }
      const diagnostics = [{
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Error,
        source: "finc",
        code: "internal",
        message: `finc could not compile this file (internal error: ${e instanceof Error ? e.message : String(e)}). Diagnostics are from the last version that compiled.`,
      }];
      published.set(doc.uri, { version: doc.version, key: JSON.stringify(diagnostics) });
      options.publish({ uri: doc.uri, version: doc.version, diagnostics });
    }
  };

  return {
    schedule() {
      // An edit after a quiet period compiles at once; edits in quick succession (a paste
      // sent in pieces, multi-cursor typing, a replace-all) wait until they stop for `delay`.
      const now = performance.now();
      const burst = timer !== undefined || now - lastChange < delay;
      lastChange = now;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        compile();
      }, burst ? delay : 0);
    },
    flush() {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      if (workspace.dirty || !workspace.snapshot) return compile();
      return workspace.snapshot.program;
    },
    dispose() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
