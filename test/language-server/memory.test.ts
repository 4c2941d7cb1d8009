import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Not from main.js: that would load the whole server and compiler here, where only the constant is needed (the server runs as dist/server.cjs).
import { MEMORY_REQUEST } from "../../language-server/src/debug-requests.js";
import { generateSpec } from "../../scripts/generate-spec.mjs";
import { startClient, type Client } from "./lsp-harness.js";

interface Memory {
  heapUsed: number;
  rss: number;
}

/**
 * The leak of issue 11: every program the server built stayed reachable from the next one
 * (3.5 MB of heap per keystroke on a 2,000-line spec, until the heap ran out). Typing one
 * character at a time for 500 edits, the heap after a forced GC must stay where it was after
 * the first 50 — a leak of even 100 KB per edit would exceed the bound.
 */
describe("language server memory over many edits", () => {
  let dir = "";
  let client: Client;
  let text = "";
  const uri = (): string => pathToFileURL(join(dir, "spec.fin")).href;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "finc-lsp-memory-"));
    text = generateSpec(170);
    writeFileSync(join(dir, "spec.fin"), text);
    client = await startClient(dir, undefined, ["--expose-gc"]);
  });
  afterAll(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the heap flat while a user types 500 characters into a 2,000-line spec", async () => {
    expect(text.split("\n").length).toBeGreaterThan(2000);
    const first = client.diagnostics(uri(), (p) => p.version === 1, 30_000);
    client.open(uri(), text, 1);
    await first;
    // Type into a config value in the middle of the file: every keystroke re-checks the spec.
    let at = text.indexOf('LOG_LEVEL = "info', text.indexOf("service svc80 ")) + 'LOG_LEVEL = "info'.length;
    const position = (offset: number) => {
      const before = text.slice(0, offset);
      return { line: before.split("\n").length - 1, character: offset - (before.lastIndexOf("\n") + 1) };
    };
    let afterWarmUp: Memory | undefined;
    for (let version = 2; version <= 501; version++) {
      const ch = String.fromCharCode(97 + (version % 26));
      const range = { start: position(at), end: position(at) };
      text = text.slice(0, at) + ch + text.slice(at);
      at++;
      const published = client.diagnostics(uri(), (p) => p.version === version, 30_000);
      client.change(uri(), version, [{ range, text: ch }]);
      await published;
      if (version === 51) afterWarmUp = await client.request<Memory>(MEMORY_REQUEST, null, 30_000);
    }
    const end = await client.request<Memory>(MEMORY_REQUEST, null, 30_000);
    const grown = end.heapUsed - afterWarmUp!.heapUsed;
    console.log(`heap after 50 edits ${(afterWarmUp!.heapUsed / 1e6).toFixed(1)} MB, after 500 ${(end.heapUsed / 1e6).toFixed(1)} MB, RSS ${(end.rss / 1e6).toFixed(0)} MB`);
    expect(grown).toBeLessThan(8 * 1024 * 1024);
  }, 240_000);
});
