import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { Declaration, FileNode } from "../syntax/ast.js";
import { didYouMean } from "./did-you-mean.js";
import { ALL_KINDS, KIND_SPECS } from "./schema/index.js";

/** A declaration together with its file: the unit names resolve to. */
export interface DeclInfo {
  readonly kind: string;
  readonly name: string;
  readonly file: string;
  readonly node: Declaration;
  readonly nameRange: SourceRange;
  /** True for declarations that come from the stdlib. */
  readonly stdlib: boolean;
}

/** Names live in spaces: services, workers, jobs and databases share one, since `calls` may name them (and their objects share names). */
export function nameSpace(kind: string): string {
  return kind === "service" || kind === "database" || kind === "worker" || kind === "job" || kind === "cronjob" ? "workload" : kind;
}

export interface DeclarationTable {
  readonly all: readonly DeclInfo[];
  lookup(space: string, name: string): DeclInfo | undefined;
  names(space: string): string[];
}

export function collectDeclarations(files: readonly { ast: FileNode; stdlib: boolean }[], report: (d: Diagnostic) => void): DeclarationTable {
  const all: DeclInfo[] = [];
  const spaces = new Map<string, Map<string, DeclInfo>>();
  for (const { ast, stdlib } of files) {
    for (const node of ast.declarations) {
      const kind = node.keyword.text;
      const kwRange = { file: ast.path, start: node.keyword.start, end: node.keyword.end };
      if (!ALL_KINDS.includes(kind)) {
        report(diag("FIN2001", kwRange, { kind, valid: `${ALL_KINDS.join(", ")}.${didYouMean(kind, ALL_KINDS).startsWith("Did") ? ` ${didYouMean(kind, ALL_KINDS)}` : ""}` }));
        continue;
      }
      if (!node.name) {
        report(diag("FIN2012", kwRange, { kind }));
        continue;
      }
      const nameRange = { file: ast.path, start: node.name.start, end: node.name.end };
      const info: DeclInfo = { kind, name: node.name.text, file: ast.path, node, nameRange, stdlib };
      const space = nameSpace(kind);
      let names = spaces.get(space);
      if (!names) spaces.set(space, (names = new Map()));
      const existing = names.get(info.name);
      // Environments may be split over several blocks, and one object may be overridden by several blocks (applied in order).
      if (existing && kind !== "environment" && kind !== "override") {
        report(diag("FIN2002", nameRange, { kind, name: info.name }, { related: [{ message: `'${info.name}' is first declared here`, range: existing.nameRange }] }));
        continue;
      }
      if (!existing) names.set(info.name, info);
      all.push(info);
    }
  }
  return {
    all,
    lookup: (space, name) => spaces.get(space)?.get(name),
    names: (space) => [...(spaces.get(space)?.keys() ?? [])],
  };
}

export function isTypedKind(kind: string): boolean {
  return kind in KIND_SPECS;
}
