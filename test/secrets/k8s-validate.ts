// Runs ../shared/tools/k8s-validate: copied into a temp dir and `npm install`ed there once per content of the tool (tool-install.ts).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { REPO } from "../kustomize/support.js";
import { installedToolCopy } from "../helpers/tool-install.js";

const SHARED = resolve(REPO, "../shared");
let installed: string | undefined;

export function k8sValidateAvailable(): boolean {
  return existsSync(join(SHARED, "tools/k8s-validate/validate.mjs")) && existsSync(join(SHARED, "schemas"));
}

/** One install per content of the tool, shared by every test file (its npm install, without a lock file, can take half a minute). */
function install(): string {
  return (installed ??= installedToolCopy(join(SHARED, "tools/k8s-validate"), ["install", "--no-audit", "--no-fund", "--silent"]));
}

export interface ValidationResult {
  readonly file: string;
  readonly status: string;
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly name?: string;
  readonly errors: readonly unknown[];
  readonly schema?: string;
}

export function k8sValidate(paths: string[]): { ok: boolean; results: ValidationResult[] } {
  const dir = install();
  let stdout: string;
  try {
    // The CRDs ../shared/schemas lacks (Flux, GKE's and the AWS Load Balancer Controller's kinds) are vendored in test/schemas/crds.
    stdout = execFileSync("node", [join(dir, "validate.mjs"), "--schemas", join(SHARED, "schemas"), "--schema-dir", join(REPO, "test/schemas/crds"), "--json", ...paths], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    stdout = String((e as { stdout?: string }).stdout ?? "");
    if (!stdout) throw e;
  }
  const report = JSON.parse(stdout) as { summary: { ok: boolean }; results: ValidationResult[] };
  return { ok: report.summary.ok, results: report.results };
}
