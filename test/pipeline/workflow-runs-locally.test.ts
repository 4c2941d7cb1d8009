import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { REPO } from "../helpers/compile.js";
import { SCHEMAS } from "../helpers/schemas.js";
import { realTool, realToolSkipped } from "../helpers/real-tools.js";

/**
 * The generated workflow's own `run:` lines, executed as the runner would (bash -e, in the
 * repository root, with the workflow's env), on a repository holding examples/payments with a
 * `pipeline`: `npx finc` is the freshly built dist/finc.cjs (`npm run build` first).
 */
const bin = join(REPO, "dist/finc.cjs");
type Workflow = { env: Record<string, string>; jobs: Record<string, { steps: { name?: string; run?: string }[] }> };

function sh(cwd: string, script: string, env: Record<string, string>) {
  return spawnSync("bash", ["-e", "-c", script], { cwd, encoding: "utf8", env: { ...process.env, ...env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
}

function bootstrap(tool: string, file: string): { dir: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), "finc-pipeline-"));
  cpSync(join(REPO, "examples/payments"), join(dir, "platform"), { recursive: true });
  const platform = join(dir, "platform/platform.fin");
  const spec = readFileSync(platform, "utf8");
  expect(spec).toContain("  environments dev, staging, prod\n");
  writeFileSync(platform, spec.replace("  environments dev, staging, prod\n", `  environments dev, staging, prod\n  pipeline     ${tool} spec "platform" promote dev -> staging -> prod\n`));
  // Bootstrapping: the first build writes the workflow the repository then commits with the output.
  const first = spawnSync("node", [bin, "build", "platform", "--out", "out"], { cwd: dir, encoding: "utf8" });
  expect(first.status, first.stderr).toBe(0);
  const text = readFileSync(join(dir, "out", file), "utf8");
  const init = sh(dir, "git init -q -b main && git add -A && git commit -q -m output", {});
  expect(init.status, init.stderr).toBe(0);
  return { dir, text };
}

function repository(): { dir: string; wf: Workflow; step: (job: string, name: string) => string } {
  const { dir, text } = bootstrap("github-actions", ".finc/ci/github/finc.yaml");
  const wf = parseYaml(text) as Workflow;
  const step = (job: string, name: string) => {
    const run = wf.jobs[job]?.steps.find((s) => s.name === name)?.run;
    expect(run, `${job}: ${name}`).toBeDefined();
    return run!.replaceAll("npx finc", `node "${bin}"`);
  };
  return { dir, wf, step };
}

describe("the workflow's finc steps, run locally on examples/payments", () => {
  const { dir, wf, step } = repository();

  it("finc check writes SARIF 2.1.0 with no results for the clean example", () => {
    const r = sh(dir, step("check", "finc check"), wf.env);
    expect(r.status, r.stderr).toBe(0);
    const sarif = JSON.parse(readFileSync(join(dir, "finc.sarif"), "utf8")) as { version: string; runs: { tool: { driver: { name: string } }; results: unknown[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]!.results).toEqual([]);
  });

  it("finc build into the committed output leaves it unchanged, and the up-to-date step passes", () => {
    const build = sh(dir, step("build", "finc build"), wf.env);
    expect(build.status, build.stderr).toBe(0);
    const check = sh(dir, step("build", "The committed output is what the spec builds"), wf.env);
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it.skipIf(!realTool("kubeconform"))(`kubeconform over every environment's output passes (schemas: ../shared/schemas instead of the network) ${realTool("kubeconform") ? "" : realToolSkipped("kubeconform")}`, () => {
    const local = step("build", "kubeconform")
      .replace('"$(go env GOPATH)/bin/kubeconform"', `"${realTool("kubeconform")}"`)
      .replace(/-schema-location default -schema-location '[^']*'/, `-schema-location '${SCHEMAS}/kubernetes/v1.31/{{.ResourceKind}}{{.KindSuffix}}.json' -schema-location '${SCHEMAS}/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'`);
    expect(local).not.toContain("https://");
    const r = sh(dir, local, wf.env);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const summary = /Summary: (\d+) resources found in \d+ files - Valid: (\d+), Invalid: 0, Errors: 0, Skipped: 0/.exec(r.stdout);
    expect(summary, r.stdout).not.toBeNull();
    // Three environments of payments: far more than a handful of objects, every one validated.
    expect(Number(summary![2])).toBe(Number(summary![1]));
    expect(Number(summary![1])).toBeGreaterThan(150);
  });

  it("the propose step gives staging dev's new image on a branch, spec and rebuilt output in one commit", () => {
    const services = join(dir, "platform/services.fin");
    // A new api image merged for dev only.
    const spec = readFileSync(services, "utf8");
    expect(spec).toContain("environment dev {\n");
    writeFileSync(services, spec.replace("environment dev {\n", 'environment dev {\n  api.image "registry.example.com/payments/api:1.9.0"\n'));
    expect(sh(dir, `node "${bin}" build platform --out out && git add -A && git commit -q -m dev-image`, wf.env).status).toBe(0);
    const propose = step("propose-staging", "finc promote --from dev --to staging, as a pull request").split("\n").filter((l) => !/^(git push|gh pr)/.test(l)).join("\n");
    const r = sh(dir, propose, { ...wf.env, GITHUB_SHA: "0123456789abcdef" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const log = sh(dir, "git rev-parse --abbrev-ref HEAD && git show --stat --format=%s%n%b HEAD", {});
    expect(log.stdout).toMatch(/^finc\/promote-staging-0123456789ab\n/);
    expect(log.stdout).toContain("Promote dev's images to staging");
    expect(log.stdout).toContain("api: registry.example.com/payments/api:1.8.0 -> registry.example.com/payments/api:1.9.0");
    expect(log.stdout).toMatch(/out\/staging\/payments\/deployment-api\.yaml/);
    expect(log.stdout).not.toMatch(/out\/prod\//);
    expect(readFileSync(join(dir, "out/staging/payments/deployment-api.yaml"), "utf8")).toContain("payments/api:1.9.0");
    const promoted = readFileSync(services, "utf8");
    expect(promoted).toMatch(/image +"registry\.example\.com\/payments\/api:1\.8\.0"/);
    expect(promoted.slice(promoted.indexOf("environment staging {"))).toMatch(/^environment staging \{\n[^}]*api\.image +"registry\.example\.com\/payments\/api:1\.9\.0"\n[^}]*\}/);
    expect(sh(dir, "git switch -q main", {}).status).toBe(0);
  });

  it("a spec change not rebuilt and committed fails the up-to-date step, naming the stale file", () => {
    const services = join(dir, "platform/services.fin");
    const text = readFileSync(services, "utf8");
    expect(text).toContain("payments/api:1.8.0");
    writeFileSync(services, text.replace("payments/api:1.8.0", "payments/api:1.8.1"));
    expect(sh(dir, step("build", "finc build"), wf.env).status).toBe(0);
    const check = sh(dir, step("build", "The committed output is what the spec builds"), wf.env);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/out\/prod\/payments\/deployment-api\.yaml/);
  });
});

describe("the GitLab pipeline's finc script lines, run locally on examples/payments", () => {
  const { dir, text } = bootstrap("gitlab-ci", ".finc/ci/gitlab/.gitlab-ci.yml");
  const doc = parseYaml(text) as Record<string, { script: string[] }> & { variables: Record<string, string> };
  // `npm ci` installs finc from the repository's lock in the job; here finc is the fresh build.
  const script = (job: string) => doc[job]!.script.filter((l) => l !== "npm ci").map((l) => l.replaceAll("npx finc", `node "${bin}"`)).join("\n");

  it("finc-check writes an empty Code Quality report for the clean example", () => {
    const r = sh(dir, script("finc-check"), doc.variables);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "gl-code-quality-report.json"), "utf8"))).toEqual([]);
  });

  it("finc-build rebuilds the committed output unchanged", () => {
    const r = sh(dir, script("finc-build"), doc.variables);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("a spec error fails finc-check and lands in the report with its code, file and line", () => {
    const services = join(dir, "platform/services.fin");
    writeFileSync(services, readFileSync(services, "utf8").replace("  api.replicas ", "  api.replicsa "));
    const r = sh(dir, script("finc-check"), doc.variables);
    expect(r.status).toBe(1);
    const issues = JSON.parse(readFileSync(join(dir, "gl-code-quality-report.json"), "utf8")) as { check_name: string; location: { path: string; positions: { begin: { line: number } } } }[];
    const line = readFileSync(services, "utf8").split("\n").findIndex((l) => l.includes("api.replicsa")) + 1;
    expect(issues.map((i) => [i.location.path, i.location.positions.begin.line])).toContainEqual(["platform/services.fin", line]);
    expect(issues.every((i) => /^FIN\d{4}$/.test(i.check_name))).toBe(true);
  });
});
