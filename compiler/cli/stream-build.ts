import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { streamOutputs } from "../emit/build-outputs.js";
import { complianceReportFiles } from "../emit/compliance-report/report.js";
import { needsPath, writeNeedsFile } from "../emit/needs/index.js";
import type { Program } from "../program.js";
import { releaseMemory } from "./release-memory.js";
import { SOURCE_MAP, SourceMapWriter } from "./source-map-file.js";
import { specLineLocator } from "./spec-lines.js";
import { StagedOutput } from "./write-outputs.js";

export interface StreamBuildOptions {
  readonly environments?: readonly string[];
  readonly targets: readonly string[];
  /** `--report`: the compliance report of each environment. */
  readonly report: boolean;
  /** Where spec lines in the report are relative to. */
  readonly cwd: string;
}

export interface StreamBuildResult {
  /** False when the build had errors: nothing was written, `--out` is as it was. */
  readonly ok: boolean;
  readonly environments: readonly string[];
  /** The documents and packaged files (not finc's own `.finc/` files), and their lines. */
  readonly documents: number;
  readonly lines: number;
  readonly written: number;
  readonly unchanged: number;
  readonly removed: number;
}

/**
 * `finc build`'s writing half: each environment is emitted, serialized straight into the
 * staging directory with its source-map entries, needs file and report, and dropped before
 * the next one (emit/build-outputs.ts streamOutputs); the whole-build targets follow. Then,
 * once every diagnostic is known, the staging directory becomes `--out` (StagedOutput.commit),
 * or is discarded if there is an error. `report` gets the diagnostics before anything is committed.
 */
export function streamBuild(program: Program, options: StreamBuildOptions, realOut: string, outDir: string, report: (diagnostics: readonly Diagnostic[]) => void, warn: (message: string) => void): StreamBuildResult {
  const models = program.checked.models;
  const envs = (options.environments ?? program.checked.environments).filter((e) => models.has(e));
  const out = new StagedOutput(realOut, warn);
  let documents = 0;
  let lines = 0;
  let result;
  try {
    const sourceMap = out.addStreamed(SOURCE_MAP);
    const map = new SourceMapWriter(program, outDir, envs, sourceMap, () => out.scratch());
    const locate = options.report ? specLineLocator(program, options.cwd) : undefined;
    result = streamOutputs(program, { environments: options.environments, targets: options.targets }, {
      file: (f) => {
        out.add(f.path, f.content);
        documents++;
        lines += countLines(f.content);
      },
      environment: (env, model, docs) => {
        map.environment(env, docs);
        // runtime-check's needs file: what the spec says must and must not connect.
        const needs = out.addStreamed(needsPath(env));
        writeNeedsFile(model, (text) => needs.write(text));
        needs.close();
        if (locate) for (const f of complianceReportFiles([model], new Map([[env, docs]]), locate)) out.add(f.path, f.content);
      },
      environmentDone: releaseMemory,
    });
    map.finish();
    sourceMap.close();
  } catch (e) {
    out.abort();
    throw e;
  }
  const diagnostics = [...program.diagnostics, ...result.diagnostics];
  report(diagnostics);
  const summary = { environments: result.environments, documents, lines };
  if (hasErrors(diagnostics)) {
    out.abort();
    return { ok: false, ...summary, written: 0, unchanged: 0, removed: 0 };
  }
  return { ok: true, ...summary, ...out.commit() };
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}
