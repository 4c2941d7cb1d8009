/**
 * Where the files for a self-managed (onprem) kube-apiserver go: `.finc/control-plane/<env>/<file>`.
 * They are no cluster objects (an audit Policy and an EncryptionConfiguration are flags' files on the
 * control-plane nodes, without metadata.name), so they must not sit in a top-level directory: each of
 * those holds cluster-ready documents that runtime-check and k8s-validate read (test/cli/output-layout.test.ts).
 */
export const CONTROL_PLANE_DIR = ".finc/control-plane";

export function controlPlanePath(environment: string, file: string): string {
  return `${CONTROL_PLANE_DIR}/${environment}/${file}`;
}
