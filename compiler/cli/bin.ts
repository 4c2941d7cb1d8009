import { run } from "./main.js";

// The executable: real stdio, exit code from run(); an unexpected crash is a bug report, not a stack trace for users.
run(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  color: process.stderr.isTTY === true && !process.env["NO_COLOR"],
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`finc: internal error: ${(e as Error)?.message ?? String(e)}\nPlease report this as a bug with the spec that caused it.\n`);
    if (process.env["FINC_DEBUG"]) process.stderr.write(`${(e as Error)?.stack ?? ""}\n`);
    process.exitCode = 70;
  },
);
