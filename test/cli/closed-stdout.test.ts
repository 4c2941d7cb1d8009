import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { REPO } from "../helpers/compile.js";

/**
 * `finc build … | head -1` closed finc's stdout early: the next write failed with EPIPE and Node
 * printed an unhandled-error stack trace. A closed reader is not an error of the build: finc stops
 * printing, finishes the build and exits with the build's own code, like git or ls.
 */
it("a reader that closes stdout early gets no stack trace, and the build still completes", () => {
  const dir = mkdtempSync(join(tmpdir(), "finc-epipe-"));
  const out = join(dir, "out");
  const bin = join(REPO, "dist/finc.cjs");
  // The subshell records finc's own exit code and stderr; `head -c 0` closes the pipe before reading anything.
  const script = `(node "${bin}" build "${join(REPO, "examples/payments")}" --out "${out}" 2>"${dir}/err"; echo $? >"${dir}/code") | head -c 0`;
  const r = spawnSync("sh", ["-c", script], { encoding: "utf8" });
  expect(r.status).toBe(0);
  expect(readFileSync(join(dir, "err"), "utf8")).not.toMatch(/EPIPE|Unhandled|at .*\.cjs/);
  expect(readFileSync(join(dir, "code"), "utf8").trim()).toBe("0");
  expect(existsSync(join(out, "prod/payments/deployment-payments.yaml"))).toBe(true);
});
