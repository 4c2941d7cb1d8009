import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import { single } from "../readers.js";
import { field } from "./field-spec.js";
import { repositoryPathProblem } from "./delivery-field.js";

export const PIPELINE_TOOLS = ["github-actions", "gitlab-ci"] as const;
export type PipelineTool = (typeof PIPELINE_TOOLS)[number];

/** What `pipeline` reads; lowered by model/pipeline-model.ts, the chain checked by semantic/check-pipeline.ts. */
export interface PipelineRead {
  readonly tool: PipelineTool;
  readonly spec?: string;
  readonly promote: readonly { readonly name: string; readonly range: SourceRange }[];
  readonly range: SourceRange;
}

/**
 * `pipeline github-actions|gitlab-ci [spec "<path>"] [promote <env> -> <env> …]`: the CI pipeline that
 * checks, builds, scans and promotes this spec (emit/pipeline).
 */
export const pipelineField = field({
  doc:
    "A generated CI pipeline (mission area 10): `github-actions` writes `.finc/ci/github/finc.yaml`, to copy to `.github/workflows/`; `gitlab-ci` writes `.finc/ci/gitlab/.gitlab-ci.yml`, to copy to the repository root. On pull (merge) requests and pushes to main it runs `finc check` and reports the findings (SARIF to GitHub code scanning; a Code Quality report in GitLab merge requests), `finc build` into `delivery`'s path (else `out`) and fails when the committed output is not what the spec builds, validates the output with kubeconform, scans the repository for secrets (gitleaks) and every image the spec names (Trivy). " +
    "`promote` adds, on pushes to main, one job per environment in order, each in that CI environment (GitHub environment protection rules or GitLab protected environments give the approvals, e.g. required reviewers for production; GitLab's production job also waits to be started by hand) and each waiting for the previous one; production, if promoted, must come last. `spec` is the path of the spec in the repository (default `.`). Actions and images are pinned by version tag: pin them by commit SHA or digest before use.",
  syntax: 'github-actions|gitlab-ci [spec "<path>"] [promote <environment> -> <environment> …]',
  example: 'github-actions spec "platform" promote dev -> staging -> prod',
  values: PIPELINE_TOOLS,
  keywords: { "*": ["spec", "promote"] },
  read: (ctx) =>
    single(ctx, (r): PipelineRead | undefined => {
      const first = r.peek();
      const tool = r.oneOf(PIPELINE_TOOLS, "CI system");
      if (!tool || !first) return undefined;
      let spec: string | undefined;
      const promote: { name: string; range: SourceRange }[] = [];
      for (;;) {
        if (r.accept("spec")) {
          const v = r.string("the path of the spec in the repository");
          if (!v) return undefined;
          const why = v.value === "." ? undefined : repositoryPathProblem(v.value);
          if (why) {
            ctx.report(diag("FIN4071", v.range, { message: `'${v.value}' cannot be the path of the spec in the repository: ${why}.`, hint: 'Write the file or directory `finc check` reads, relative to the repository root, such as "platform".' }));
            return undefined;
          }
          spec = v.value.replace(/\/+$/, "");
        } else if (r.accept("promote")) {
          do {
            const w = r.word("an environment name");
            if (!w) return undefined;
            promote.push({ name: w.name, range: w.range });
          } while (r.acceptOperator("->"));
        } else break;
      }
      return { tool, ...(spec ? { spec } : {}), promote, range: { file: ctx.file, start: first.start, end: ctx.member.end } };
    }),
});
