// A checker for the subset of Falco's rule language finc writes (no Falco build is available here:
// Falco is C++, and no Go module validates its rules): the item shapes of a rules file, and a
// recursive-descent parser of conditions after Falco's own expansion of lists and macros.

export type Item = Record<string, unknown>;

/** Fields of Falco's syscall source (libsinsp) the rules may use, with whether they take `[arg]`. */
export const KNOWN_FIELDS = new Set([
  "evt.type", "evt.dir", "evt.is_open_write", "evt.is_open_read", "evt.rawres", "evt.res", "evt.arg.flags",
  "fd.typechar", "fd.num", "fd.l4proto", "fd.connected", "fd.name_changed", "fd.ip", "fd.snet", "fd.sip.name", "fd.sport", "fd.name", "fd.directory",
  "container.id", "container.name", "container.image.repository", "k8s.ns.name", "k8s.pod.name", "k8s.pod.label",
  "proc.name", "proc.pname", "proc.cmdline", "proc.tty", "user.name",
]);
const COMPARISON = new Set(["=", "!=", "<", "<=", ">", ">=", "contains", "icontains", "startswith", "endswith", "glob", "pmatch", "in", "intersects"]);
const LIST_OPS = new Set(["in", "intersects", "pmatch"]);

type Token = { kind: "(" | ")" | "," | "str" | "word" | "op"; text: string };

export function tokenize(condition: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < condition.length) {
    const c = condition[i]!;
    if (/\s/.test(c)) i++;
    else if (c === "(" || c === ")" || c === ",") out.push({ kind: c, text: c }), i++;
    else if (c === '"' || c === "'") {
      const end = condition.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated string at ${i}: ${condition}`);
      out.push({ kind: "str", text: condition.slice(i + 1, end) });
      i = end + 1;
    } else if (/[=!<>]/.test(c)) {
      const m = /^(!=|<=|>=|=|<|>)/.exec(condition.slice(i))!;
      out.push({ kind: "op", text: m[0] });
      i += m[0].length;
    } else {
      const m = /^[^\s(),"'=!<>]+(\[[^\]]*\])?/.exec(condition.slice(i))!;
      out.push({ kind: "word", text: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** Expands list names inside `( … )` value lists and macro names as Falco does, then parses. Returns the fields used. */
export function checkCondition(condition: string, lists: ReadonlyMap<string, readonly string[]>, macros: ReadonlyMap<string, string>): Set<string> {
  const fields = new Set<string>();
  const toks = tokenize(condition);
  let p = 0;
  const peek = () => toks[p];
  const take = (kind?: Token["kind"], text?: string): Token => {
    const t = toks[p++];
    if (!t || (kind && t.kind !== kind) || (text && t.text !== text)) throw new Error(`expected ${text ?? kind} at token ${p - 1} (${t?.text ?? "end"}) in: ${condition}`);
    return t;
  };
  const isKeyword = (t: Token | undefined, w: string) => t?.kind === "word" && t.text === w;
  const fieldName = (w: string) => w.replace(/\[[^\]]*\]$/, "");
  const orExpr = (): void => {
    andExpr();
    while (isKeyword(peek(), "or")) take(), andExpr();
  };
  const andExpr = (): void => {
    notExpr();
    while (isKeyword(peek(), "and")) take(), notExpr();
  };
  const notExpr = (): void => {
    if (isKeyword(peek(), "not")) {
      take();
      notExpr();
    } else primary();
  };
  const value = () => {
    const t = take();
    // `evt.dir=<`: the direction values `<` and `>` are bare values.
    if (t.kind === "op" && (t.text === "<" || t.text === ">")) return;
    if (t.kind !== "str" && t.kind !== "word") throw new Error(`expected a value, got ${t.text} in: ${condition}`);
  };
  const valueList = () => {
    take("(");
    if (peek()?.kind === ")") return void take(")");
    for (;;) {
      const t = take();
      if (t.kind === "word" && /^[a-z_][a-z0-9_]*$/.test(t.text) && !lists.has(t.text) && /^finc_/.test(t.text)) throw new Error(`undefined list ${t.text} in: ${condition}`);
      if (t.kind !== "str" && t.kind !== "word") throw new Error(`expected a list item, got ${t.text}`);
      if (peek()?.kind === ",") take(",");
      else break;
    }
    take(")");
  };
  const primary = (): void => {
    const t = peek();
    if (t?.kind === "(") {
      take("(");
      orExpr();
      take(")");
      return;
    }
    const w = take("word").text;
    const next = peek();
    const op = next && (next.kind === "op" || (next.kind === "word" && COMPARISON.has(next.text))) ? next.text : undefined;
    if (!op) {
      if (w === "exists") throw new Error(`dangling exists in: ${condition}`);
      if (KNOWN_FIELDS.has(fieldName(w)) && isKeyword(next, "exists")) return void (fields.add(fieldName(w)), take());
      if (!macros.has(w)) throw new Error(`undefined macro ${w} in: ${condition}`);
      for (const f of checkCondition(macros.get(w)!, lists, macros)) fields.add(f);
      return;
    }
    if (!KNOWN_FIELDS.has(fieldName(w))) throw new Error(`unknown field ${w} in: ${condition}`);
    fields.add(fieldName(w));
    take();
    if (LIST_OPS.has(op) && peek()?.kind === "(") valueList();
    else if (op === "in" || op === "intersects") throw new Error(`${op} needs a (list) in: ${condition}`);
    else value();
  };
  orExpr();
  if (p !== toks.length) throw new Error(`trailing tokens from ${toks[p]!.text} in: ${condition}`);
  return fields;
}

export const PRIORITIES = ["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFORMATIONAL", "DEBUG"];

/** Every problem of a rules file: item shapes, definitions before use, conditions and output fields. */
export function rulesProblems(items: readonly Item[]): string[] {
  const problems: string[] = [];
  const lists = new Map<string, string[]>();
  const macros = new Map<string, string>();
  const names = new Set<string>();
  for (const it of items) {
    const kind = ["rule", "macro", "list"].find((k) => k in it);
    if (!kind) {
      problems.push(`item of no kind: ${JSON.stringify(it)}`);
      continue;
    }
    const allowed = { list: ["list", "items"], macro: ["macro", "condition"], rule: ["rule", "desc", "condition", "output", "priority", "tags"] }[kind]!;
    for (const k of Object.keys(it)) if (!allowed.includes(k)) problems.push(`${kind} ${String(it[kind])}: unexpected key ${k}`);
    for (const k of allowed) if (!(k in it)) problems.push(`${kind} ${String(it[kind])}: missing ${k}`);
    const name = String(it[kind]);
    if (names.has(`${kind}:${name}`)) problems.push(`${kind} ${name} defined twice (the second would override the first)`);
    names.add(`${kind}:${name}`);
    try {
      if (kind === "list") {
        if (!Array.isArray(it["items"]) || it["items"].some((x) => typeof x !== "string")) problems.push(`list ${name}: items must be strings`);
        lists.set(name, it["items"] as string[]);
      } else if (kind === "macro") {
        checkCondition(String(it["condition"]), lists, macros);
        macros.set(name, String(it["condition"]));
      } else {
        checkCondition(String(it["condition"]), lists, macros);
        if (!PRIORITIES.includes(String(it["priority"]))) problems.push(`rule ${name}: priority ${String(it["priority"])}`);
        if (!Array.isArray(it["tags"]) || !(it["tags"] as unknown[]).every((t) => typeof t === "string")) problems.push(`rule ${name}: tags must be strings`);
        for (const [, f] of String(it["output"]).matchAll(/%([a-z0-9_.]+(?:\[[^\]]*\])?)/g)) if (!KNOWN_FIELDS.has(f!.replace(/\[[^\]]*\]$/, ""))) problems.push(`rule ${name}: output field ${f}`);
      }
    } catch (e) {
      problems.push(`${kind} ${name}: ${(e as Error).message}`);
    }
  }
  return problems;
}

/** A condition with its macros and lists replaced by their text, as Falco's rule loader does before compiling it. */
export function expandCondition(condition: string, lists: ReadonlyMap<string, readonly string[]>, macros: ReadonlyMap<string, string>): string {
  return tokenize(condition)
    .map((t) => {
      if (t.kind === "str") return JSON.stringify(t.text);
      if (t.kind !== "word") return t.text === "," ? ", " : t.text;
      if (macros.has(t.text)) return `(${expandCondition(macros.get(t.text)!, lists, macros)})`;
      if (lists.has(t.text)) return lists.get(t.text)!.join(", ");
      return ` ${t.text} `;
    })
    .join("")
    .replace(/ +/g, " ")
    .trim();
}

/** Every rule's condition, expanded. */
export function expandedRuleConditions(items: readonly Item[]): { rule: string; condition: string }[] {
  const lists = new Map<string, string[]>();
  const macros = new Map<string, string>();
  const out: { rule: string; condition: string }[] = [];
  for (const it of items) {
    if ("list" in it) lists.set(String(it["list"]), it["items"] as string[]);
    else if ("macro" in it) macros.set(String(it["macro"]), String(it["condition"]));
    else if ("rule" in it) out.push({ rule: String(it["rule"]), condition: expandCondition(String(it["condition"]), lists, macros) });
  }
  return out;
}
