/**
 * What `finc build` emits without `--target`, and what Helm and Kustomize package:
 * istio, ingress, backup and observability emit nothing unless the spec uses a mesh, an
 * ingress, issuers, backups or `monitoring prometheus`; autoscaling and rollouts nothing
 * without `scale`/`right-size` or `rollout`; admission (a ValidatingAdmissionPolicy or the
 * `policy` engine's objects per namespace) always; runtime-security (Falco rules) nothing without
 * `compliance pci-dss`, audit and encryption (control-plane files) nothing but on `cloud onprem`;
 * gitops (a whole-build target: Argo CD's objects) nothing without `delivery`; chaos (Chaos Mesh
 * Schedules) nothing outside the environments `chaos` names; supply-chain (Kyverno image signature
 * verification, and the Trivy Operator's alert rule) nothing without `image-signing` or scanning; scanning (the Trivy
 * Operator's chart values) nothing without `scanning trivy` or `compliance pci-dss`; nodepools (Karpenter NodePools and EC2NodeClasses)
 * nothing without a `nodepool` on `cloud aws`; pipeline (the CI workflow) nothing without `pipeline`;
 * smoke-tests (post-deploy Jobs) nothing without `smoke-test`; drills (restore CronJobs) nothing without `drill`.
 */
export const DEFAULT_TARGETS: readonly string[] = ["kubernetes", "istio", "ingress", "backup", "observability", "autoscaling", "rollouts", "admission", "runtime-security", "audit", "encryption", "gitops", "chaos", "supply-chain", "scanning", "nodepools", "pipeline", "smoke-tests", "drills"];
