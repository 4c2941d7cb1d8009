import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, platformSpec, REPO } from "../helpers/compile.js";

/** GitLab's own schema of .gitlab-ci.yml (draft-07; vendored, test/schemas/README.md). */
const schema = JSON.parse(readFileSync(join(REPO, "test/schemas/ci/gitlab-ci.json"), "utf8")) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

const SERVICES = `service api {
  namespace apps
  image     "r.io/api:1.0.0"
  port      http 8080
}
environment staging {
  api.image "r.io/api:1.1.0-rc1"
}
`;

type Job = { stage: string; image: string | { name: string; entrypoint: string[] }; needs?: string[]; script: string[]; rules?: { if: string; when?: string }[]; environment?: { name: string; deployment_tier: string }; resource_group?: string; allow_failure?: boolean; artifacts?: { when?: string; reports?: Record<string, string>; paths?: string[] }; parallel?: { matrix: { IMAGE: string[] }[] }; variables?: Record<string, string> };
type Pipeline = Record<string, unknown> & { stages: string[]; variables: Record<string, string>; workflow: { rules: { if: string }[] } };

function pipeline(platformFields: string): { text: string; doc: Pipeline; job: (id: string) => Job; paths: string[] } {
  const program = compileSources({ "main.fin": platformSpec(platformFields, "dev, staging, prod") + SERVICES });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = buildOutputs(program);
  const file = out.files.find((f) => f.path === ".finc/ci/gitlab/.gitlab-ci.yml");
  expect(file, out.files.map((f) => f.path).join(", ")).toBeDefined();
  const doc = parseYaml(file!.content) as Pipeline;
  return { text: file!.content, doc, job: (id) => doc[id] as Job, paths: out.files.map((f) => f.path) };
}

const JOBS = (doc: Pipeline) => Object.keys(doc).filter((k) => !["workflow", "stages", "variables"].includes(k));

describe("pipeline gitlab-ci", () => {
  const { text, doc, job, paths } = pipeline('  pipeline gitlab-ci spec "platform" promote dev -> staging -> prod');

  it("validates against GitLab's CI schema, which is not vacuous", () => {
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...doc, build: { stage: "build", script: "x", colour: "blue" } })).toBe(false);
    expect(validate({ ...doc, stages: "build" })).toBe(false);
  });

  it("is written under .finc/ci/ (no Kubernetes object in a top-level directory), and no GitHub workflow", () => {
    expect(paths.filter((p) => p.startsWith(".finc/ci/"))).toEqual([".finc/ci/gitlab/.gitlab-ci.yml"]);
    expect(text).toMatch(/^# Copy to \.gitlab-ci\.yml at the repository root\. Images are pinned by version tag: pin each by digest/m);
  });

  it("runs for merge requests and the default branch, and the same gates as the GitHub workflow", () => {
    expect(doc.workflow.rules.map((r) => r.if)).toEqual(['$CI_PIPELINE_SOURCE == "merge_request_event"', "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"]);
    expect(doc.stages).toEqual(["check", "build", "scan", "promote"]);
    expect(doc.variables).toEqual({ FINC_SPEC: "platform", FINC_OUT: "out" });
    expect(JOBS(doc)).toEqual(["finc-check", "finc-build", "kubeconform", "secret-scan", "trivy", "promote-dev", "propose-staging", "promote-staging", "propose-prod", "promote-prod"]);
    expect(job("finc-check").script).toContain('npx finc check --format codequality "$FINC_SPEC" > gl-code-quality-report.json');
    expect(job("finc-check").artifacts).toEqual({ when: "always", reports: { codequality: "gl-code-quality-report.json" } });
    expect(job("finc-build").script.some((l) => l.includes("git diff --exit-code"))).toBe(true);
    expect(job("kubeconform").script.at(-1)).toMatch(/kubeconform" -strict .*-kubernetes-version 1\.31\.0 .*"\$FINC_OUT\/dev" "\$FINC_OUT\/staging" "\$FINC_OUT\/prod"$/);
    expect(job("secret-scan").variables).toEqual({ GIT_DEPTH: "0" });
    expect(job("trivy").parallel!.matrix[0]!.IMAGE).toEqual(["r.io/api:1.0.0", "r.io/api:1.1.0-rc1"]);
  });

  it("promotes on the default branch only, in order, one environment at a time; production waits for a person", () => {
    expect(job("promote-dev").needs).toEqual(["kubeconform", "secret-scan", "trivy"]);
    expect(job("promote-staging").needs).toEqual(["promote-dev"]);
    expect(job("promote-prod").needs).toEqual(["promote-staging"]);
    expect(job("promote-dev").rules).toEqual([{ if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" }]);
    expect(job("promote-prod").rules).toEqual([{ if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", when: "manual" }]);
    expect(job("promote-prod").allow_failure).toBe(false);
    expect(["dev", "staging", "prod"].map((e) => job(`promote-${e}`).environment)).toEqual([
      { name: "dev", deployment_tier: "development" },
      { name: "staging", deployment_tier: "staging" },
      { name: "prod", deployment_tier: "production" },
    ]);
    expect(job("promote-prod").resource_group).toBe("finc-promote-prod");
    expect(job("promote-prod").script).toEqual(['kubectl apply --server-side --field-manager=finc --recursive -f "$FINC_OUT/prod"']);
  });

  it("after each deployment but the last, proposes its images for the next environment as a merge request (push options)", () => {
    expect(job("propose-staging").needs).toEqual(["promote-dev"]);
    expect(job("propose-staging").rules).toEqual([{ if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" }]);
    expect(job("propose-prod").script).toContain('npx finc promote "$FINC_SPEC" --from staging --to prod >> "${TMPDIR:-/tmp}/finc-promotion.txt"');
    expect(job("propose-prod").script.at(-1)).toMatch(/^git push -o merge_request\.create -o merge_request\.target="\$CI_DEFAULT_BRANCH" .*"\$branch"$/);
  });

  it("with Argo CD, the sync request names this commit once the shell has expanded CI_COMMIT_SHA", () => {
    const argo = pipeline('  delivery argocd repo "https://git.example.com/p.git" path "deploy"\n  pipeline gitlab-ci promote dev -> prod');
    expect(validate(argo.doc) ? [] : validate.errors).toEqual([]);
    const patch = argo.job("promote-prod").script[0]!;
    expect(patch).toMatch(/^kubectl -n argocd patch application p-prod --type merge -p /);
    // Run the line with kubectl replaced by a printer of its last argument: the shell's quoting decides.
    const r = spawnSync("bash", ["-c", `kubectl() { printf '%s' "\${@: -1}"; }; ${patch}`], { encoding: "utf8", env: { ...process.env, CI_COMMIT_SHA: "0123abc" } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ operation: { initiatedBy: { username: "gitlab-ci" }, sync: { revision: "0123abc", prune: true } } });
  });

  it("without promote, no promote stage", () => {
    const plain = pipeline("  pipeline gitlab-ci");
    expect(plain.doc.stages).toEqual(["check", "build", "scan"]);
    expect(JOBS(plain.doc).filter((j) => j.startsWith("promote"))).toEqual([]);
  });
});
