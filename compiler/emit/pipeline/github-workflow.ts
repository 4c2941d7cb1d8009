import type { PlatformModel } from "../../model/platform-model.js";
import type { PipelineModel } from "../../model/pipeline-model.js";
import { deploySteps, proposeScript, type DeployTarget, type Step } from "./promotion-steps.js";

/**
 * Third-party actions and tools, pinned by version tag: a tag can be moved, a commit SHA
 * cannot. Pinning each by full SHA (and letting Dependabot bump them) is the next step; this
 * workplace cannot look the SHAs up.
 */
export const ACTIONS = {
  checkout: "actions/checkout@v4",
  setupNode: "actions/setup-node@v4",
  setupGo: "actions/setup-go@v5",
  uploadSarif: "github/codeql-action/upload-sarif@v3",
  trivy: "aquasecurity/trivy-action@0.28.0",
} as const;
/** Installed with `go install` (checksum-verified by the Go module proxy's sum database). */
export const TOOLS = {
  kubeconform: "github.com/yannh/kubeconform/cmd/kubeconform@v0.7.0",
  gitleaks: "github.com/zricethezav/gitleaks/v8@v8.28.0",
} as const;

/** The JSON Schema of the CRDs kubeconform does not ship, from the community catalog. */
const CRD_SCHEMAS = "https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json";

const checkout = (extra: Record<string, unknown> = {}): Step => ({ uses: ACTIONS.checkout, with: { "persist-credentials": false, ...extra } });
/** finc comes from the repository's own package-lock (a devDependency), not from whatever npx would fetch. */
const node: Step[] = [
  { uses: ACTIONS.setupNode, with: { "node-version": 20, cache: "npm" } },
  { name: "Install finc (package-lock)", run: "npm ci" },
];
const go: Step = { uses: ACTIONS.setupGo, with: { "go-version": "stable", cache: false } };
const READ = { contents: "read" } as const;
const RUNNER = "ubuntu-latest";

export interface WorkflowInput {
  readonly platform: string;
  readonly pipeline: PipelineModel;
  /** Every environment of the spec (all are built and validated). */
  readonly environments: readonly string[];
  /** The model of the first environment: platform facts (delivery, Kubernetes version). */
  readonly model: PlatformModel;
  readonly images: readonly string[];
  /** Per promoted environment, its outputs: one, or one per cluster of a multi-cluster environment. */
  readonly targets: ReadonlyMap<string, readonly DeployTarget[]>;
}

/**
 * Once `from` is deployed: a pull request that gives `to` the images `from` now runs. The only
 * job that writes (a branch and a pull request). A pull request opened with the workflow's own
 * token starts no workflow run (GitHub's rule against loops): use a GitHub App's token as
 * FINC_PR_TOKEN for its checks to run; without it the job falls back to the workflow token.
 */
function proposeJob(after: string, from: string, to: string): Record<string, unknown> {
  return {
    name: `Propose ${from}'s images for ${to}`,
    "runs-on": RUNNER,
    needs: [after],
    if: "github.event_name == 'push' && github.ref == 'refs/heads/main'",
    permissions: { contents: "write", "pull-requests": "write" },
    steps: [
      checkout({ "persist-credentials": true }),
      ...node,
      {
        name: `finc promote --from ${from} --to ${to}, as a pull request`,
        env: { GH_TOKEN: "${{ secrets.FINC_PR_TOKEN || github.token }}" },
        run: [
          ...proposeScript(from, to, "${GITHUB_SHA::12}"),
          'git push origin "$branch"',
          `gh pr create --base main --head "$branch" --title "Promote ${from}'s images to ${to}" --body-file "\${TMPDIR:-/tmp}/finc-promotion.txt"`,
        ].join("\n") + "\n",
      },
    ],
  };
}

/** The directory `finc build --out` writes: `delivery`'s path (what Argo CD or Flux pulls), else `out`. */
export const outputDir = (model: PlatformModel): string => model.platform.delivery?.path || "out";

/**
 * The GitHub Actions workflow: check (SARIF to code scanning) → build, output up to date and
 * kubeconform; secret scan; Trivy per image → on main only, one promotion job per environment,
 * each after the previous one. Every job gets only the permissions it uses.
 */
export function githubWorkflow(w: WorkflowInput): Record<string, unknown> {
  const out = outputDir(w.model);
  const kube = `${w.model.platform.kubernetes.split(".").slice(0, 2).join(".")}.0`;
  const jobs: Record<string, unknown> = {
    check: {
      name: "finc check (code scanning)",
      "runs-on": RUNNER,
      permissions: { contents: "read", "security-events": "write" },
      steps: [
        checkout(),
        ...node,
        { name: "finc check", run: 'npx finc check --format sarif "$FINC_SPEC" > finc.sarif' },
        // Uploaded when the check fails too: the findings are the point.
        { name: "Upload to code scanning", if: "always() && hashFiles('finc.sarif') != ''", uses: ACTIONS.uploadSarif, with: { sarif_file: "finc.sarif", category: "finc" } },
      ],
    },
    build: {
      name: "finc build, up to date, kubeconform",
      "runs-on": RUNNER,
      needs: ["check"],
      permissions: READ,
      steps: [
        checkout(),
        ...node,
        { name: "finc build", run: 'npx finc build "$FINC_SPEC" --out "$FINC_OUT"' },
        // New files count too (intent-to-add), so an output nobody committed fails the same way.
        { name: "The committed output is what the spec builds", run: 'git add --intent-to-add -- "$FINC_OUT" && git diff --exit-code --stat -- "$FINC_OUT"' },
        go,
        { name: "Install kubeconform", run: `go install ${TOOLS.kubeconform}` },
        {
          name: "kubeconform",
          run: `"$(go env GOPATH)/bin/kubeconform" -strict -summary -kubernetes-version ${kube} -schema-location default -schema-location '${CRD_SCHEMAS}' ${w.environments.map((e) => `"$FINC_OUT/${e}"`).join(" ")}`,
        },
      ],
    },
    "secret-scan": {
      name: "Secret scan (gitleaks)",
      "runs-on": RUNNER,
      permissions: READ,
      steps: [
        checkout({ "fetch-depth": 0 }),
        go,
        { name: "Install gitleaks", run: `go install ${TOOLS.gitleaks}` },
        { name: "gitleaks (the whole history)", run: '"$(go env GOPATH)/bin/gitleaks" git --redact --exit-code 1 .' },
      ],
    },
  };
  const gates = ["build", "secret-scan"];
  if (w.images.length) {
    jobs["images"] = {
      name: "Trivy ${{ matrix.image }}",
      "runs-on": RUNNER,
      permissions: READ,
      strategy: { "fail-fast": false, matrix: { image: [...w.images] } },
      steps: [
        {
          uses: ACTIONS.trivy,
          // A private registry: its pull credentials as the repository secrets REGISTRY_USERNAME / REGISTRY_PASSWORD.
          env: { TRIVY_USERNAME: "${{ secrets.REGISTRY_USERNAME }}", TRIVY_PASSWORD: "${{ secrets.REGISTRY_PASSWORD }}" },
          with: { "image-ref": "${{ matrix.image }}", severity: "CRITICAL,HIGH", "ignore-unfixed": true, "exit-code": "1", format: "table" },
        },
      ],
    };
    gates.push("images");
  }
  let previous: string[] = gates;
  w.pipeline.promote.forEach((environment, i) => {
    const id = `promote-${environment}`;
    jobs[id] = {
      name: `Promote to ${environment}`,
      "runs-on": RUNNER,
      needs: previous,
      if: "github.event_name == 'push' && github.ref == 'refs/heads/main'",
      // Protection rules of the GitHub environment (required reviewers for production) hold the job until approved.
      environment: environment,
      concurrency: { group: `finc-promote-${environment}`, "cancel-in-progress": false },
      permissions: READ,
      steps: [checkout(), ...deploySteps(w.platform, environment, "$FINC_OUT", w.model.platform.delivery, w.targets.get(environment))],
    };
    const next = w.pipeline.promote[i + 1];
    if (next) jobs[`propose-${next}`] = proposeJob(id, environment, next);
    previous = [id];
  });
  return {
    name: `finc ${w.platform}`,
    on: { pull_request: { branches: ["main"] }, push: { branches: ["main"] } },
    // Nothing by default: each job asks for what it uses.
    permissions: {},
    env: { FINC_SPEC: w.pipeline.spec, FINC_OUT: out },
    jobs,
  };
}
