import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { DeclInfo } from "../semantic/declarations.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { Ref } from "../semantic/readers.js";
import type { ClusterModel } from "./cluster-topology.js";
import type { PlatformModel } from "./platform-model.js";

/**
 * Azure Workload Identity on a multi-cluster environment: each cluster's Terraform root
 * (`<env>-<cluster>`) creates managed identities of its own, whose client IDs Azure picks, so each
 * cluster's output must annotate its ServiceAccounts with ITS identities' IDs. They come from the
 * cluster's `client-ids "<ns>/<sa>" "<id>" [in <env>]` (schema/cluster-client-ids.ts); the home
 * cluster (it runs what a single cluster ran) also takes the platform's, the others never do:
 * the platform's IDs are the home root's identities, which federate to the home cluster only.
 */

/** One pasted client ID: its ServiceAccount, and the environment whose root created it (absent: every one). */
export interface ClusterClientIdEntry {
  readonly serviceAccount: string;
  readonly id: string;
  readonly range: SourceRange;
  readonly environment?: Ref;
}

declare module "./cluster-topology.js" {
  interface ClusterModel {
    /** `client-ids … [in <env>]` (azure): the managed identities' client IDs this cluster's roots created. */
    readonly clientIds?: readonly ClusterClientIdEntry[];
    /** The declaration's name, where a report about the whole cluster points. */
    readonly nameRange?: SourceRange;
  }
}

/** lowerCluster's part: the cluster's `client-ids` and its name's range. */
export function lowerClusterClientIds(d: DeclInfo, v: FieldValues): Pick<ClusterModel, "clientIds" | "nameRange"> {
  const ids = v.get<ClusterClientIdEntry[]>("client-ids");
  return { nameRange: d.nameRange, ...(ids ? { clientIds: ids } : {}) };
}

/**
 * The client IDs the output of `cluster` in `environment` annotates with: the platform's (home
 * cluster only), overridden by the cluster's entries for every environment, overridden by its
 * entries `in <environment>`. Undefined when there are none (as without `client-ids`).
 */
export function clusterClientIds(platformIds: Readonly<Record<string, string>> | undefined, cluster: ClusterModel, environment: string, home: boolean): Readonly<Record<string, string>> | undefined {
  const own = cluster.clientIds ?? [];
  const ids: Record<string, string> = {
    ...(home ? platformIds : {}),
    ...Object.fromEntries(own.filter((e) => !e.environment).map((e) => [e.serviceAccount, e.id])),
    ...Object.fromEntries(own.filter((e) => e.environment?.name === environment).map((e) => [e.serviceAccount, e.id])),
  };
  return Object.keys(ids).length ? ids : undefined;
}

/** Where this output's `client_ids_field` is pasted, as a hint says it: the platform, or its cluster's declaration. */
export function clientIdsPastePlace(model: PlatformModel): string {
  const c = model.cluster;
  return c ? `\`cluster ${c.name} { … }\` (it prints \`client-ids … in ${c.environment}\`)` : "the platform (per environment: `platform.client-ids …`)";
}

/** Whose `client-ids` this output reads, as a message says it. */
export function clientIdsOwner(model: PlatformModel): string {
  return model.cluster ? `cluster ${model.cluster.name}'s` : "the platform's";
}

/** The platform as one cluster's output sees it: `client-ids` resolved for that cluster (clusterClientIds). */
export function platformForCluster(p: PlatformModel["platform"], cluster: ClusterModel, environment: string, home: boolean): PlatformModel["platform"] {
  const { clientIds, ...rest } = p;
  const ids = clusterClientIds(clientIds, cluster, environment, home);
  return ids ? { ...rest, clientIds: ids } : rest;
}
