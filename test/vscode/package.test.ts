import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const vsixPath = path.join(root, "dist/finc-vscode.vsix");

/** What the .vsix is made from: when any of it is newer than the .vsix, the .vsix is rebuilt. */
const inputs = [
  "dist/server.cjs",
  "dist/finc.cjs",
  "scripts/package-vscode.mjs",
  "vscode-extension/package.json",
  "vscode-extension/language-configuration.json",
  "vscode-extension/syntaxes/fin.tmLanguage.json",
  "vscode-extension/snippets/fin.json",
  "vscode-extension/src/extension.ts",
];

/** Every file under `dir`, as paths relative to it with forward slashes. */
function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** A minimal zip reader (stored and deflated entries, no zip64): enough for a .vsix. */
function readZip(zip: Buffer): Map<string, Buffer> {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip file: no end of central directory");
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at ${p}`);
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString("utf8", p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/")) continue;
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressed);
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported compression method ${method}`);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
  }
  return entries;
}

let entries: Map<string, Buffer>;
let manifest: {
  main: string;
  activationEvents: string[];
  dependencies?: Record<string, string>;
  engines: { vscode: string };
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    snippets: { language: string; path: string }[];
    commands: { command: string; title: string }[];
    configuration: { properties: Record<string, { type: string; default?: unknown; enum?: string[] }> };
  };
};
const inVsix = (relative: string): string => `extension/${path.posix.normalize(relative)}`;

beforeAll(() => {
  const built = existsSync(vsixPath) ? statSync(vsixPath).mtimeMs : -1;
  const stale = inputs.some((f) => existsSync(path.join(root, f)) && statSync(path.join(root, f)).mtimeMs > built);
  if (stale) {
    try {
      execFileSync(process.execPath, [path.join(root, "scripts/package-vscode.mjs")], { cwd: root, stdio: "pipe" });
    } catch (err) {
      const e = err as { status?: number | null; stdout?: Buffer; stderr?: Buffer };
      throw new Error(`scripts/package-vscode.mjs failed (exit ${e.status}):\n${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? ""}`);
    }
  }
  entries = readZip(readFileSync(vsixPath));
  manifest = JSON.parse(entries.get("extension/package.json")!.toString("utf8")) as typeof manifest;
}, 120_000);

describe("dist/finc-vscode.vsix", () => {
  it("has an extension manifest that activates on .fin files", () => {
    expect(entries.has("extension.vsixmanifest")).toBe(true);
    expect(manifest.activationEvents).toContain("onLanguage:fin");
    expect(manifest.engines.vscode).toBe("^1.91.0");
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(entries.has(inVsix(manifest.main))).toBe(true);
  });

  it("contributes the fin language, its configuration, grammar and snippets", () => {
    const language = manifest.contributes.languages.find((l) => l.id === "fin");
    expect(language?.extensions).toContain(".fin");
    expect(entries.has(inVsix(language!.configuration))).toBe(true);

    const grammar = manifest.contributes.grammars.find((g) => g.language === "fin");
    expect(grammar?.scopeName).toBe("source.fin");
    const grammarFile = entries.get(inVsix(grammar!.path));
    expect(grammarFile).toBeDefined();
    expect((JSON.parse(grammarFile!.toString("utf8")) as { scopeName: string }).scopeName).toBe("source.fin");

    for (const snippets of manifest.contributes.snippets) {
      expect(snippets.language).toBe("fin");
      const body = JSON.parse(entries.get(inVsix(snippets.path))!.toString("utf8")) as Record<string, { prefix: string }>;
      const prefixes = Object.values(body).map((s) => s.prefix);
      expect(prefixes).toEqual(expect.arrayContaining(["service", "database", "namespace", "platform", "environment", "pattern"]));
    }
  });

  it("contributes the commands and settings", () => {
    expect(manifest.contributes.commands.map((c) => c.command).sort()).toEqual(["finc.build", "finc.preview"]);
    const settings = manifest.contributes.configuration.properties;
    expect(settings["finc.environment"]).toMatchObject({ type: "string", default: "" });
    expect(settings["finc.trace.server"]?.enum).toEqual(["off", "messages", "verbose"]);
  });

  it("bundles the client, the language server, the CLI and the stdlib, and no sources", () => {
    const client = entries.get("extension/dist/extension.cjs")?.toString("utf8");
    expect(client).toBeDefined();
    expect(client).toMatch(/require\(["']vscode["']\)/);
    expect(entries.has("extension/dist/server.cjs")).toBe(true);
    expect(entries.has("extension/dist/finc.cjs")).toBe(true);
    for (const file of listFiles(path.join(root, "stdlib"))) {
      expect(entries.has(`extension/dist/stdlib/${file}`), `stdlib/${file}`).toBe(true);
    }
    const names = [...entries.keys()];
    expect(names.filter((n) => /^extension\/(src|node_modules)\//.test(n) || n.endsWith(".ts"))).toEqual([]);
  });
});

describe("the bundled language server", () => {
  let dir: string;
  let server: ChildProcessWithoutNullStreams | undefined;
  let connection: MessageConnection | undefined;
  let stderr = "";

  beforeAll(() => {
    // Unpack everything the server may load next to itself (dist/stdlib …).
    dir = mkdtempSync(path.join(os.tmpdir(), "finc-vsix-"));
    for (const [name, data] of entries) {
      if (!name.startsWith("extension/dist/")) continue;
      const target = path.join(dir, ...name.slice("extension/dist/".length).split("/"));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
  });

  afterAll(() => {
    connection?.dispose();
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("answers initialize over stdio with its capabilities", async () => {
    server = spawn(process.execPath, [path.join(dir, "server.cjs"), "--stdio"], { cwd: dir, stdio: "pipe" });
    server.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => server!.on("exit", (code) => resolve(code)));
    connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.listen();

    const result = await Promise.race([
      connection.sendRequest<{ capabilities?: unknown }>("initialize", {
        processId: process.pid,
        clientInfo: { name: "finc-vscode test" },
        rootUri: null,
        workspaceFolders: null,
        capabilities: {},
        initializationOptions: { environment: "" },
      }),
      exited.then((code) => {
        throw new Error(`the server exited (code ${code}) before answering initialize:\n${stderr}`);
      }),
    ]);
    expect(result.capabilities).toBeTypeOf("object");
    expect(result.capabilities).not.toBeNull();

    connection.sendNotification("initialized", {});
    await connection.sendRequest("shutdown");
    await connection.sendNotification("exit");
    const code = await Promise.race([exited, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 5_000))]);
    expect(code, stderr).toBe(0);
  }, 30_000);
});
