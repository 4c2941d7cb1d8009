import { relative } from "node:path";
import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { BuildOutputs } from "../emit/build-outputs.js";
import type { EmittedDocument, OutputFile } from "../emit/output.js";
import type { Program } from "../program.js";
import type { ScratchFile } from "./write-outputs.js";

export const SOURCE_MAP = ".finc/sourcemap.json";

/** A spec location as written into the source map: path relative to the output directory, 1-based positions. */
export interface MappedLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface SourceMapFile {
  readonly version: 1;
  /** `overrides`: the `override` blocks applied to the document last, in order (absent when none). */
  readonly documents: Record<string, { readonly spec: MappedLocation; readonly fields: Record<string, MappedLocation>; readonly overrides?: readonly MappedLocation[] }>;
}

/** Serializes the build's source map; paths are relative to the output directory so the map is the same on every machine. */
export function sourceMapFile(program: Program, outputs: BuildOutputs, outDir: string): OutputFile {
  const locate = locator(program, outDir);
  const documents: SourceMapFile["documents"] = {};
  for (const path of Object.keys(outputs.sourceMap).sort()) {
    const entry = outputs.sourceMap[path]!;
    const fields: Record<string, MappedLocation> = {};
    for (const pointer of Object.keys(entry.fields).sort()) fields[pointer] = locate(entry.fields[pointer]!);
    documents[path] = { spec: locate(entry.range), fields, ...(entry.overrides ? { overrides: entry.overrides.map(locate) } : {}) };
  }
  const map: SourceMapFile = { version: 1, documents };
  return { path: SOURCE_MAP, content: JSON.stringify(map, null, 1) + "\n" };
}

/**
 * The source map written as the build streams, one environment's entries at a time: the same
 * bytes as `sourceMapFile` (entries in path order, `JSON.stringify(map, null, 1)`'s layout),
 * without holding every environment's entries. An environment's paths all start with
 * `<env>/`, so path order is the order of `<env>/`; one that arrives before its turn is
 * kept serialized until then.
 */
export class SourceMapWriter {
  private readonly order: string[];
  private readonly early = new Map<string, ScratchFile>();
  private first = true;

  /**
   * `environments`: every environment whose documents will come, each once. `scratch`: where
   * an environment that comes before its turn is set aside (StagedOutput.scratch: a file, so
   * a big build does not hold an environment's entries in memory).
   */
  constructor(
    private readonly program: Program,
    private readonly outDir: string,
    environments: readonly string[],
    private readonly out: { write(text: string): void },
    private readonly scratch: () => ScratchFile = memoryScratch,
  ) {
    this.order = [...environments].sort((a, b) => (a + "/" < b + "/" ? -1 : 1));
    out.write('{\n "version": 1,\n "documents": {');
  }

  environment(env: string, docs: readonly EmittedDocument[]): void {
    const now = this.order[0] === env;
    const aside = now ? undefined : this.scratch();
    const locate = locator(this.program, this.outDir);
    for (const d of [...docs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      const fields: Record<string, MappedLocation> = {};
      for (const pointer of Object.keys(d.fields).sort()) {
        const range = d.fields[pointer];
        if (range) fields[pointer] = locate(range);
      }
      const entry = { spec: locate(d.origin), fields, ...(d.overrides ? { overrides: d.overrides.map(locate) } : {}) };
      // Nested two levels down: every line of the entry's own layout moves two spaces right.
      const piece = `,\n  ${JSON.stringify(`${env}/${d.path}`)}: ${JSON.stringify(entry, null, 1).replaceAll("\n", "\n  ")}`;
      if (aside) aside.write(piece);
      else this.write(piece);
    }
    if (aside) this.early.set(env, aside);
    else this.order.shift();
    while (this.order.length && this.early.has(this.order[0]!)) {
      const next = this.order.shift()!;
      this.early.get(next)!.drain((text) => this.write(text));
      this.early.delete(next);
    }
  }

  /** Every piece starts with the comma that separates it from the one before; the first entry has none. */
  private write(text: string): void {
    if (!text) return;
    this.out.write(this.first ? text.slice(1) : text);
    this.first = false;
  }

  finish(): void {
    if (this.order.length) throw new Error(`internal error: the source map got no documents of ${this.order.join(", ")}`);
    this.out.write(this.first ? "}\n}\n" : "\n }\n}\n");
  }
}

/** Kept in memory: for callers without a staging directory. */
function memoryScratch(): ScratchFile {
  const pieces: string[] = [];
  return { write: (text) => void pieces.push(text), drain: (into) => pieces.splice(0).forEach((p) => into(p)) };
}

function locator(program: Program, outDir: string): (r: SourceRange) => MappedLocation {
  // A build maps hundreds of thousands of ranges from a handful of files: each file's relative path once.
  const paths = new Map<string, string>();
  return (r) => {
    const src = program.getSourceFile(r.file);
    const s = src?.positionOf(r.start) ?? { line: 0, character: 0 };
    const e = src?.positionOf(r.end) ?? s;
    let file = paths.get(r.file);
    if (file === undefined) paths.set(r.file, (file = relative(outDir, r.file).split("\\").join("/")));
    return { file, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
  };
}

/** The most specific mapping for a JSON pointer: the field itself or its closest mapped ancestor or descendant. */
export function lookupPointer(entry: SourceMapFile["documents"][string], pointer: string): { pointer: string; location: MappedLocation } | undefined {
  if (!pointer || pointer === "/") return undefined;
  let p = pointer;
  while (p) {
    const hit = entry.fields[p];
    if (hit) return { pointer: p, location: hit };
    p = p.slice(0, p.lastIndexOf("/"));
  }
  const child = Object.keys(entry.fields).find((f) => f.startsWith(pointer + "/"));
  return child ? { pointer: child, location: entry.fields[child]! } : undefined;
}
