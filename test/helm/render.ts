// A renderer for the subset of Go/Helm templates that finc's Helm target emits (listed in
// the chart README and compiler/emit/helm/text.ts). helm is not installed in CI, so the
// chart tests render with this; anything outside the subset throws, so a template that
// starts using a new construct fails the tests until the renderer (and the README) learn it.
import { createHash } from "node:crypto";
import { toYaml, type JsonValue } from "../../compiler/emit/shared/yaml.js";

type Node =
  | { t: "text"; text: string }
  | { t: "action"; pipeline: string }
  | { t: "if"; cond: string; then: Node[]; else: Node[] }
  | { t: "define"; name: string; body: Node[] };

export interface Context {
  readonly Values: unknown;
  readonly Chart: { readonly Name: string; readonly Version: string };
  readonly Release: { readonly Name: string; readonly Namespace: string };
}

export class TemplateError extends Error {}

interface Token { kind: "text" | "action"; text: string }

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf("{{", i);
    if (open === -1) {
      out.push({ kind: "text", text: src.slice(i) });
      break;
    }
    out.push({ kind: "text", text: src.slice(i, open) });
    const close = src.indexOf("}}", open);
    if (close === -1) throw new TemplateError("unclosed action");
    let body = src.slice(open + 2, close);
    const trimLeft = body.startsWith("-") && /^-\s/.test(body);
    const trimRight = /\s-$/.test(body);
    if (trimLeft) body = body.slice(1);
    if (trimRight) body = body.slice(0, -1);
    if (trimLeft) out[out.length - 1]!.text = out[out.length - 1]!.text.replace(/\s+$/, "");
    out.push({ kind: "action", text: body.trim() });
    i = close + 2;
    if (trimRight) {
      const rest = src.slice(i);
      i += rest.length - rest.replace(/^\s+/, "").length;
    }
  }
  return out.filter((t) => t.kind === "action" || t.text !== "");
}

function parse(tokens: Token[]): { nodes: Node[]; defines: Map<string, Node[]> } {
  const defines = new Map<string, Node[]>();
  let pos = 0;
  const block = (): { nodes: Node[]; end: "end" | "else" | "eof" } => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const tok = tokens[pos++]!;
      if (tok.kind === "text") {
        nodes.push({ t: "text", text: tok.text });
        continue;
      }
      const a = tok.text;
      if (a.startsWith("/*")) {
        if (!a.endsWith("*/")) throw new TemplateError(`bad comment ${a}`);
        continue;
      }
      if (a === "end") return { nodes, end: "end" };
      if (a === "else") return { nodes, end: "else" };
      if (a.startsWith("if ")) {
        const then = block();
        let els: Node[] = [];
        if (then.end === "else") {
          const e = block();
          if (e.end !== "end") throw new TemplateError("if without end");
          els = e.nodes;
        } else if (then.end !== "end") throw new TemplateError("if without end");
        nodes.push({ t: "if", cond: a.slice(3), then: then.nodes, else: els });
        continue;
      }
      const def = /^define "([^"]+)"$/.exec(a);
      if (def) {
        const body = block();
        if (body.end !== "end") throw new TemplateError("define without end");
        defines.set(def[1]!, body.nodes);
        continue;
      }
      if (/^(range|with|template|block|else if)\b/.test(a)) throw new TemplateError(`unsupported construct {{ ${a} }}`);
      nodes.push({ t: "action", pipeline: a });
    }
    return { nodes, end: "eof" };
  };
  const top = block();
  if (top.end !== "eof") throw new TemplateError(`unexpected {{ ${top.end} }}`);
  return { nodes: top.nodes, defines };
}

/** Splits on `sep` outside quotes and parentheses. */
function split(s: string, sep: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      cur += c;
      if (c === "\\") cur += s[++i] ?? "";
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    if (depth === 0 && sep.test(c)) {
      if (cur.trim()) parts.push(cur.trim());
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  if (isMap(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`).join(",")}}`;
  return JSON.stringify(v ?? null);
}

const str = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "object" ? sortedJson(v) : String(v));

export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return v !== false && v !== 0 && v !== "" && v !== null && v !== undefined;
}

class Renderer {
  constructor(private readonly defines: Map<string, Node[]>) {}

  render(nodes: Node[], dot: unknown): string {
    let out = "";
    for (const n of nodes) {
      if (n.t === "text") out += n.text;
      else if (n.t === "action") out += str(this.pipeline(n.pipeline, dot));
      else if (n.t === "if") out += this.render(truthy(this.pipeline(n.cond, dot)) ? n.then : n.else, dot);
    }
    return out;
  }

  private pipeline(src: string, dot: unknown): unknown {
    const cmds = split(src, /\|/);
    let value: unknown;
    cmds.forEach((cmd, i) => {
      const words = split(cmd, /\s/);
      const [head, ...rest] = words;
      if (!head) throw new TemplateError(`empty command in {{ ${src} }}`);
      if (FUNCS.has(head)) {
        const args = rest.map((w) => this.term(w, dot));
        value = this.call(head, i === 0 ? args : [...args, value], dot);
      } else {
        if (i > 0 || rest.length) throw new TemplateError(`not a function: ${head} in {{ ${src} }}`);
        value = this.term(head, dot);
      }
    });
    return value;
  }

  private term(w: string, dot: unknown): unknown {
    if (w.startsWith('"')) return JSON.parse(w);
    if (/^-?\d+$/.test(w)) return Number(w);
    if (w.startsWith("(") && w.endsWith(")")) return this.pipeline(w.slice(1, -1), dot);
    if (w === ".") return dot;
    if (w.startsWith(".")) {
      let cur: unknown = dot;
      for (const k of w.slice(1).split(".")) {
        if (!isMap(cur) || !(k in cur)) throw new TemplateError(`no field ${w}`);
        cur = cur[k];
      }
      return cur;
    }
    throw new TemplateError(`unsupported term ${w}`);
  }

  private call(fn: string, args: unknown[], dot: unknown): unknown {
    const want = (n: number) => {
      if (args.length !== n) throw new TemplateError(`${fn} takes ${n} argument(s), got ${args.length}`);
    };
    switch (fn) {
      case "index": {
        let cur = args[0];
        for (const k of args.slice(1)) {
          // Like Go's index: a map by string key, a list by integer index (out of range is an error).
          if (Array.isArray(cur) && typeof k === "number") {
            if (k < 0 || k >= cur.length) throw new TemplateError(`index: ${k} out of range`);
            cur = cur[k];
            continue;
          }
          if (!isMap(cur) || typeof k !== "string" || !(k in cur)) throw new TemplateError(`index: no key ${JSON.stringify(k)}`);
          cur = cur[k];
        }
        return cur;
      }
      case "eq": {
        // Go's eq: arg1 == arg2 || arg1 == arg3 …, on basic values only.
        if (args.length < 2) throw new TemplateError("eq takes at least 2 arguments");
        if (!args.every((a) => typeof a === "string" || typeof a === "number" || typeof a === "boolean")) throw new TemplateError("eq: non-basic argument");
        return args.slice(1).some((a) => a === args[0]);
      }
      case "quote":
        want(1);
        return JSON.stringify(str(args[0]));
      case "toYaml":
        want(1);
        return toYaml(args[0] as JsonValue).replace(/\n$/, "");
      case "toJson":
        want(1);
        return sortedJson(args[0]);
      case "nindent":
        want(2);
        return "\n" + str(args[1]).split("\n").map((l) => " ".repeat(Number(args[0])) + l).join("\n");
      case "sha256sum":
        want(1);
        return createHash("sha256").update(str(args[0])).digest("hex");
      case "trunc":
        want(2);
        return str(args[1]).slice(0, Number(args[0]));
      case "include": {
        want(2);
        const body = this.defines.get(String(args[0]));
        if (!body) throw new TemplateError(`include: no template ${String(args[0])}`);
        return this.render(body, args[1]);
      }
    }
    void dot;
    throw new TemplateError(`unknown function ${fn}`);
  }
}

const FUNCS = new Set(["index", "eq", "quote", "toYaml", "toJson", "nindent", "sha256sum", "trunc", "include"]);

/** Helm's value merge: maps merge deeply, a `null` deletes the key, anything else replaces. */
export function mergeValues(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return structuredClone(over);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? mergeValues(out[k], v) : structuredClone(v);
  }
  return out;
}

/** Renders every template of a chart (files: path under templates/ → text); partials (`_*.tpl`) only define. */
export function renderChart(templates: ReadonlyMap<string, string>, ctx: Context): Map<string, string> {
  const defines = new Map<string, Node[]>();
  const parsed = new Map<string, Node[]>();
  for (const [path, text] of templates) {
    const p = parse(lex(text));
    for (const [k, v] of p.defines) defines.set(k, v);
    parsed.set(path, p.nodes);
  }
  const r = new Renderer(defines);
  const out = new Map<string, string>();
  for (const [path, nodes] of parsed) {
    if (path.split("/").pop()!.startsWith("_")) continue;
    out.set(path, r.render(nodes, ctx));
  }
  return out;
}
