import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { ObjectOverride, OverrideOp, OverrideValue } from "../model/override-model.js";
import type { Atom, Block, Member, Name, Term } from "../syntax/ast.js";
import type { DeclarationTable, DeclInfo } from "./declarations.js";
import { closestFix, didYouMean } from "./did-you-mean.js";
import { allows, childOf, describeNode, itemsOf, OVERRIDE_KINDS, propertyNames, typesOf, type SchemaNode } from "./kube-schema/index.js";

/**
 * `override <kind>/<name> [for <env>] { <path> <value> … }`: the typed escape hatch. Each path is
 * checked against the kind's vendored OpenAPI schema (FIN3038) and each value against the field's
 * type and allowed values (FIN3039), here, at compile time; whether the object exists and whether
 * the change undoes a security guarantee is decided where the objects are (emit/overrides).
 *
 * Forms inside the block: `a.b.c <value>` sets (a `{ … }` block merges key by key), `a.b delete`
 * removes, `list.2.field <value>` addresses a list element, `list append <value>` / `list append { … }`
 * adds one, `labels "example.com/team" "payments"` sets a map key no path can spell. Values: "strings" (bare words are strings too), numbers (`500m`, `50%` stay strings),
 * `true`/`false`, `[a, b]` or `a, b` for lists.
 */
export function checkOverrides(table: DeclarationTable, environments: readonly string[], report: (d: Diagnostic) => void): Map<string, ObjectOverride[]> {
  const byEnv = new Map<string, ObjectOverride[]>(environments.map((e) => [e, []]));
  for (const d of table.all) {
    if (d.kind !== "override" || d.stdlib) continue;
    const o = readOverride(d, report);
    if (!o) continue;
    const env = d.node.target;
    if (env && !environments.includes(env.text)) {
      const range = { file: d.file, start: env.start, end: env.end };
      report(diag("FIN2008", range, { name: env.text, didYouMean: ` (${didYouMean(env.text, environments).replace(/\.$/, "")})` }, closestFix(range, env.text, environments)));
      continue;
    }
    for (const e of env ? [env.text] : environments) byEnv.get(e)!.push(o);
  }
  return byEnv;
}

function readOverride(d: DeclInfo, report: (d: Diagnostic) => void): ObjectOverride | undefined {
  const at = (s: { start: number; end: number }): SourceRange => ({ file: d.file, start: s.start, end: s.end });
  const slash = d.name.indexOf("/");
  const kinds = [...OVERRIDE_KINDS.keys()];
  if (slash <= 0 || slash === d.name.length - 1) {
    report(diag("FIN3038", d.nameRange, { message: `'${d.name}' does not name an object: write \`override <kind>/<name>\`.`, hint: `For example \`override deployment/api { … }\`; kinds: ${kinds.join(", ")}.` }));
    return undefined;
  }
  const kindWord = d.name.slice(0, slash);
  const name = d.name.slice(slash + 1);
  const kindRange = { file: d.file, start: d.nameRange.start, end: d.nameRange.start + kindWord.length };
  const kind = OVERRIDE_KINDS.get(kindWord);
  if (!kind) {
    report(diag("FIN3038", kindRange, { message: `finc cannot override objects of kind '${kindWord}'.`, hint: `${didYouMean(kindWord, kinds)} Overridable kinds (the kinds finc emits that have a vendored schema): ${kinds.join(", ")}.` }, closestFix(kindRange, kindWord, kinds)));
    return undefined;
  }
  const ops: OverrideOp[] = [];
  const ctx: Ctx = { kind: kind.kind, at, report, ops };
  readBlock(ctx, d.node.body, kind.root, []);
  return { kind: kind.kind, kindWord, name, ops, targetRange: d.nameRange, origin: at(d.node) };
}

interface Ctx {
  readonly kind: string;
  readonly at: (s: { start: number; end: number }) => SourceRange;
  readonly report: (d: Diagnostic) => void;
  readonly ops: OverrideOp[];
}

type Path = readonly (string | number)[];
const show = (path: Path): string => path.join(".");

function readBlock(ctx: Ctx, block: Block, node: SchemaNode, prefix: Path): void {
  for (const m of block.members) readMember(ctx, m, node, prefix);
}

/** Follows `a.b.0.c` from `node`; reports the first part that is not in the schema. */
function walk(ctx: Ctx, parts: readonly Name[], node: SchemaNode, prefix: Path): { node: SchemaNode; path: Path } | undefined {
  let n = node;
  const path: (string | number)[] = [...prefix];
  for (const part of parts) {
    const isIndex = /^[0-9]+$/.test(part.text);
    if (isIndex && !typesOf(n).includes("any")) {
      const items = allows(n, "array") ? itemsOf(n) : undefined;
      if (!items) {
        ctx.report(diag("FIN3038", ctx.at(part), { message: `'${show(path)}' of a ${ctx.kind} is not a list: '${part.text}' cannot index it.`, hint: `'${show(path)}' is ${describeNode(n)}.` }));
        return undefined;
      }
      path.push(Number(part.text));
      n = items;
      continue;
    }
    const child = isIndex ? n : allows(n, "object") ? childOf(n, part.text) : undefined;
    if (!child) {
      const names = propertyNames(n);
      const where = path.length ? `'${show(path)}'` : `a ${ctx.kind}`;
      const list = allows(n, "array") && !allows(n, "object") ? `'${show(path)}' is a list: address an element by its index (\`${show([...path, 0])}.…\`) or add one with \`${show(path)} append { … }\`.` : names.length ? `${didYouMean(part.text, names)}${names.length <= 40 && !didYouMean(part.text, names).startsWith("Valid") ? ` Fields of ${where}: ${names.join(", ")}.` : ""}` : `${where} takes no fields.`;
      ctx.report(diag("FIN3038", ctx.at(part), { message: `'${part.text}' is not a field of ${where} (checked against the ${ctx.kind} schema).`, hint: list }, closestFix(ctx.at(part), part.text, names)));
      return undefined;
    }
    path.push(part.text);
    n = child;
  }
  return { node: n, path };
}

/** The fields that make an object's identity: an override changing them would write another object under this one's file. */
const IDENTITY = new Set(["apiVersion", "kind", "metadata.name", "metadata.namespace"]);

function readMember(ctx: Ctx, m: Member, node: SchemaNode, prefix: Path): void {
  const target = walk(ctx, m.path, node, prefix);
  if (!target) return;
  const identity = [...IDENTITY].find((p) => show(target.path) === p || show(target.path).startsWith(p + "."));
  if (identity || (show(target.path) === "metadata" && !(m.block && !m.terms.length))) {
    ctx.report(diag("FIN3038", ctx.at(m), { message: `An override cannot change '${identity ?? "metadata"}': it is the object's identity (kind, name, namespace).`, hint: "Rename or move the declaration that emits the object instead; override the object's other fields (labels and annotations: `metadata.labels.<key> …`)." }));
    return;
  }
  const range = ctx.at(m);
  const first = m.terms[0]?.atoms[0];
  const word = first?.kind === "Word" && first.parts.length === 1 && m.terms[0]!.atoms.length === 1 ? first.parts[0]!.text : undefined;
  if (word === "delete" && m.terms.length === 1 && !m.block) {
    ctx.ops.push({ action: "delete", path: target.path, range });
    return;
  }
  if (first?.kind === "Word" && first.parts[0]?.text === "append") {
    const items = allows(target.node, "array") ? itemsOf(target.node) : undefined;
    if (!items) {
      ctx.report(diag("FIN3039", ctx.at(first), { path: show(target.path), kind: ctx.kind, expected: describeNode(target.node), found: "append", hint: "`append` adds an element to a list; this field is not one." }));
      return;
    }
    const rest: Term[] = m.terms[0]!.atoms.length > 1 ? [{ atoms: m.terms[0]!.atoms.slice(1), start: m.terms[0]!.atoms[1]!.start, end: m.terms[0]!.end }, ...m.terms.slice(1)] : m.terms.slice(1);
    const value = m.block && !rest.length ? objectValue(ctx, m.block, items, [...target.path, "+"], true) : valueOf(ctx, rest, items, [...target.path, "+"], m);
    if (value !== undefined) ctx.ops.push({ action: "append", path: target.path, value, range });
    return;
  }
  const mapValues = target.node.m !== undefined && !target.node.p ? childOf(target.node, "") : undefined;
  if (mapValues && m.terms.length === 1 && m.terms[0]!.atoms.length === 2 && first?.kind === "String") {
    // A key no path can spell (`annotations "example.com/team" "payments"`): the map's key, then its value.
    const value = first2(ctx, m.terms[0]!, mapValues, [...target.path, first.value], m);
    if (value !== undefined) ctx.ops.push({ action: "set", path: [...target.path, first.value], value, range });
    return;
  }
  if (m.block && !m.terms.length) {
    // A block merges into the object (or list element) at the path: one step per leaf.
    if (!allows(target.node, "object")) {
      ctx.report(diag("FIN3039", ctx.at(m.path[m.path.length - 1] ?? m), { path: show(target.path), kind: ctx.kind, expected: describeNode(target.node), found: "a block `{ … }`", hint: "Write the value after the field name." }));
      return;
    }
    readBlock(ctx, m.block, target.node, target.path);
    return;
  }
  const value = valueOf(ctx, m.terms, target.node, target.path, m);
  if (value !== undefined) ctx.ops.push({ action: "set", path: target.path, value, range });
}

/** A `{ … }` block as a whole new object (an appended list element): its keys are checked, and the required ones must be there. */
function objectValue(ctx: Ctx, block: Block, node: SchemaNode, path: Path, whole: boolean): OverrideValue | undefined {
  const out: Record<string, OverrideValue> = {};
  let ok = true;
  for (const m of block.members) {
    const t = walk(ctx, m.path, node, []);
    if (!t) { ok = false; continue; }
    const v = m.block && !m.terms.length ? objectValue(ctx, m.block, t.node, [...path, ...t.path], false) : valueOf(ctx, m.terms, t.node, [...path, ...t.path], m);
    if (v === undefined) { ok = false; continue; }
    let o = out;
    t.path.forEach((k, i) => {
      if (i === t.path.length - 1) o[String(k)] = v;
      else o = (o[String(k)] ??= {}) as Record<string, OverrideValue>;
    });
  }
  const missing = whole ? (node.r ?? []).filter((k) => !(k in out)) : [];
  if (ok && missing.length) {
    ctx.report(diag("FIN3039", ctx.at(block), { path: show(path), kind: ctx.kind, expected: `an object with ${missing.map((k) => `'${k}'`).join(", ")}`, found: `one without ${missing.length === 1 ? "it" : "them"}`, hint: `Add ${missing.map((k) => `\`${k} …\``).join(" and ")} to the block: the API server refuses the element without ${missing.length === 1 ? "it" : "them"}.` }));
    return undefined;
  }
  return ok ? out : undefined;
}

/** The value after a map key: the term's second atom. */
function first2(ctx: Ctx, term: Term, node: SchemaNode, path: Path, m: Member): OverrideValue | undefined {
  const a = term.atoms[1]!;
  return valueOf(ctx, [{ atoms: [a], start: a.start, end: a.end }], node, path, m);
}

function valueOf(ctx: Ctx, terms: readonly Term[], node: SchemaNode, path: Path, m: Member): OverrideValue | undefined {
  const fail = (range: SourceRange, found: string, hint = ""): undefined => {
    ctx.report(diag("FIN3039", range, { path: show(path), kind: ctx.kind, expected: describeNode(node), found, hint: hint || `Write ${example(node)}.` }));
    return undefined;
  };
  if (!terms.length) return fail(ctx.at(m), m.block ? "a block `{ … }`" : "no value");
  if (terms.length > 1) {
    const items = allows(node, "array") ? itemsOf(node) : undefined;
    if (!items) return fail(ctx.at({ start: terms[0]!.start, end: terms[terms.length - 1]!.end }), `${terms.length} values`);
    const out = terms.map((t) => valueOf(ctx, [t], items, [...path, "+"], m));
    return out.every((v) => v !== undefined) ? (out as OverrideValue[]) : undefined;
  }
  const term = terms[0]!;
  if (term.atoms.length !== 1) return fail(ctx.at(term), `'${term.atoms.map((a) => ("raw" in a ? a.raw : a.kind === "String" ? JSON.stringify(a.value) : "…")).join(" ")}'`, "Write one value; quote a string that has spaces.");
  return atomValue(ctx, term.atoms[0]!, node, path, fail);
}

function atomValue(ctx: Ctx, a: Atom, node: SchemaNode, path: Path, fail: (r: SourceRange, found: string, hint?: string) => undefined): OverrideValue | undefined {
  const range = ctx.at(a);
  const enumCheck = (v: string | number | boolean): OverrideValue | undefined =>
    node.e?.length && !node.e.includes(v) ? fail(range, JSON.stringify(v), `Use one of: ${node.e.map((x) => JSON.stringify(x)).join(", ")}.`) : v;
  switch (a.kind) {
    case "String":
      return allows(node, "string") ? enumCheck(a.value) : fail(range, `the string ${JSON.stringify(a.value)}`);
    case "Number": {
      if (a.unit === "" && (allows(node, "number") || (allows(node, "integer") && Number.isInteger(a.value)))) return enumCheck(a.value);
      if (allows(node, "string")) return enumCheck(a.raw); // `500m`, `50%`, `2Gi`: Kubernetes quantities and int-or-string
      return fail(range, a.unit ? `'${a.raw}'` : `the number ${a.raw}`, allows(node, "integer") ? "Write a whole number without a unit." : "");
    }
    case "Word": {
      const text = a.parts.map((p) => p.text).join(".");
      if ((text === "true" || text === "false") && allows(node, "boolean")) return enumCheck(text === "true");
      if (allows(node, "string") && !allows(node, "boolean")) return enumCheck(text);
      return fail(range, `'${text}'`);
    }
    case "List": {
      const items = allows(node, "array") ? itemsOf(node) : undefined;
      if (!items) return fail(range, "a list");
      const out = a.items.map((t) => valueOf(ctx, [t], items, [...path, "+"], { kind: "Member", path: [], terms: [t], start: t.start, end: t.end }));
      return out.every((v) => v !== undefined) ? (out as OverrideValue[]) : undefined;
    }
    default:
      return fail(range, `'${"op" in a ? a.op : a.value}'`);
  }
}

function example(node: SchemaNode): string {
  if (node.e?.length) return JSON.stringify(node.e[0]);
  const t = typesOf(node)[0];
  return t === "string" ? '"text"' : t === "integer" || t === "number" ? "a number such as 3" : t === "boolean" ? "true or false" : t === "array" ? "a list `[a, b]`, or `append <value>`" : t === "object" ? "a block `{ field value }`" : "a value";
}
