import { run } from "./main.js";

// A reader that goes away (`finc build … | head -1`) is not a failure of the build: stop writing to it,
// let the build finish, exit with its code — like git and ls. Any other stream error still surfaces.
const closed = new Set<NodeJS.WriteStream>();
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    closed.add(stream);
  });
}
const write = (stream: NodeJS.WriteStream) => (t: string) => {
  if (!closed.has(stream)) stream.write(t);
};

// The executable: real stdio, exit code from run(); an unexpected crash is a bug report, not a stack trace for users.
run(process.argv.slice(2), {
  out: write(process.stdout),
  err: write(process.stderr),
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
