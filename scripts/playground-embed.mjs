// What the playground embeds: the stdlib, and each example as one document (shared with its test).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** stdlib `.fin` files by path relative to the stdlib folder. */
export function stdlibFiles(root = ".") {
  const dir = join(root, "stdlib");
  return Object.fromEntries(walk(dir).filter((p) => p.endsWith(".fin")).map((p) => [relative(dir, p), readFileSync(p, "utf8")]));
}

/** Each example as one document: its .fin files in order, imports hoisted once; other files (SQL) beside it. */
export function exampleDocuments(root = ".") {
  const base = join(root, "examples");
  const dirs = readdirSync(base).filter((d) => statSync(join(base, d)).isDirectory()).sort();
  // The first example shown is a small complete one.
  const first = ["retail-bank", "payments"].find((d) => dirs.includes(d));
  const ordered = first ? [first, ...dirs.filter((d) => d !== first)] : dirs;
  return ordered.map((name) => {
    const dir = join(base, name);
    const all = walk(dir);
    const imports = new Set();
    const bodies = [];
    for (const p of all.filter((f) => f.endsWith(".fin"))) {
      const lines = readFileSync(p, "utf8").split("\n");
      bodies.push(lines.filter((l) => (/^import\s/.test(l) ? (imports.add(l.trim()), false) : true)).join("\n").trim());
    }
    const text = [...imports, ...(imports.size ? [""] : []), bodies.join("\n\n"), ""].join("\n");
    const files = Object.fromEntries(all.filter((f) => !f.endsWith(".fin")).map((f) => [relative(dir, f), readFileSync(f, "utf8")]));
    return { name, text, files };
  });
}
