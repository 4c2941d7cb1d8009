import { eachTerm } from "../readers.js";
import { field } from "./field-spec.js";

const SERVICE_ACCOUNT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * `client-ids "<ns>/<sa>" "<uuid>" [in <env>], …` on a `cluster` (azure): each cluster of a
 * multi-cluster environment has a Terraform root, and so managed identities, of its own, so the
 * platform's one `client-ids` cannot serve them all (model/cluster-client-ids.ts resolves them).
 */
export const clusterClientIdsField = field({
  doc: "`cloud azure`, an environment on two or more clusters: the client IDs of the managed identities this cluster's terraform root (`terraform/<env>-<cluster>/`) created, one per Kubernetes ServiceAccount. Each cluster's root creates identities of its own (the standby's replica Cluster, services and SecretStores authenticate with them), so the platform's `client-ids` cannot serve them: apply the cluster's root, then paste its output `client_ids_field` here as it is (`\"<namespace>/<service account>\" \"<client id>\" in <environment>`; without `in` the ID serves every environment of the cluster). The home cluster (the primary, or the first active one) falls back to the platform's `client-ids` for a ServiceAccount it does not list here; the others never do. A ServiceAccount without one is FIN4086.",
  syntax: '"<namespace>/<service account>" "<client id>" [in <environment>], …',
  example: '"payments/api" "3b6e1c1a-2f1e-4f6a-9d8e-1c2b3a4d5e6f" in prod',
  keywords: { '"': ["in"] },
  read: (ctx) => {
    const entries = eachTerm(ctx, (r) => {
      const sa = r.string("the ServiceAccount as \"<namespace>/<name>\"");
      if (!sa) return undefined;
      if (!SERVICE_ACCOUNT.test(sa.value)) return r.mismatch('"<namespace>/<service account>"', r.term.atoms[0]);
      const id = r.string("the client ID in double quotes");
      if (!id) return undefined;
      if (!UUID.test(id.value)) return r.mismatch("a client ID (a UUID, from the terraform output `client_ids_field`)", r.term.atoms[1]);
      const entry = { serviceAccount: sa.value, id: id.value, range: { file: sa.range.file, start: sa.range.start, end: id.range.end } };
      if (!r.accept("in")) return entry;
      const env = r.word("the environment whose terraform root created the identity");
      return env ? { ...entry, environment: env } : undefined;
    });
    return entries.length ? entries : undefined;
  },
});
