import { isMap, isSeq, parseAllDocuments, type Document } from "yaml";
import { diag } from "../diagnostics/messages.js";
import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";

/** One Kubernetes object of the input: its plain value and where each part of it came from. */
export interface InputObject {
  readonly file: string;
  /** 0-based index of the YAML document in its file (a `List`'s items share their list's index). */
  readonly doc: number;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly value: Record<string, unknown>;
  /** The input range of a JSON pointer inside this object (the nearest ancestor that exists). */
  locate(pointer: string): SourceRange;
  /** The range of the value alone (for a mapping entry: without its key). */
  locateValue(pointer: string): SourceRange;
}

export interface InputFile {
  readonly path: string;
  readonly text: string;
}

/** Pointer segments, RFC 6901 escapes undone. */
export function pointerSegments(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/**
 * Reads multi-document Kubernetes YAML (plain, `helm template`, `kubectl kustomize`, `kind: List`).
 * A document that does not parse is FIN6002 at its error; documents without kind/metadata.name are FIN6002 too.
 */
export function readManifests(files: readonly InputFile[]): { objects: InputObject[]; diagnostics: Diagnostic[] } {
  const objects: InputObject[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    const docs = parseAllDocuments(f.text, { prettyErrors: false, uniqueKeys: false });
    const list = Array.isArray(docs) ? docs : [];
    if (!Array.isArray(docs)) {
      diagnostics.push(diag("FIN6002", { file: f.path, start: 0, end: 0 }, { what: "the file", why: "it is not YAML" }));
      continue;
    }
    list.forEach((d, index) => {
      const error = d.errors[0];
      if (error) {
        diagnostics.push(diag("FIN6002", { file: f.path, start: error.pos[0], end: Math.max(error.pos[1], error.pos[0] + 1) }, { what: `document ${index}`, why: error.message.split("\n")[0] ?? "a syntax error" }));
        return;
      }
      const value: unknown = d.toJS({ maxAliasCount: 100 });
      if (value === null || value === undefined) return; // an empty document (`---` at the end, comments only)
      const whole = rangeOf(d, f.path, []);
      if (typeof value !== "object" || Array.isArray(value)) {
        diagnostics.push(diag("FIN6002", whole, { what: `document ${index}`, why: "it is not a mapping (a Kubernetes object)" }));
        return;
      }
      const obj = value as Record<string, unknown>;
      const items = obj["kind"] === "List" && Array.isArray(obj["items"]) ? (obj["items"] as unknown[]).map((it, i) => ({ it, base: ["items", i] as (string | number)[] })) : [{ it: value, base: [] as (string | number)[] }];
      for (const { it, base } of items) {
        const o = it as Record<string, unknown>;
        const meta = (o?.["metadata"] ?? {}) as Record<string, unknown>;
        if (typeof o?.["kind"] !== "string" || typeof meta["name"] !== "string") {
          diagnostics.push(diag("FIN6002", rangeOf(d, f.path, base), { what: `document ${index}${base.length ? ` item ${base[1]}` : ""}`, why: "it has no kind or metadata.name (not a Kubernetes object)" }));
          continue;
        }
        objects.push({
          file: f.path,
          doc: index,
          kind: o["kind"] as string,
          apiVersion: String(o["apiVersion"] ?? ""),
          name: meta["name"] as string,
          namespace: typeof meta["namespace"] === "string" ? meta["namespace"] : undefined,
          value: o,
          locate: (pointer) => rangeOf(d, f.path, [...base, ...pointerSegments(pointer)]),
          locateValue: (pointer) => rangeOf(d, f.path, [...base, ...pointerSegments(pointer)], true),
        });
      }
    });
  }
  return { objects, diagnostics };
}

/** The range of the deepest node on the path that exists; a mapping's entry is located at its key. */
function rangeOf(d: Document, file: string, path: readonly (string | number)[], valueOnly = false): SourceRange {
  let node: unknown = d.contents;
  let range: readonly number[] | undefined = (node as { range?: number[] } | null)?.range;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === String(seg));
      if (!pair) break;
      const key = pair.key as { range?: number[] } | null;
      range = key?.range ?? range;
      node = pair.value;
      const r = (node as { range?: number[] } | null)?.range;
      // A scalar value: the key through the value; a collection: just its key (the first line).
      if (r && valueOnly) range = r;
      else if (r && !isMap(node) && !isSeq(node) && key?.range) range = [key.range[0]!, r[1]!];
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      node = item;
      range = (node as { range?: number[] } | null)?.range ?? range;
    } else break;
  }
  const start = range?.[0] ?? 0;
  return { file, start, end: Math.max(start + 1, range?.[1] ?? start + 1) };
}
