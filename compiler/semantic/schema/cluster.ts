import { single } from "../readers.js";
import { wordList } from "./common-fields.js";
import { field, type KindSpec } from "./field-spec.js";

/** A cluster's part in its environments (model/cluster-topology.ts says what each runs). */
export const CLUSTER_ROLES = ["primary", "standby"] as const;

/**
 * `cluster eu-west { region eu-west-1  role primary }`: one Kubernetes cluster of the platform.
 * An environment that spans two or more clusters is built once per cluster (`<env>-<cluster>/`).
 */
export const clusterSpec: KindSpec = {
  doc: "One Kubernetes cluster of the platform, in one of its `regions`, with its role. An environment on two or more clusters (each cluster's `environments`, default all) is built once per cluster into `<env>-<cluster>/`: the primary runs every workload and each database's CloudNativePG primary; a standby runs the services at their minimum replicas (autoscaling up as DNS fails traffic over), no workers, jobs or cron jobs, and each database as a promotable replica cluster that recovers from the primary's backups copied into its region (`backup` + `replicate to <its region>`). external-dns publishes the exposed hosts as Route 53 failover records (primary PRIMARY, standby SECONDARY).",
  required: ["region", "role"],
  fields: {
    region: field({
      doc: "The cloud region the cluster runs in: one of the platform's `regions` (FIN4080). Its objects are pinned there (`topology.kubernetes.io/region`), its cloud resources (Terraform) created there.",
      syntax: "<region>",
      example: "eu-west-1",
      read: (ctx) => single(ctx, (r) => r.word("a region such as eu-west-1")),
    }),
    role: field({
      doc: "`primary` (exactly one per environment, FIN4081): runs every workload and the databases' primaries, DNS PRIMARY. `standby`: warm standby — services at their minimum replicas, databases as replica clusters (read-only until promoted), DNS SECONDARY; failing over is promoting its replica clusters (`replica.enabled: false`), then making it the `primary` and rebuilding.",
      syntax: CLUSTER_ROLES.join(" | "),
      example: "primary",
      values: CLUSTER_ROLES,
      read: (ctx) => single(ctx, (r) => r.oneOf(CLUSTER_ROLES, "cluster role")),
    }),
    environments: field({
      doc: "The environments that run on this cluster (default: every one of the platform's `environments`), e.g. `environments prod` on a standby so that dev and staging stay on the primary alone. An environment on two or more clusters is built once per cluster into `<env>-<cluster>/` (its own Kustomize overlay, Helm values file, Terraform directory, needs file, and an Argo CD Application through one ApplicationSet); on one cluster it is built as before into `<env>/`.",
      syntax: "<environment>, …",
      example: "prod",
      read: (ctx) => wordList(ctx, "an environment name"),
    }),
  },
};
