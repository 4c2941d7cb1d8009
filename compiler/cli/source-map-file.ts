import { relative } from "node:path";
import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { BuildOutputs } from "../emit/build-outputs.js";
import type { OutputFile } from "../emit/output.js";
import type { Program } from "../program.js";

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
  const locate = (r: SourceRange): MappedLocation => {
    const src = program.getSourceFile(r.file);
    const s = src?.positionOf(r.start) ?? { line: 0, character: 0 };
    const e = src?.positionOf(r.end) ?? s;
    return { file: relative(outDir, r.file).split("\\").join("/"), line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
  };
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
