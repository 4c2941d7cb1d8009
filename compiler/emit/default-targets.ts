/**
 * What `finc build` emits without `--target`, and what Helm and Kustomize package:
 * istio, ingress and backup emit nothing unless the spec uses a mesh, an ingress,
 * issuers or backups.
 */
export const DEFAULT_TARGETS: readonly string[] = ["kubernetes", "istio", "ingress", "backup"];
