import * as nodePath from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic, Severity, SourceRange } from "./diagnostic.js";
import { sortDiagnostics } from "./diagnostic.js";
import { messages } from "./messages.js";
import { lineColumns, type SourceLookup } from "./render-text.js";

/*
 * The subset of SARIF 2.1.0 (OASIS standard, errata 01) that finc writes. Names follow
 * the schema's definitions: sarifLog, run, tool, toolComponent, reportingDescriptor,
 * reportingConfiguration, result, message, location, physicalLocation, artifactLocation, region.
 */

export type SarifLevel = "none" | "note" | "warning" | "error";

export interface SarifMessage {
  readonly text: string;
}

export interface SarifReportingDescriptor {
  readonly id: string;
  readonly name?: string;
  readonly shortDescription?: SarifMessage;
  readonly defaultConfiguration?: { readonly level: SarifLevel };
  readonly properties?: { readonly tags?: readonly string[] };
}

export interface SarifArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

/** Lines and columns are 1-based; `endColumn` is the column after the region (exclusive). */
export interface SarifRegion {
  readonly startLine?: number;
  readonly startColumn?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly charOffset?: number;
  readonly charLength?: number;
}

export interface SarifLocation {
  readonly id?: number;
  readonly physicalLocation: {
    readonly artifactLocation: SarifArtifactLocation;
    readonly region: SarifRegion;
  };
  readonly message?: SarifMessage;
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly SarifLocation[];
  readonly relatedLocations?: readonly SarifLocation[];
}

export interface SarifRun {
  readonly tool: {
    readonly driver: {
      readonly name: string;
      readonly version: string;
      readonly informationUri?: string;
      readonly rules: readonly SarifReportingDescriptor[];
    };
  };
  readonly originalUriBaseIds: Readonly<Record<string, { readonly uri: string }>>;
  readonly columnKind: "utf16CodeUnits";
  readonly results: readonly SarifResult[];
}

export interface SarifLog {
  readonly $schema: "https://json.schemastore.org/sarif-2.1.0.json";
  readonly version: "2.1.0";
  readonly runs: readonly [SarifRun];
}

export interface SarifOptions {
  /** finc's version, written as `tool.driver.version`. */
  readonly toolVersion: string;
  /** Artifact URIs are relative to this directory, which is the `%SRCROOT%` base. */
  readonly cwd: string;
  /** Absolute URI of finc's documentation, written as `tool.driver.informationUri` when given. */
  readonly informationUri?: string;
}

export const SRCROOT = "%SRCROOT%";

const LEVEL: Record<Severity, SarifLevel> = { error: "error", warning: "warning", info: "note" };

const CATEGORY: Record<string, string> = {
  "1": "syntax",
  "2": "names",
  "3": "types",
  "4": "policy",
  "5": "emit",
  "6": "cli",
};

function category(code: string): string[] {
  const c = CATEGORY[code.charAt(3)];
  return c ? [c] : [];
}

/** `request-exceeds-limit` → `Request exceeds limit.` */
function describe(name: string): string {
  const words = name.replace(/-/g, " ");
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
}

/** One rule per code of the table, in table order; the index of a rule is its `ruleIndex`. */
export function sarifRules(): SarifReportingDescriptor[] {
  return Object.entries(messages).map(([id, def]) => ({
    id,
    name: def.name,
    shortDescription: { text: describe(def.name) },
    defaultConfiguration: { level: LEVEL[def.severity] },
    properties: { tags: category(id) },
  }));
}

/** The `--format sarif` log: one run of finc, with a result per diagnostic. */
export function toSarif(diags: readonly Diagnostic[], sources: SourceLookup, options: SarifOptions): SarifLog {
  const rules = sarifRules();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sorted = sortDiagnostics(diags);
  // Codes missing from the table (e.g. from a newer stage) still get a rule, after the table's.
  for (const d of sorted) {
    if (index.has(d.code)) continue;
    index.set(d.code, rules.length);
    rules.push({
      id: d.code,
      shortDescription: { text: d.code },
      defaultConfiguration: { level: LEVEL[d.severity] },
      properties: { tags: category(d.code) },
    });
  }
  const results = sorted.map((d): SarifResult => {
    const related = (d.related ?? []).map(
      (r, i): SarifLocation => ({ id: i, ...location(r.range, sources, options.cwd), message: { text: r.message } }),
    );
    return {
      ruleId: d.code,
      ruleIndex: index.get(d.code)!,
      level: LEVEL[d.severity],
      message: { text: d.hint ? `${d.message}\nHint: ${d.hint}` : d.message },
      locations: [location(d.range, sources, options.cwd)],
      ...(related.length > 0 ? { relatedLocations: related } : {}),
    };
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "finc",
            version: options.toolVersion,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.cwd) } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}

function location(range: SourceRange, sources: SourceLookup, cwd: string): SarifLocation {
  const source = sources(range.file);
  let region: SarifRegion;
  if (source) {
    const lc = lineColumns(range, source);
    region = { startLine: lc.line, startColumn: lc.column, endLine: lc.endLine, endColumn: lc.endColumn };
  } else {
    // Without the text only offsets are known; SARIF accepts a region given by charOffset alone.
    region = { charOffset: range.start, charLength: Math.max(0, range.end - range.start) };
  }
  return { physicalLocation: { artifactLocation: artifactLocation(range.file, cwd), region } };
}

/**
 * A path under `cwd` (or a relative path, taken as relative to `cwd`) becomes a relative URI
 * reference against `%SRCROOT%`; a path outside `cwd` becomes an absolute file: URI.
 */
export function artifactLocation(file: string, cwd: string): SarifArtifactLocation {
  const abs = nodePath.resolve(cwd, file);
  const rel = nodePath.relative(cwd, abs);
  if (rel === "" || rel === ".." || rel.startsWith(`..${nodePath.sep}`) || nodePath.isAbsolute(rel)) {
    return { uri: pathToFileURL(abs).href };
  }
  return { uri: rel.split(nodePath.sep).map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(nodePath.resolve(dir)).href;
  return href.endsWith("/") ? href : `${href}/`;
}
