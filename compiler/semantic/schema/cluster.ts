import { eachTerm, single } from "../readers.js";
import { wordList } from "./common-fields.js";
import { field, type KindSpec } from "./field-spec.js";
import { clusterClientIdsField } from "./cluster-client-ids.js";

/** A cluster's part in its environments (model/cluster-topology.ts says what each runs). */
export const CLUSTER_ROLES = ["primary", "standby", "active"] as const;

/** Route 53 health check IDs are UUIDs. */
const HEALTH_CHECK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `cluster eu-west { region eu-west-1  role primary }`: one Kubernetes cluster of the platform.
 * An environment that spans two or more clusters is built once per cluster (`<env>-<cluster>/`).
 */
export const clusterSpec: KindSpec = {
  doc: "One Kubernetes cluster of the platform, in one of its `regions`, with its role. An environment on two or more clusters (each cluster's `environments`, default all) is built once per cluster into `<env>-<cluster>/`: the primary runs every workload and each database's CloudNativePG primary; a standby runs the services at their minimum replicas (autoscaling up as DNS fails traffic over), no workers, jobs or cron jobs, and each database as a promotable replica cluster that recovers from the primary's backups copied into its region (`backup` + `replicate to <its region>`). external-dns publishes the exposed hosts as Route 53 failover records (primary PRIMARY, standby SECONDARY). With `role active` on every cluster of an environment, each serves traffic (Route 53 latency records), the databases' primaries run in the first one and read-only replica clusters in the others (services there may only read: FIN4101).",
  required: ["region", "role"],
  fields: {
    region: field({
      doc: "The cloud region the cluster runs in: one of the platform's `regions` (FIN4080). Its objects are pinned there (`topology.kubernetes.io/region`), its cloud resources (Terraform) created there.",
      syntax: "<region>",
      example: "eu-west-1",
      read: (ctx) => single(ctx, (r) => r.word("a region such as eu-west-1")),
    }),
    role: field({
      doc: "`primary` (exactly one per environment, FIN4081): runs every workload and the databases' primaries, DNS PRIMARY. `standby`: warm standby — services at their minimum replicas, databases as replica clusters (read-only until promoted), DNS SECONDARY; failing over is promoting its replica clusters (`replica.enabled: false`), then making it the `primary` and rebuilding. `active` (on every cluster of the environment, never mixed with primary or standby, FIN4081): every cluster runs the services and serves traffic through Route 53 latency records (`set-identifier`, `aws-region`); the first active cluster also runs the workers, jobs, cron jobs and each database's primary, the others a read-only replica cluster of each database, so their services may read a database (`read-url`, `read-host`) but not write it (FIN4101).",
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
    "health-check": field({
      doc: "The Route 53 health check the `terraform` target created for this cluster (a `CALCULATED` check, healthy while every exposed host's check is): Route 53 picks a health check's ID when it creates it, so the Kubernetes output can only point external-dns at it (`external-dns.alpha.kubernetes.io/aws-health-check-id` on the cluster's Gateway) once it is known: apply the cluster's terraform root, then paste its output `health_check_field` here (`\"<id>\" in <environment>`: each environment on several clusters has its own root and checks; without `in` the ID serves every environment of the cluster). Until then the records follow the load balancer's target health only. Each host's check GETs its service's readiness (or smoke-test) path through this cluster's gateway at `<cluster>.<host>`, HTTP on port 80; one finc cannot attach, or a host it cannot check, is FIN4102.",
      syntax: '"<health check id>" [in <environment>], …',
      example: '"0e5a9b0c-6f0d-4c1b-9a57-2b1f0c8d9e11" in prod',
      keywords: { '"': ["in"] },
      read: (ctx) => {
        const checks = eachTerm(ctx, (r) => {
          const id = r.string("the health check ID in double quotes");
          if (!id) return undefined;
          if (!HEALTH_CHECK_ID.test(id.value)) return r.mismatch("a Route 53 health check ID (a UUID, from the terraform output `health_check_field`)", r.term.atoms[0]);
          if (!r.accept("in")) return { id: id.value, range: id.range };
          const env = r.word("the environment whose checks the ID is");
          return env ? { id: id.value, range: id.range, environment: env } : undefined;
        });
        return checks.length ? checks : undefined;
      },
    }),
    "client-ids": clusterClientIdsField,
  },
};
