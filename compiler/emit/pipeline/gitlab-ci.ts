import { isProduction } from "../../model/environment-kind.js";
import { outputDir, TOOLS, type WorkflowInput } from "./github-workflow.js";
import { deployScript, proposeScript, type CommitRevision } from "./promotion-steps.js";

/**
 * Container images of the jobs, pinned by version tag (pin each by digest before use: this
 * workplace cannot look digests up). node runs finc from the repository's package-lock; Go
 * installs kubeconform and gitleaks checksum-verified; Trivy scans; kubectl promotes.
 */
export const IMAGES = {
  node: "node:20.19.2-bookworm",
  go: "golang:1.24.4-bookworm",
  trivy: "aquasec/trivy:0.56.2",
  kubectl: "alpine/k8s:1.31.4",
} as const;

const REVISION: CommitRevision = { shellVariable: "CI_COMMIT_SHA", user: "gitlab-ci" };
const ON_DEFAULT_BRANCH = "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH";
const CRD_SCHEMAS = "https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json";

/**
 * The GitLab CI pipeline, the same gates as the GitHub workflow: check (a Code Quality report in
 * the merge request) → build, output up to date, kubeconform; secret scan; Trivy per image → on
 * the default branch only, one promotion job per environment, each after the previous one, in
 * a GitLab environment (protected environments give the approvals; production waits for a
 * person to start it), one at a time per environment (resource_group).
 */
export function gitlabPipeline(w: WorkflowInput): Record<string, unknown> {
  const out = outputDir(w.model);
  const kube = `${w.model.platform.kubernetes.split(".").slice(0, 2).join(".")}.0`;
  const jobs: Record<string, unknown> = {
    "finc-check": {
      stage: "check",
      image: IMAGES.node,
      script: ["npm ci", 'npx finc check --format codequality "$FINC_SPEC" > gl-code-quality-report.json'],
      // Uploaded when the check fails too: the findings are the point.
      artifacts: { when: "always", reports: { codequality: "gl-code-quality-report.json" } },
    },
    "finc-build": {
      stage: "build",
      image: IMAGES.node,
      needs: ["finc-check"],
      script: [
        "npm ci",
        'npx finc build "$FINC_SPEC" --out "$FINC_OUT"',
        // New files count too (intent-to-add), so an output nobody committed fails the same way.
        'git add --intent-to-add -- "$FINC_OUT" && git diff --exit-code --stat -- "$FINC_OUT"',
      ],
      artifacts: { paths: [out], expire_in: "1 week" },
    },
    kubeconform: {
      stage: "build",
      image: IMAGES.go,
      needs: ["finc-build"],
      script: [
        `go install ${TOOLS.kubeconform}`,
        `"$(go env GOPATH)/bin/kubeconform" -strict -summary -kubernetes-version ${kube} -schema-location default -schema-location '${CRD_SCHEMAS}' ${w.environments.map((e) => `"$FINC_OUT/${e}"`).join(" ")}`,
      ],
    },
    "secret-scan": {
      stage: "scan",
      image: IMAGES.go,
      needs: [],
      // The whole history, not a shallow clone.
      variables: { GIT_DEPTH: "0" },
      script: [`go install ${TOOLS.gitleaks}`, '"$(go env GOPATH)/bin/gitleaks" git --redact --exit-code 1 .'],
    },
  };
  const gates = ["kubeconform", "secret-scan"];
  if (w.images.length) {
    jobs["trivy"] = {
      stage: "scan",
      image: { name: IMAGES.trivy, entrypoint: [""] },
      needs: [],
      // A private registry: its pull credentials as the CI/CD variables TRIVY_USERNAME / TRIVY_PASSWORD.
      parallel: { matrix: [{ IMAGE: [...w.images] }] },
      script: ['trivy image --severity CRITICAL,HIGH --ignore-unfixed --exit-code 1 "$IMAGE"'],
    };
    gates.push("trivy");
  }
  let previous: string[] = gates;
  w.pipeline.promote.forEach((environment, i) => {
    const id = `promote-${environment}`;
    jobs[id] = {
      stage: "promote",
      image: { name: IMAGES.kubectl, entrypoint: [""] },
      needs: previous,
      // Production waits for a person (and the protected environment's approval rules); the pipeline stays blocked until then.
      rules: [isProduction(environment) ? { if: ON_DEFAULT_BRANCH, when: "manual" } : { if: ON_DEFAULT_BRANCH }],
      ...(isProduction(environment) ? { allow_failure: false } : {}),
      environment: { name: environment, deployment_tier: tierOf(environment) },
      resource_group: `finc-promote-${environment}`,
      // KUBECONFIG: a file-type CI/CD variable scoped to this environment (GitLab sets it to the file's path).
      script: deployScript(w.platform, environment, "$FINC_OUT", w.model.platform.delivery, REVISION, w.targets.get(environment)).trimEnd().split("\n"),
    };
    const next = w.pipeline.promote[i + 1];
    if (next) jobs[`propose-${next}`] = proposeJob(id, environment, next);
    previous = [id];
  });
  return {
    workflow: { name: `finc ${w.platform}`, rules: [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }, { if: ON_DEFAULT_BRANCH }] },
    stages: ["check", "build", "scan", ...(w.pipeline.promote.length ? ["promote"] : [])],
    variables: { FINC_SPEC: w.pipeline.spec, FINC_OUT: out },
    ...jobs,
  };
}

/**
 * Once `from` is deployed: a merge request that gives `to` the images `from` now runs, opened by
 * git push options. The job token cannot push: FINC_PUSH_TOKEN is a project access token with
 * write_repository (a masked, protected CI/CD variable).
 */
function proposeJob(after: string, from: string, to: string): Record<string, unknown> {
  return {
    stage: "promote",
    image: IMAGES.node,
    needs: [after],
    rules: [{ if: ON_DEFAULT_BRANCH }],
    script: [
      "npm ci",
      ...proposeScript(from, to, "${CI_COMMIT_SHORT_SHA}"),
      `git push -o merge_request.create -o merge_request.target="$CI_DEFAULT_BRANCH" -o merge_request.title="Promote ${from}'s images to ${to}" "https://finc:\${FINC_PUSH_TOKEN}@\${CI_SERVER_HOST}/\${CI_PROJECT_PATH}.git" "$branch"`,
    ],
  };
}

/** GitLab's deployment tiers: production, staging, testing, development, other. */
function tierOf(environment: string): string {
  if (isProduction(environment)) return "production";
  if (/^(staging|stage|preprod|pre-prod|uat)$/.test(environment)) return "staging";
  if (/^(test|testing|qa)$/.test(environment)) return "testing";
  if (/^(dev|development|sandbox)$/.test(environment)) return "development";
  return "other";
}
