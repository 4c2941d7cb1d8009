import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PLATFORM, REPO } from "../helpers/compile.js";
import { copyExample, startClient, type Client } from "../language-server/lsp-harness.js";

/**
 * Bounded, honest diagnostics end to end (issue 8, item 7), through dist/finc.cjs as users run it:
 * no input makes finc crash (exit 70) or print without bound.
 */
const FINC = resolve(REPO, "dist/finc.cjs");
let dir: string;
const finc = (args: string[]) => {
  // A hang fails the test instead of blocking the worker (a spawnSync cannot be interrupted by vitest).
  const r = spawnSync(process.execPath, [FINC, ...args], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30, timeout: 100_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const write = (name: string, text: string | Buffer): string => {
  writeFileSync(join(dir, name), text);
  return name;
};
const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "finc-bounded-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SERVICE = 'service a {\n  namespace apps\n  image "r.io/a:1"\n  port 80\n';
const DEEP = `${PLATFORM}${SERVICE}  command ${"[".repeat(10_000)}\n}\n`;

describe("deep nesting", () => {
  it('"FIN1004" from build, check and fmt, never exit 70', () => {
    const file = write("deep.fin", DEEP);
    for (const args of [["build", file, "--out", "out-deep"], ["check", file], ["fmt", "--check", file], ["fmt", file]]) {
      const r = finc(args);
      expect(r.stderr, args.join(" ")).toContain("error[FIN1004]");
      expect(r.stderr).not.toContain("internal error");
      expect(r.code, args.join(" ")).toBe(1);
    }
  });
});

describe("many diagnostics", () => {
  const spec = `${PLATFORM}${SERVICE}${"  $\n".repeat(250)}}\n`;

  it("text output shows 100 per file, then '… and N more in <file>'; the summary counts them all, once", () => {
    const r = finc(["check", write("many.fin", spec)]);
    expect(r.code).toBe(1);
    expect(count(r.stderr, /^error\[FIN1001\]/gm)).toBe(100);
    expect(r.stderr).toContain("… and 150 more in many.fin");
    expect(count(r.stderr, /^250 errors$/gm)).toBe(1);
  });

  it("JSON and SARIF keep every diagnostic (machines filter; the compiler already bounds each file)", () => {
    const file = write("many.fin", spec);
    expect((JSON.parse(finc(["check", file, "--format", "json"]).stdout) as unknown[]).length).toBe(250);
    const sarif = JSON.parse(finc(["check", file, "--format", "sarif"]).stdout) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]!.results.length).toBe(250);
  });

  it("a failed build prints the summary once", () => {
    const r = finc(["build", write("bad.fin", `${PLATFORM}${SERVICE}  replcas 3\n}\n`), "--out", "out-bad"]);
    expect(r.code).toBe(1);
    expect(count(r.stderr, /\b1 error\b/g)).toBe(1);
  });
});

describe("long lines and garbage", () => {
  it("a 1 MB line prints as one short line with the caret under the error", () => {
    const file = write("long.fin", `${PLATFORM}${SERVICE}  image "${"a".repeat(1 << 20)}" $\n}\n`);
    const r = finc(["check", file]);
    expect(r.code).toBe(1);
    expect(r.stderr.length).toBeLessThan(5000);
    const lines = r.stderr.split("\n");
    for (const l of lines) expect(l.length).toBeLessThan(200);
    const at = lines.findIndex((l) => l.startsWith("error[FIN1001]"));
    const source = lines.findIndex((l, i) => i > at && /^\d+ \| /.test(l));
    const caret = lines[source + 1]!;
    const column = caret.indexOf("^");
    // Gutters have the same width on both lines: the caret sits under the `$`.
    expect(lines[source]![column]).toBe("$");
    expect(lines[source]).toContain("…");
  });

  let seed = 42;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
  const MB20 = 20 << 20;
  const bytes = (pick: () => number): Buffer => {
    const b = Buffer.alloc(MB20);
    for (let i = 0; i < b.length; i++) b[i] = pick();
    return b;
  };
  const unicode = (): string => {
    const parts: string[] = [];
    for (let n = 0; n < MB20 / 3; n += 4096) parts.push(String.fromCodePoint(...Array.from({ length: 4096 }, () => 0x20 + Math.floor(random() * 0xd000))));
    return parts.join("");
  };

  it.each([
    ["random bytes", () => bytes(() => Math.floor(random() * 256))],
    ["random unicode", unicode],
    ["one huge line of printable ASCII", () => bytes(() => 0x20 + Math.floor(random() * 95))],
  ])("20 MB of %s: finc check finishes with bounded output", (_name, make) => {
    const file = write("garbage.fin", make());
    const r = finc(["check", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("internal error");
    expect(r.stderr.length + r.stdout.length).toBeLessThan(100_000);
  }, 120_000);
});

describe("line endings and empty specs", () => {
  it("a CR-only spec reports the right line", () => {
    const spec = `${PLATFORM}${SERVICE}  replcas 3\n}\n`.replaceAll("\n", "\r");
    const r = finc(["check", write("cr.fin", spec), "--format", "json"]);
    const diags = JSON.parse(r.stdout) as { code: string; line: number; column: number }[];
    expect(diags.map((d) => [d.code, d.line, d.column])).toEqual([["FIN2003", 13, 3]]);
  });

  it('"FIN2013": an empty or comment-only spec fails the build, with no "missing platform"', () => {
    for (const text of ["", "// a spec, one day\n"]) {
      const r = finc(["build", write("empty.fin", text), "--out", "out-empty"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("error[FIN2013]");
      expect(r.stderr).not.toContain("FIN2010");
    }
  });
});

describe("language server", () => {
  let ws: ReturnType<typeof copyExample>;
  let client: Client;
  beforeAll(async () => {
    ws = copyExample();
    client = await startClient(ws.dir);
  }, 20_000);
  afterAll(async () => {
    await client?.stop();
    ws?.dispose();
  });

  it('"FIN1004" for a document with 10,000 `[`, and the server lives on', async () => {
    const uri = pathToFileURL(join(ws.dir, "deep.fin")).href;
    const published = client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === "FIN1004"), 15_000);
    client.open(uri, `service deep {\n  command ${"[".repeat(10_000)}\n}\n`);
    const p = await published;
    const d = p.diagnostics.find((x) => x.code === "FIN1004")!;
    expect(d.range.start).toEqual({ line: 1, character: 10 + 31 });
    // Still answering: a CR-only document gets diagnostics on the right line.
    const cr = pathToFileURL(join(ws.dir, "cr.fin")).href;
    const next = client.diagnostics(cr, (x) => x.diagnostics.some((y) => y.code === "FIN2003"), 15_000);
    client.open(cr, "service cr {\r  replcas 3\r}\r");
    const fin2003 = (await next).diagnostics.find((x) => x.code === "FIN2003")!;
    expect(fin2003.range).toEqual({ start: { line: 1, character: 2 }, end: { line: 1, character: 9 } });
    expect(client.errors).toEqual([]);
  }, 40_000);
});
