import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createOverlayHost, createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type LoadedFile } from "../../compiler/program.js";
import { reparse } from "../../language-server/src/incremental-parse.js";
import { generateLspSpec } from "../../scripts/generate-lsp-spec.mjs";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heapMb = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/**
 * A re-parsed declaration's token texts are slices of the string the parser read. If that
 * string is the whole file (or padded to the declaration's offset), each edited declaration
 * keeps a file's worth of old text alive as long as it lives: editing 200 declarations far down
 * a 600-service spec kept ~40 MB (a 20,000-line spec: +171 MB over 1,000 edits). Only the
 * latest syntax tree is kept here, so the heap must stay flat.
 */
describe("incremental re-parse", () => {
  it("keeps no old text alive through the declarations it re-parsed", () => {
    const path = "/spec/spec.fin";
    let text = generateLspSpec(600);
    let file: LoadedFile = createProgram({ host: createOverlayHost(new Map([[path, text]]), createNodeHost()), roots: [path] }).files.get(path)!;
    const edit = (i: number): void => {
      const at = text.indexOf("replicas 2 to ", text.indexOf(`service svc-${i} {`)) + "replicas 2 to ".length;
      const end = text.indexOf(" ", at);
      text = text.slice(0, at) + String(7 + (i % 30)) + text.slice(end);
      const next = reparse(file, text);
      expect(next, `edit ${i} is re-parsed incrementally`).toBeDefined();
      file = next!;
      // Touch what the checker reads of the edited declaration.
      for (const d of file.ast.declarations) if (d.name?.text === `svc-${i}`) expect(d.body.members.length).toBeGreaterThan(0);
    };
    for (let i = 350; i < 400; i++) edit(i);
    const before = heapMb();
    for (let i = 400; i < 600; i++) edit(i);
    const after = heapMb();
    expect(after - before, `heap ${before.toFixed(1)} MB → ${after.toFixed(1)} MB`).toBeLessThan(8);
  }, 120_000);
});
