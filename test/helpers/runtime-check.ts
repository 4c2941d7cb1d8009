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

/** Runs the checker on one environment's directory, with that environment's needs file when asked. */
export function runRuntimeCheck(check: string, out: string, env: string, withNeeds: boolean): RuntimeCheckResult {
  const args = [check, ...(withNeeds ? ["--needs", join(out, ".finc/needs", `${env}.yaml`)] : []), join(out, env)];
  const r = spawnSync(process.execPath, args, { encoding: "utf8" });
  return {
    findings: r.stdout.split("\n").filter((l) => /^(ERROR|WARN) /.test(l)),
    summary: r.stdout.split("\n").find((l) => l.startsWith("runtime-check: ")) ?? `no summary (exit ${r.status}): ${r.stderr}`,
    status: r.status,
  };
}
