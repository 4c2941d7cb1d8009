// Runs the shared runtime-check's own CLI — check.mjs's main, with its own argument parsing and
// output — for many argument lists in ONE Node process: `node runtime-check-batch.mjs <check.mjs>`
// with a JSON array of argument arrays on stdin; prints a JSON array of { stdout, stderr, status }.
// Each run imports check.mjs afresh (a query string makes it a new module instance; its main runs
// when argv[1] ends in check.mjs, as from the shell). Its lib/ modules hold no state between runs
// (only constant tables), so a run sees what a fresh process would; what is saved is a Node
// start-up, the YAML library's load and a cold JIT per run (~0.6 s of CPU each).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const check = process.argv[2];
const jobs = JSON.parse(readFileSync(0, "utf8"));
const out = process.stdout.write.bind(process.stdout);
const results = [];
for (const [i, args] of jobs.entries()) {
  const stdout = [];
  const stderr = [];
  console.log = (...a) => void stdout.push(format(...a));
  console.error = (...a) => void stderr.push(format(...a));
  process.argv = [process.argv[0], check, ...args];
  process.exitCode = undefined;
  try {
    await import(`${pathToFileURL(check).href}?run=${i}`);
  } catch (e) {
    // As an uncaught exception in its own process: the stack on stderr, exit status 1.
    stderr.push(String(e?.stack ?? e));
    process.exitCode = 1;
  }
  results.push({ stdout: stdout.map((l) => `${l}\n`).join(""), stderr: stderr.map((l) => `${l}\n`).join(""), status: process.exitCode ?? 0 });
}
process.exitCode = 0;
out(JSON.stringify(results));
