// Language-server latency benchmark (run after `npm run build`): edit → diagnostics, completion and hover round trips,
// the server's CPU per edit and its memory (RSS, and the heap after a forced GC) before and after the edits.
//   node scripts/bench-lsp.mjs [--services 150] [--edits 100] [--completions 100] [--hovers 100] [--profile <dir>]
// (--services 1500 is the 20,000-line size; `npm run bench:lsp` builds first.)
// --profile writes a V8 CPU profile of the server (open it in Chrome DevTools or speedscope).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateLspSpec as generateSpec } from "./generate-lsp-spec.mjs";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SERVICES = arg("services", 150);
const EDITS = arg("edits", 100);
const COMPLETIONS = arg("completions", 100);
const HOVERS = arg("hovers", 100);
// Diagnostics: < 50 ms on the 2,000-line spec, < 150 ms on 20,000 lines (issue 11).
const TARGETS = { diagnostics: SERVICES > 500 ? 150 : 50, completion: 20, hover: 20 };

/** The server's CPU time (user + system) in ms from /proc, or NaN elsewhere: less sensitive to other load than wall time. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** The server's resident set in MB (Linux /proc), or NaN elsewhere. */
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return { p50: q(50), p95: q(95), max: s[s.length - 1] };
};

const dir = mkdtempSync(join(tmpdir(), "finc-bench-lsp-"));
const file = join(dir, "spec.fin");
let text = generateSpec(SERVICES);
writeFileSync(file, text);
const uri = pathToFileURL(file).href;
const lines = text.split("\n").length;

const profileAt = process.argv.indexOf("--profile");
const profile = profileAt > 0 ? ["--cpu-prof", `--cpu-prof-dir=${resolve(process.argv[profileAt + 1] ?? ".")}`] : [];
// --expose-gc: the server then answers finc/debug/memory (heap after a forced GC).
const child = spawn(process.execPath, [...profile, "--expose-gc", join(repo, "dist/server.cjs"), "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const waiting = new Map();
conn.onNotification("textDocument/publishDiagnostics", (p) => {
  if (p.uri !== uri) return;
  const w = waiting.get(p.version);
  if (w) {
    waiting.delete(p.version);
    w(performance.now());
  }
});
conn.onNotification("window/logMessage", (p) => p.type === 1 && console.error(p.message));
conn.onRequest("client/registerCapability", () => null);
conn.listen();
const diagnosticsFor = (version) => new Promise((res) => waiting.set(version, res));

const position = (offset) => {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
};

try {
  const folder = pathToFileURL(dir).href;
  await conn.sendRequest("initialize", {
    processId: process.pid,
    rootUri: folder,
    workspaceFolders: [{ uri: folder, name: "bench" }],
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true, documentationFormat: ["markdown"] } } } },
  });
  conn.sendNotification("initialized", {});
  const first = diagnosticsFor(1);
  const t0 = performance.now();
  conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "fin", version: 1, text } });
  const openedAt = await first;
  const openMs = openedAt - t0;

  // Warm up (JIT) before measuring.
  let version = 1;
  const editReplicas = (i) => {
    const service = `service svc-${i % SERVICES} {`;
    const at = text.indexOf("replicas 2 to ", text.indexOf(service)) + "replicas 2 to ".length;
    const end = text.indexOf(" ", at);
    const replacement = String(6 + ((i * 7) % 40));
    const range = { start: position(at), end: position(end) };
    text = text.slice(0, at) + replacement + text.slice(end);
    return { range, text: replacement };
  };
  for (let i = 0; i < 10; i++) {
    const change = editReplicas(1000 + i);
    const done = diagnosticsFor(++version);
    conn.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [change] });
    await done;
  }

  const heapMb = async () => (await conn.sendRequest("finc/debug/memory")).heapUsed / 2 ** 20;
  const heapBefore = await heapMb();
  const loadBefore = loadavg()[0];
  const rssBefore = rssMb(child.pid);
  const cpuBefore = cpuMs(child.pid);
  const diagnostics = [];
  for (let i = 0; i < EDITS; i++) {
    const change = editReplicas(i);
    const done = diagnosticsFor(++version);
    const sent = performance.now();
    conn.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [change] });
    diagnostics.push((await done) - sent);
  }
  // CPU of the edits alone (completion and hover come after).
  const cpuPerEdit = (cpuMs(child.pid) - cpuBefore) / diagnostics.length;
  const rssAfter = rssMb(child.pid);
  const heapAfter = await heapMb();

  // Completion: field names on a fresh line, names after `calls`, units after a number.
  const completion = [];
  const probes = [];
  for (let i = 0; probes.length < COMPLETIONS; i++) {
    const service = text.indexOf(`service svc-${(i * 13) % SERVICES} {`);
    const kind = i % 3;
    if (kind === 0) probes.push(position(text.indexOf("calls    ", service) + "calls    ".length));
    else if (kind === 1) probes.push(position(text.indexOf("memory   512", service) + "memory   512".length));
    else probes.push(position(text.indexOf("\n", service) + 1));
  }
  let items = 0;
  for (const p of probes) {
    const sent = performance.now();
    const r = await conn.sendRequest("textDocument/completion", { textDocument: { uri }, position: p });
    completion.push(performance.now() - sent);
    items += Array.isArray(r) ? r.length : (r?.items?.length ?? 0);
  }

  // Hover: on service names and on field names (effective values per environment).
  const hover = [];
  for (let i = 0; i < HOVERS; i++) {
    const service = text.indexOf(`service svc-${(i * 17) % SERVICES} {`);
    const at = i % 2 === 0 ? service + "service s".length : text.indexOf("replicas", service) + 2;
    const sent = performance.now();
    await conn.sendRequest("textDocument/hover", { textDocument: { uri }, position: position(at) });
    hover.push(performance.now() - sent);
  }

  const d = stats(diagnostics);
  const c = stats(completion);
  const h = stats(hover);
  const fmt = (n) => n.toFixed(1).padStart(7);
  const ok = (v, t) => (v < t ? "ok" : "MISSED");
  console.log(`finc language server: ${lines} lines, ${SERVICES} services, 3 environments (first diagnostics after open: ${openMs.toFixed(0)} ms)`);
  console.log("");
  console.log("                           n      p50      p95      max   target p95");
  console.log(`edit → diagnostics   ${String(diagnostics.length).padStart(6)}  ${fmt(d.p50)}  ${fmt(d.p95)}  ${fmt(d.max)}   < ${TARGETS.diagnostics} ms  ${ok(d.p95, TARGETS.diagnostics)}`);
  console.log(`completion           ${String(completion.length).padStart(6)}  ${fmt(c.p50)}  ${fmt(c.p95)}  ${fmt(c.max)}   < ${TARGETS.completion} ms  ${ok(c.p95, TARGETS.completion)}`);
  console.log(`hover                ${String(hover.length).padStart(6)}  ${fmt(h.p50)}  ${fmt(h.p95)}  ${fmt(h.max)}   < ${TARGETS.hover} ms  ${ok(h.p95, TARGETS.hover)}`);
  console.log(`server CPU per edit: ${cpuPerEdit.toFixed(1)} ms (user + system)`);
  console.log(`server RSS: ${rssBefore.toFixed(0)} MB after open and warm-up, ${rssAfter.toFixed(0)} MB after ${diagnostics.length} edits`);
  // Flat memory (issue 11): the heap after a forced GC must not grow with the number of edits.
  console.log(`server heap after forced GC: ${heapBefore.toFixed(1)} MB after open and warm-up, ${heapAfter.toFixed(1)} MB after ${diagnostics.length} edits (${heapAfter >= heapBefore ? "+" : ""}${(heapAfter - heapBefore).toFixed(1)} MB)`);
  // Wall times on a shared 2-core machine mean little under load: say what it was.
  console.log(`machine load (1-min average): ${loadBefore.toFixed(2)} before the edits, ${loadavg()[0].toFixed(2)} at the end`);
  console.log(`(times in ms; diagnostics include the server's debounce; ${(items / completion.length).toFixed(1)} items per completion)`);
} finally {
  try {
    await Promise.race([conn.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 1000))]);
    conn.sendNotification("exit");
  } catch {
    // gone already
  }
  // Let the server exit on its own (a CPU profile is written at exit); kill it only if it hangs.
  setTimeout(() => child.kill(), 3000).unref();
  conn.dispose();
  rmSync(dir, { recursive: true, force: true });
}
