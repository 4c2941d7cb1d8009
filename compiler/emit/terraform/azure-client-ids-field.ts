import type { PlatformModel } from "../../model/platform-model.js";

/**
 * The output `client_ids_field` is the line the user pastes back (Azure picks the client IDs). A
 * single cluster's root prints the platform's field; one cluster's root of a multi-cluster
 * environment prints its cluster's, each entry `in <env>` (model/cluster-client-ids.ts), since
 * every cluster's root creates identities of its own.
 */

/** What follows each `"<ns>/<sa>" "<id>"` pair: ` in <env>` in a cluster's root, else nothing. */
export function clientIdsEntrySuffix(model: PlatformModel): string {
  return model.cluster ? ` in ${model.cluster.environment}` : "";
}

/** The output's description: where to paste it. */
export function clientIdsFieldDescription(model: PlatformModel): string {
  const c = model.cluster;
  if (!c) return "Paste into the platform (per environment: `platform.client-ids …`) so that finc annotates the ServiceAccounts with azure.workload.identity/client-id.";
  return `Paste into \`cluster ${c.name} { … }\` (this root's identities federate to cluster ${c.name} only; every cluster of ${c.environment} has its own) so that finc annotates ${c.name}'s ServiceAccounts with azure.workload.identity/client-id.`;
}
