import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeHost, createOverlayHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type Program } from "../../compiler/program.js";
import { createWorkspace } from "../../language-server/src/workspace.js";

/**
 * The unit cache moves a reused workload's positions in place (workload-units.ts): each cached
 * unit must own its range objects (pattern fields and member reads are shared between
 * declarations, so moving a shared one would move it twice), and a cache is taken over by one
 * compile only (a second compile from the same previous program must not move it again).
 */
const SPEC = [
  `platform shop {\n  cloud        aws\n  regions      eu-west-1 primary\n  environments dev, prod\n}\n`,
  `secretstore vault {\n  provider vault\n  server   "https://vault.example.com:8200"\n  role     "shop"\n}\n`,
  `namespace shop {\n  security restricted\n}\n`,
  `pattern web for service {\n  cpu      250m to 1\n  memory   512Mi\n  port     http 8080\n  replicas 2 to 6 at cpu 70%\n}\n`,
  ...Array.from({ length: 6 }, (_, i) => `service svc${i} is web {\n  image    "registry.example.com/shop/svc${i}:1.0.${i}"\n  secret   API_KEY from vault "shop/svc${i}" key "api-key"\n  calls    svc${(i + 1) % 6}\n}\n`),
  `environment prod {\n  svc1.replicas 3 to 12\n}\n`,
].join("\n");

const comparable = (p: Program): unknown => ({
  diagnostics: p.diagnostics,
  references: p.checked.references.map((r) => [r.range, r.target.kind, r.target.name]),
  models: [...p.checked.models],
});

/** Every source-range object reachable from a value (objects with file, start and end). */
function rangesIn(value: unknown, out: Set<object>, seen = new Set<object>()): Set<object> {
  if (value === null || typeof value !== "object" || seen.has(value)) return out;
  seen.add(value);
  const o = value as Record<string, unknown>;
  if (typeof o.file === "string" && typeof o.start === "number" && typeof o.end === "number") out.add(o);
  for (const k of Object.keys(o)) if (k !== "target") rangesIn(o[k], out, seen);
  return out;
}

describe("the workload unit cache", () => {
  const dir = mkdtempSync(join(tmpdir(), "finc-incremental-units-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "spec.fin");
  writeFileSync(path, SPEC);
  const base = createNodeHost();
  const fresh = (text: string): Program => createProgram({ host: createOverlayHost(new Map([[path, text]]), base), roots: [dir] });

  it("owns every range it holds: no range object is shared by two cached units", () => {
    const workspace = createWorkspace();
    workspace.setFolders([dir]);
    workspace.open(pathToFileURL(path).href, path, 1, SPEC);
    workspace.rebuild();
    // Lengthen svc0's image: every later service moves (a shift of its cached unit).
    const text = SPEC.replace("svc0:1.0.0", "svc0:1.0.10");
    workspace.open(pathToFileURL(path).href, path, 2, text);
    const program = workspace.rebuild().program;
    const units = program.checked.units!;
    expect(units.reused).toBeGreaterThanOrEqual(5);
    const owner = new Map<object, string>();
    for (const [id, e] of units.entries) {
      const reachable = new Set<object>();
      rangesIn([e.entity, e.read, e.checked], reachable);
      for (const f of Object.keys(e.values.origins)) rangesIn([e.values.origins[f], e.values.all(f), e.values.sources(f)], reachable);
      // Each range is moved exactly once per reuse: listed once, and every reachable one listed.
      const listed = new Set<object>(e.ranges);
      expect(listed.size, `${id} lists a range twice`).toBe(e.ranges.length);
      for (const r of reachable) {
        expect(listed.has(r), `${id} holds a range it does not move`).toBe(true);
        expect(owner.get(r), `a range of ${id} is also held by another unit`).toBeUndefined();
        owner.set(r, id);
      }
    }
    // The inherited pattern fields really are the same text in every service (so sharing was possible).
    expect(owner.size).toBeGreaterThan(6 * 5);
    expect(comparable(program)).toEqual(comparable(fresh(text)));
  });

  it("is taken over by one compile: a second compile from the same previous program recomputes every unit", () => {
    const first = fresh(SPEC);
    const host = createOverlayHost(new Map([[path, SPEC]]), base);
    const again = createProgram({ host, roots: [dir], oldProgram: first });
    expect(again.checked.units!.reused).toBeGreaterThanOrEqual(6);
    const twice = createProgram({ host, roots: [dir], oldProgram: first });
    expect(twice.checked.units!.reused).toBe(0);
    expect(comparable(twice)).toEqual(comparable(fresh(SPEC)));
    // The cache of the compile that took over is itself reusable once.
    expect(createProgram({ host, roots: [dir], oldProgram: again }).checked.units!.reused).toBeGreaterThanOrEqual(6);
  });
});
