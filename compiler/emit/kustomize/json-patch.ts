/** RFC 6902 JSON Patch operations between two JSON documents, as kustomize applies them. */
export type PatchOp =
  | { readonly op: "add" | "replace"; readonly path: string; readonly value: unknown }
  | { readonly op: "remove"; readonly path: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** RFC 6901 escaping of one reference token (`finc.dev/environment` → `finc.dev~1environment`). */
export function pointerToken(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The operations that turn `from` into `to`. Maps are diffed key by key; lists of the
 * same length element by element; lists whose length differs are replaced whole (so
 * no operation depends on the index shifts of an earlier one).
 */
export function diff(from: unknown, to: unknown, path = ""): PatchOp[] {
  if (deepEqual(from, to)) return [];
  if (isObject(from) && isObject(to)) {
    const ops: PatchOp[] = [];
    for (const k of Object.keys(from)) if (!(k in to)) ops.push({ op: "remove", path: `${path}/${pointerToken(k)}` });
    for (const [k, v] of Object.entries(to)) {
      const p = `${path}/${pointerToken(k)}`;
      if (!(k in from)) ops.push({ op: "add", path: p, value: v });
      else ops.push(...diff(from[k], v, p));
    }
    return ops;
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) return to.flatMap((v, i) => diff(from[i], v, `${path}/${i}`));
  return [{ op: "replace", path: path || "", value: to }];
}

/** Applies operations produced by `diff` (add/replace/remove on existing paths): used by tests and by the Helm emitter's checks. */
export function applyPatch(doc: unknown, ops: readonly PatchOp[]): unknown {
  let root = structuredClone(doc);
  for (const op of ops) {
    const tokens = op.path.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (!tokens.length) {
      root = op.op === "remove" ? undefined : structuredClone(op.value);
      continue;
    }
    let parent = root as Record<string, unknown>;
    for (const t of tokens.slice(0, -1)) parent = parent[t] as Record<string, unknown>;
    const last = tokens[tokens.length - 1]!;
    if (op.op === "remove") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else parent[last] = structuredClone(op.value);
  }
  return root;
}
