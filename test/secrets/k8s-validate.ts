// Runs ../shared/tools/k8s-validate: copied into a temp dir and `npm install`ed there once per test process.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { REPO, tempDir } from "../kustomize/support.js";

const SHARED = resolve(REPO, "../shared");
let installed: string | undefined;

export function k8sValidateAvailable(): boolean {
  return existsSync(join(SHARED, "tools/k8s-validate/validate.mjs")) && existsSync(join(SHARED, "schemas"));
}

function install(): string {
  if (installed) return installed;
  const dir = join(tempDir("k8s-validate"), "k8s-validate");
  cpSync(join(SHARED, "tools/k8s-validate"), dir, { recursive: true, filter: (p) => !p.includes("node_modules") });
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent"], { cwd: dir, stdio: "ignore" });
  return (installed = dir);
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
