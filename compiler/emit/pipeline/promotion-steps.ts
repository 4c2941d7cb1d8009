import type { DeliveryModel } from "../../model/delivery-model.js";
import { ARGOCD_NAMESPACE, applicationName } from "../gitops/argocd.js";
import { isProduction } from "../../model/environment-kind.js";
import { FLUX_NAMESPACE } from "../gitops/flux.js";

export type Step = Record<string, unknown>;

/** The environment's kubeconfig, from the GitHub environment's secret `KUBECONFIG`, written where only this job reads it. */
const KUBECONFIG_STEP: Step = {
  name: "Cluster credentials (the environment's KUBECONFIG secret)",
  env: { KUBECONFIG_DATA: "${{ secrets.KUBECONFIG }}" },
  run: 'umask 077\nprintf \'%s\' "$KUBECONFIG_DATA" > "$RUNNER_TEMP/kubeconfig"\necho "KUBECONFIG=$RUNNER_TEMP/kubeconfig" >> "$GITHUB_ENV"\n',
};

/**
 * Where one environment deploys: a single output directory (`<env>/`, the cluster of the current
 * kubeconfig context), or, for an environment on several `cluster`s, one output per cluster
 * (`<env>-<cluster>/`) applied through the kubeconfig context named after that cluster.
 */
export interface DeployTarget {
  readonly output: string;
  readonly context?: string;
}

/**
 * How an approved promotion reaches the environment, as shell lines: without `delivery`, the job
 * applies the committed output itself; with Argo CD or Flux, the controller pulls it and the job
 * only asks it to sync this commit and waits until it has (the approval is the "by hand" of
 * production). `revision` is how the CI system writes the commit in a shell line.
 */
export function deployScript(platform: string, environment: string, outDir: string, delivery: DeliveryModel | undefined, revision: CommitRevision, targets: readonly DeployTarget[] = [{ output: environment }]): string {
  const kubectl = (t: DeployTarget): string => (t.context ? `kubectl --context ${t.context}` : "kubectl");
  if (!delivery) return targets.map((t) => `${kubectl(t)} apply --server-side --field-manager=finc --recursive -f "${outDir}/${t.output}"\n`).join("");
  if (delivery.tool === "argocd") {
    // The Applications live in Argo CD's cluster (the kubeconfig's current context), one per output.
    const sync = (rev: string): string => JSON.stringify({ operation: { initiatedBy: { username: revision.user }, sync: { revision: rev, prune: true } } });
    // A shell variable must be expanded outside the single quotes; a template expression is substituted before the shell runs.
    const patch = revision.shellVariable ? `'${sync("@REV@").replace("@REV@", `'"$${revision.shellVariable}"'`)}'` : `'${sync(revision.expression!)}'`;
    return targets
      .map((t) => {
        const app = applicationName(platform, t.output);
        return (
          `kubectl -n ${ARGOCD_NAMESPACE} patch application ${app} --type merge -p ${patch}\n` +
          `kubectl -n ${ARGOCD_NAMESPACE} wait application/${app} --for=jsonpath='{.status.operationState.phase}'=Succeeded --timeout=15m\n`
        );
      })
      .join("");
  }
  // Flux runs in each cluster: production's Kustomizations stay suspended but for the approved reconcile.
  const production = isProduction(environment);
  // Waiting for Flux to have handled this very request first: Ready may still be the previous reconcile's.
  const lines = ['at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"'].concat(
    targets.flatMap((t) =>
      [`${platform}-${t.output}-cluster`, `${platform}-${t.output}`].flatMap((n) => [
        ...(production ? [`${kubectl(t)} -n ${FLUX_NAMESPACE} patch kustomization ${n} --type merge -p '{"spec":{"suspend":false}}'`] : []),
        `${kubectl(t)} -n ${FLUX_NAMESPACE} annotate --overwrite kustomization ${n} reconcile.fluxcd.io/requestedAt="$at"`,
        `${kubectl(t)} -n ${FLUX_NAMESPACE} wait kustomization/${n} --for=jsonpath='{.status.lastHandledReconcileAt}'="$at" --timeout=15m`,
        `${kubectl(t)} -n ${FLUX_NAMESPACE} wait kustomization/${n} --for=condition=Ready --timeout=15m`,
        ...(production ? [`${kubectl(t)} -n ${FLUX_NAMESPACE} patch kustomization ${n} --type merge -p '{"spec":{"suspend":true}}'`] : []),
      ]),
    ),
  );
  return lines.join("\n") + "\n";
}

/** The commit being promoted: a CI template expression (GitHub `${{ github.sha }}`) or a shell variable (GitLab `CI_COMMIT_SHA`). */
export interface CommitRevision {
  readonly expression?: string;
  readonly shellVariable?: string;
  /** Who Argo CD records as having started the sync. */
  readonly user: string;
}

const GITHUB_REVISION: CommitRevision = { expression: "${{ github.sha }}", user: "github-actions" };

/** The GitHub Actions steps of a promotion: the environment's kubeconfig, then the deploy script. */
export function deploySteps(platform: string, environment: string, outDir: string, delivery: DeliveryModel | undefined, targets?: readonly DeployTarget[]): Step[] {
  const name = !delivery ? `Apply ${environment}` : delivery.tool === "argocd" ? `Sync the Argo CD Application ${applicationName(platform, environment)}` : `Reconcile the Flux Kustomizations of ${environment}`;
  return [KUBECONFIG_STEP, { name, run: deployScript(platform, environment, outDir, delivery, GITHUB_REVISION, targets) }];
}

/**
 * After `from` is deployed, the change that promotes its images to `to`: `finc promote` rewrites
 * the spec, `finc build` the output, and the result goes to a branch for review (the pull or
 * merge request is the CI system's part). Nothing happens when `to` already runs them.
 */
export function proposeScript(from: string, to: string, branchSuffix: string): string[] {
  // Outside the repository: with spec "." a file in the checkout would be committed too.
  const message = '"${TMPDIR:-/tmp}/finc-promotion.txt"';
  return [
    `echo "Promote ${from}'s images to ${to}" > ${message} && echo >> ${message}`,
    `npx finc promote "$FINC_SPEC" --from ${from} --to ${to} >> ${message}`,
    'npx finc build "$FINC_SPEC" --out "$FINC_OUT"',
    `if git diff --quiet -- "$FINC_SPEC" "$FINC_OUT"; then echo "${to} already runs ${from}'s images"; exit 0; fi`,
    `branch="finc/promote-${to}-${branchSuffix}"`,
    'git switch -c "$branch"',
    'git add -A -- "$FINC_SPEC" "$FINC_OUT"',
    `git -c user.name="finc" -c user.email="finc@users.noreply.localhost" commit -q -F ${message}`,
  ];
}
