import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { buildOutputs, type BuildOutputs } from "../../compiler/emit/build-outputs.js";
import { needsFiles } from "../../compiler/emit/needs/index.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type Program } from "../../compiler/program.js";
import type { PlatformModel } from "../../compiler/model/platform-model.js";
import { REPO, STDLIB } from "./compile.js";
import { installedToolCopy } from "./tool-install.js";

/** The shared runtime checker; outside this repository, so tests using it skip when it is absent. */
export const RUNTIME_CHECK = resolve(REPO, "../shared/tools/runtime-check");
export const RUNTIME_CHECK_PRESENT = existsSync(RUNTIME_CHECK);
export const RUNTIME_CHECK_SKIPPED = `skipped: ${RUNTIME_CHECK} is not there (the shared tools are outside this repository)`;

/**
 * Copies the checker to a temp dir and installs it there (its folder is read-only in CI, as its
 * README says); returns check.mjs. One install per content of the tool, shared by every call and
 * test file (tool-install.ts).
 */
export function installRuntimeCheck(): string {
  return join(installedToolCopy(RUNTIME_CHECK, ["ci", "--no-audit", "--no-fund", "--silent"]), "check.mjs");
}

/**
 * Writes a build (every environment of `outputs`, default: all of them with the default targets)
 * into a new temp dir, with the needs files `finc build` writes for those environments.
 */
export function writeBuild(program: Program, outputs: BuildOutputs = buildOutputs(program), prefix = "finc-out-"): string {
  const out = mkdtempSync(join(tmpdir(), prefix));
  const needs = needsFiles([...outputs.documents.keys()].flatMap((e) => program.checked.models.get(e) ?? []));
  for (const f of [...outputs.files, ...needs]) {
    mkdirSync(dirname(join(out, f.path)), { recursive: true });
    writeFileSync(join(out, f.path), f.content);
  }
  return out;
}

/** Builds an example (every environment, default targets) into a temp dir, with the needs files `finc build` writes. */
export function buildExample(example: string): { out: string; environments: string[]; models: ReadonlyMap<string, PlatformModel> } {
  const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples", example)] });
  const outputs = buildOutputs(program);
  return { out: writeBuild(program, outputs, `finc-${example}-out-`), environments: [...outputs.documents.keys()], models: program.checked.models };
}

export interface RuntimeCheckResult {
  readonly findings: string[];
  readonly summary: string;
  readonly status: number | null;
}

/** The checker's command-line arguments for one environment's directory, with that environment's needs file when asked. */
const checkArgs = (out: string, env: string, withNeeds: boolean): string[] => [...(withNeeds ? ["--needs", join(out, ".finc/needs", `${env}.yaml`)] : []), join(out, env)];

const resultOf = (stdout: string, stderr: string, status: number | null): RuntimeCheckResult => ({
  findings: stdout.split("\n").filter((l) => /^(ERROR|WARN) /.test(l)),
  summary: stdout.split("\n").find((l) => l.startsWith("runtime-check: ")) ?? `no summary (exit ${status}): ${stderr}`,
  status,
});

/**
 * runRuntimeCheck for many environments at once: the checker's own CLI run once per job, all in
 * one Node process (runtime-check-batch.mjs), the results in the order of the jobs.
 */
export function runRuntimeChecks(check: string, jobs: readonly { out: string; env: string; withNeeds: boolean }[]): RuntimeCheckResult[] {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, "runtime-check-batch.mjs"), check], {
    input: JSON.stringify(jobs.map((j) => checkArgs(j.out, j.env, j.withNeeds))), encoding: "utf8", maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`runtime-check-batch.mjs exited with ${r.status}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { stdout: string; stderr: string; status: number }[]).map((x) => resultOf(x.stdout, x.stderr, x.status));
}

/** Runs the checker on one environment's directory, with that environment's needs file when asked. */
export function runRuntimeCheck(check: string, out: string, env: string, withNeeds: boolean): RuntimeCheckResult {
  const r = spawnSync(process.execPath, [check, ...checkArgs(out, env, withNeeds)], { encoding: "utf8" });
  return resultOf(r.stdout, r.stderr, r.status);
}
