import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { formatSource } from "../format/format.js";
import { parse } from "../syntax/parse.js";
import type { Disposition } from "./found.js";
import { recognise } from "./recognise.js";
import type { Redaction } from "./secret-index.js";
import { writeFin } from "./write-fin.js";
import { readManifests, type InputFile } from "./yaml-input.js";

export interface ImportResult {
  /** The canonical .fin text (through the formatter); "" when the input could not be read. */
  readonly fin: string;
  readonly dispositions: readonly Disposition[];
  /** Ranges in the input files with FIN600x; ranges are in the input YAML. */
  readonly diagnostics: readonly Diagnostic[];
  /** Input ranges that hold literal secret values: mask them before quoting an input line. */
  readonly redactions: readonly Redaction[];
}

/** YAML manifests → .fin: pure (no I/O); the CLI reads the files and writes the result. */
export function importManifests(files: readonly InputFile[], shownNames: readonly string[] = files.map((f) => f.path), shown: (file: string) => string = (f) => f): ImportResult {
  const read = readManifests(files);
  const { found, diagnostics, redactions } = recognise(read.objects);
  const raw = writeFin(found, shownNames, shown);
  const formatted = formatSource(raw);
  if (!formatted) {
    const first = parse("<import>", raw).diagnostics.find((d) => d.code.startsWith("FIN1"));
    const line = first ? raw.slice(raw.lastIndexOf("\n", first.range.start) + 1, raw.indexOf("\n", first.range.start)) : "";
    throw new Error(`finc import wrote .fin text the formatter cannot parse (a bug in finc import): ${first?.message ?? "?"} in: ${line}`);
  }
  // Last guard: no value the import redacted (a literal secret) appears anywhere in the text.
  let fin = formatted.text;
  for (const r of redactions) {
    const value = files.find((f) => f.path === r.file)?.text.slice(r.start, r.end).trim().replace(/^["']|["']$/g, "") ?? "";
    if (value.length >= 4 && fin.includes(value)) fin = fin.split(value).join("<masked>");
  }
  return { fin, dispositions: found.dispositions, diagnostics: [...read.diagnostics, ...diagnostics], redactions };
}

/** The input text with every redacted range replaced by `*` (same length: offsets and columns stay right). */
export function redact(text: string, file: string, redactions: readonly Redaction[]): string {
  let out = text;
  for (const r of redactions) if (r.file === file) out = out.slice(0, r.start) + out.slice(r.start, r.end).replace(/[^\r\n]/g, "*") + out.slice(r.end);
  return out;
}
