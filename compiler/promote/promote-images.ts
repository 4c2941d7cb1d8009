import type { Declaration, Member } from "../syntax/ast.js";
import { baseEnvironment } from "../model/cluster-topology.js";
import type { PlatformModel } from "../model/platform-model.js";
import type { Program } from "../program.js";

/** One replacement in a spec file: `[start, end)` of the old text becomes `text`. */
export interface SpecEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface ImageChange {
  readonly workload: string;
  readonly from: string;
  readonly to: string;
}

export interface PromotionPlan {
  /** Spec file → its edits, in order of their offsets, none overlapping. */
  readonly edits: ReadonlyMap<string, readonly SpecEdit[]>;
  /** The workloads whose image the target environment takes over, by name. */
  readonly changes: readonly ImageChange[];
}

/**
 * `finc promote --from staging --to prod`: the spec edits that make `to` run the images `from`
 * runs (the promotion change of mission area 10, reviewed as a pull request). Each differing
 * workload gets `<workload>.image "<image>"` in `environment <to> { … }`: an existing override
 * there is rewritten in place, else a line is added to that block, else the block is created at
 * the end of the platform's file. Nothing else changes; pure (the CLI writes).
 */
export function planImagePromotion(program: Program, from: string, to: string): PromotionPlan {
  const source = environmentModel(program, from);
  const target = environmentModel(program, to);
  if (!source || !target) throw new Error(`unknown environment '${!source ? from : to}'`);
  const targetImages = new Map(target.services.map((s) => [s.name, s.image]));
  const changes = source.services
    .filter((s) => targetImages.has(s.name) && targetImages.get(s.name) !== s.image)
    .map((s) => ({ workload: s.name, from: targetImages.get(s.name)!, to: s.image }))
    .sort((a, b) => (a.workload < b.workload ? -1 : 1));
  const edits = new Map<string, SpecEdit[]>();
  const add = (file: string, e: SpecEdit): void => {
    const list = edits.get(file) ?? [];
    list.push(e);
    edits.set(file, list);
  };

  const blocks = environmentBlocks(program, to);
  // Overrides that exist are rewritten in place; the others go into the first block, or a new one.
  const added: string[] = [];
  for (const c of changes) {
    const override = blocks.flatMap(({ file, decl }) => decl.body.members.filter((m) => isImageOf(m, c.workload)).map((m) => ({ file, m })))[0];
    const value = override?.m.terms[0]?.atoms[0];
    if (override && value?.kind === "String") add(override.file, { start: value.start, end: value.end, text: JSON.stringify(c.to) });
    else added.push(`${c.workload}.image "${c.to}"`);
  }
  const block = blocks[0];
  if (added.length && block) {
    const text = program.getSourceFile(block.file)!.text;
    const decl = block.decl;
    // Before the line of the closing brace, indented like the block's first member.
    const close = text.lastIndexOf("}", decl.end - 1);
    const lineStart = text.lastIndexOf("\n", close - 1) + 1;
    const first = decl.body.members[0];
    const indent = first ? text.slice(text.lastIndexOf("\n", first.start - 1) + 1, first.start) : "  ";
    const body = added.map((l) => `${indent}${l}\n`).join("");
    add(block.file, text.slice(lineStart, close).trim() === "" ? { start: lineStart, end: lineStart, text: body } : { start: close, end: close, text: `\n${body}` });
  } else if (added.length) {
    const file = platformFile(program);
    const text = program.getSourceFile(file)!.text;
    const sep = text.endsWith("\n") ? "\n" : "\n\n";
    add(file, { start: text.length, end: text.length, text: `${sep}environment ${to} {\n${added.map((l) => `  ${l}\n`).join("")}}\n` });
  }
  for (const list of edits.values()) list.sort((a, b) => a.start - b.start);
  return { edits, changes };
}

/** The model of an environment as the spec names it; on several clusters, its first cluster's (they run the same images). */
function environmentModel(program: Program, environment: string): PlatformModel | undefined {
  return program.checked.models.get(environment) ?? [...program.checked.models.values()].find((m) => baseEnvironment(m) === environment);
}

/** The environments as the spec names them (`prod`, not its per-cluster outputs). */
export function specEnvironments(program: Program): string[] {
  return [...new Set([...program.checked.models.values()].map(baseEnvironment))];
}

function isImageOf(m: Member, workload: string): boolean {
  return m.path.length === 2 && m.path[0]!.text === workload && m.path[1]!.text === "image";
}

function environmentBlocks(program: Program, environment: string): { file: string; decl: Declaration }[] {
  const out: { file: string; decl: Declaration }[] = [];
  for (const [file, f] of program.files) {
    if (f.stdlib) continue;
    for (const d of f.ast.declarations) if (d.keyword.text === "environment" && d.name?.text === environment) out.push({ file, decl: d });
  }
  return out;
}

function platformFile(program: Program): string {
  for (const [file, f] of program.files) if (!f.stdlib && f.ast.declarations.some((d) => d.keyword.text === "platform")) return file;
  return program.rootFiles[0]!;
}

/** The text with the edits applied (offsets refer to the original text). */
export function applyEdits(text: string, edits: readonly SpecEdit[]): string {
  let out = "";
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}
