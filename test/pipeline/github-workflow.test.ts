import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { planImagePromotion } from "../../compiler/promote/promote-images.js";
import { compileSources, platformSpec, REPO } from "../helpers/compile.js";

/** SchemaStore's schema of workflow files (draft-07; vendored, test/schemas/README.md). */
const schema = JSON.parse(readFileSync(join(REPO, "test/schemas/ci/github-workflow.json"), "utf8")) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

const SERVICES = `service api {
  namespace apps
  image     "r.io/api:1.0.0"
  port      http 8080
}
service web {
  namespace apps
  image     "r.io/web:2.0.0"
  port      http 8080
  migrate   "r.io/web-migrate:2.0.0" run "migrate up"
}
environment staging {
  api.image "r.io/api:1.1.0-rc1"
}
`;

type Job = { needs?: string[]; environment?: string; permissions: Record<string, string>; if?: string; steps: { uses?: string; run?: string }[]; strategy?: { matrix: { image: string[] } } };
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; env: Record<string, string>; jobs: Record<string, Job> };

function workflow(platformFields: string): { text: string; wf: Workflow; paths: string[] } {
  const program = compileSources({ "main.fin": platformSpec(platformFields, "dev, staging, prod") + SERVICES });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = buildOutputs(program);
  const file = out.files.find((f) => f.path === ".finc/ci/github/finc.yaml");
  return { text: file?.content ?? "", wf: parseYaml(file?.content ?? "null") as Workflow, paths: out.files.map((f) => f.path) };
}

describe("pipeline github-actions", () => {
  const { text, wf } = workflow('  pipeline github-actions spec "platform" promote dev -> staging -> prod');

  it("validates against SchemaStore's github-workflow.json", () => {
    expect(validate(wf) ? [] : validate.errors).toEqual([]);
  });

  it("the schema is not vacuous: a workflow with an unknown key and a job without runs-on fails", () => {
    expect(validate({ on: "push", jobs: { a: { steps: [] } } })).toBe(false);
    expect(validate({ ...wf, colour: "blue" })).toBe(false);
  });

  it("runs on pull requests and pushes to main, checks, builds and scans; promotes only on main, in order", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["pull_request", "push"]);
    expect(wf.env).toEqual({ FINC_SPEC: "platform", FINC_OUT: "out" });
    expect(Object.keys(wf.jobs)).toEqual(["check", "build", "secret-scan", "images", "promote-dev", "propose-staging", "promote-staging", "propose-prod", "promote-prod"]);
    expect(wf.jobs["promote-dev"]!.needs).toEqual(["build", "secret-scan", "images"]);
    expect(wf.jobs["promote-staging"]!.needs).toEqual(["promote-dev"]);
    expect(wf.jobs["promote-prod"]!.needs).toEqual(["promote-staging"]);
    for (const e of ["dev", "staging", "prod"]) {
      expect(wf.jobs[`promote-${e}`]!.environment).toBe(e);
      expect(wf.jobs[`promote-${e}`]!.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    }
    const runs = (job: string) => wf.jobs[job]!.steps.map((s) => s.run ?? s.uses ?? "");
    expect(runs("check")).toContain('npx finc check --format sarif "$FINC_SPEC" > finc.sarif');
    expect(runs("check").some((r) => r.startsWith("github/codeql-action/upload-sarif@"))).toBe(true);
    expect(runs("build")).toContain('npx finc build "$FINC_SPEC" --out "$FINC_OUT"');
    expect(runs("build").some((r) => r.includes("git diff --exit-code"))).toBe(true);
    expect(runs("build").some((r) => /kubeconform" -strict .*-kubernetes-version 1\.31\.0 .*"\$FINC_OUT\/dev" "\$FINC_OUT\/staging" "\$FINC_OUT\/prod"$/.test(r))).toBe(true);
    expect(runs("secret-scan").some((r) => r.includes("gitleaks\" git --redact --exit-code 1"))).toBe(true);
    // Without `delivery` the approved job applies that environment's output itself.
    expect(runs("promote-prod").some((r) => r.includes('kubectl apply --server-side --field-manager=finc --recursive -f "$FINC_OUT/prod"'))).toBe(true);
  });

  it("scans every image the spec names in any environment, migrations too, once each", () => {
    expect(wf.jobs["images"]!.strategy!.matrix.image).toEqual(["r.io/api:1.0.0", "r.io/api:1.1.0-rc1", "r.io/web-migrate:2.0.0", "r.io/web:2.0.0"]);
    expect(wf.jobs["images"]!.steps[0]!.uses).toMatch(/^aquasecurity\/trivy-action@/);
  });

  it("grants nothing by default and each job only what it uses", () => {
    expect(wf.permissions).toEqual({});
    expect(wf.jobs["check"]!.permissions).toEqual({ contents: "read", "security-events": "write" });
    for (const j of ["build", "secret-scan", "images", "promote-dev", "promote-staging", "promote-prod"]) expect(wf.jobs[j]!.permissions).toEqual({ contents: "read" });
    // Only the jobs that propose the next promotion write: a branch and a pull request.
    for (const j of ["propose-staging", "propose-prod"]) expect(wf.jobs[j]!.permissions).toEqual({ contents: "write", "pull-requests": "write" });
  });

  it("after each deployment but the last, proposes that environment's images for the next one as a pull request", () => {
    expect(wf.jobs["propose-staging"]!.needs).toEqual(["promote-dev"]);
    expect(wf.jobs["propose-prod"]!.needs).toEqual(["promote-staging"]);
    expect(wf.jobs["propose-staging"]!.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    const run = wf.jobs["propose-prod"]!.steps.map((s) => s.run ?? "").join("\n");
    expect(run).toContain('npx finc promote "$FINC_SPEC" --from staging --to prod');
    expect(run).toContain('gh pr create --base main --head "$branch"');
  });

  it("says that the actions are pinned by tag, not SHA", () => {
    expect(text).toMatch(/^# .*pinned by version tag: pin each by its full commit SHA/m);
    const uses = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => !!u));
    expect(uses.every((u) => /@v?\d+(\.\d+)*$/.test(u))).toBe(true);
  });

  it("builds into delivery's path and, with Argo CD, syncs the environment's Application at this commit", () => {
    const { wf: argo } = workflow('  delivery argocd repo "https://git.example.com/p.git" path "deploy"\n  pipeline github-actions promote dev -> prod');
    expect(validate(argo) ? [] : validate.errors).toEqual([]);
    expect(argo.env).toEqual({ FINC_SPEC: ".", FINC_OUT: "deploy" });
    const prod = argo.jobs["promote-prod"]!.steps.map((s) => s.run ?? "").join("\n");
    expect(prod).toContain("kubectl -n argocd patch application p-prod --type merge");
    expect(prod).toContain('"revision":"${{ github.sha }}"');
    expect(prod).not.toContain("kubectl apply");
  });

  it("with Flux, production's Kustomizations are resumed for the approved reconcile and suspended again", () => {
    const { wf: flux } = workflow('  delivery flux repo "https://git.example.com/p.git"\n  pipeline github-actions promote dev -> prod');
    expect(validate(flux) ? [] : validate.errors).toEqual([]);
    const lines = flux.jobs["promote-prod"]!.steps.map((s) => s.run ?? "").join("").split("\n").filter((l) => l.includes("p-prod "));
    expect(lines.map((l) => l.split(" ").slice(3, 5).join(" "))).toEqual(["patch kustomization", "annotate --overwrite", "wait kustomization/p-prod", "wait kustomization/p-prod", "patch kustomization"]);
    expect(flux.jobs["promote-dev"]!.steps.map((s) => s.run ?? "").join("")).not.toContain("suspend");
  });

  it("an environment on two clusters is deployed to each (its output per cluster, through the kubeconfig context named after it), and finc promote accepts its name", () => {
    const dir = join(REPO, "examples/remittance-multi-region");
    const files = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".fin")).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
    const plain = files["platform.fin"]!.replace(/^  delivery .*\n/m, "").replace("  environments dev, prod\n", "  environments dev, prod\n  pipeline     github-actions promote dev -> prod\n");
    expect(plain).toContain("pipeline     github-actions");
    const program = compileSources({ ...files, "platform.fin": plain });
    expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const mc = parseYaml(buildOutputs(program).files.find((f) => f.path === ".finc/ci/github/finc.yaml")!.content) as Workflow;
    expect(validate(mc) ? [] : validate.errors).toEqual([]);
    const prod = mc.jobs["promote-prod"]!.steps.map((s) => s.run ?? "").join("");
    expect(prod.split("\n").filter((l) => l.includes(" apply "))).toEqual([
      'kubectl --context eu-west apply --server-side --field-manager=finc --recursive -f "$FINC_OUT/prod-eu-west"',
      'kubectl --context eu-central apply --server-side --field-manager=finc --recursive -f "$FINC_OUT/prod-eu-central"',
    ]);
    expect(mc.jobs["promote-dev"]!.steps.map((s) => s.run ?? "").join("")).toContain('kubectl apply --server-side --field-manager=finc --recursive -f "$FINC_OUT/dev"');
    expect(planImagePromotion(program, "dev", "prod").changes).toEqual([]);
  });

  it("without promote there are no promotion jobs; without pipeline, no workflow", () => {
    expect(Object.keys(workflow("  pipeline github-actions").wf.jobs)).toEqual(["check", "build", "secret-scan", "images"]);
    expect(workflow("").paths.filter((p) => p.startsWith(".finc/ci/"))).toEqual([]);
  });
});
