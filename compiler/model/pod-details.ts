import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { Migration } from "./platform-model.js";

/**
 * Pod details a workload may add (`init`, `env … from pod.*`, `ephemeral-storage`, `labels`,
 * `annotations`, `drain`): plain data the Kubernetes emitter applies to the pod template
 * (emit/kubernetes/pod-details.ts).
 */

/** `env NAME from <source>`: what the downward API fills the variable with. */
export const DOWNWARD_FIELDS = {
  "pod.name": "metadata.name",
  "pod.namespace": "metadata.namespace",
  "pod.uid": "metadata.uid",
  "pod.ip": "status.podIP",
  "pod.service-account": "spec.serviceAccountName",
  "node.name": "spec.nodeName",
  "node.ip": "status.hostIP",
} as const;

/** Resource sources (resourceFieldRef of the app container): cpu in whole cores rounded up, memory and storage in bytes. */
export const DOWNWARD_RESOURCES = ["requests.cpu", "limits.cpu", "requests.memory", "limits.memory", "requests.ephemeral-storage", "limits.ephemeral-storage"] as const;

export type DownwardSource = keyof typeof DOWNWARD_FIELDS | (typeof DOWNWARD_RESOURCES)[number];
export const DOWNWARD_SOURCES: readonly DownwardSource[] = [...(Object.keys(DOWNWARD_FIELDS) as (keyof typeof DOWNWARD_FIELDS)[]), ...DOWNWARD_RESOURCES];

export interface DownwardEnv {
  readonly env: string;
  readonly source: DownwardSource;
  readonly origin: SourceRange;
}

export interface PodDetails {
  /** `init "<image>" run "<cmd>"`: init containers after `migrate`, in the order written. */
  readonly inits?: readonly Migration[];
  readonly downwardEnv?: readonly DownwardEnv[];
  /** `ephemeral-storage 1Gi to 2Gi`, bytes. */
  readonly ephemeralStorage?: { readonly request: number; readonly limit: number };
  readonly userLabels?: Readonly<Record<string, string>>;
  readonly userAnnotations?: Readonly<Record<string, string>>;
  /** Seconds the app container sleeps in preStop before SIGTERM (`drain`, or the default for exposed services). */
  readonly drainSeconds?: number;
}

/**
 * A service behind the ingress gateway or a cloud load balancer keeps serving this long after
 * it is told to stop: the endpoint removal takes a few seconds to reach every gateway proxy and
 * balancer target group, and requests still routed to a stopped pod would fail.
 */
export const DEFAULT_EXPOSED_DRAIN_SECONDS = 5;

export interface KeyValueRead {
  readonly key: string;
  readonly value: string;
  readonly range: SourceRange;
}

const lastWins = (entries: readonly KeyValueRead[]): Record<string, string> | undefined =>
  entries.length ? Object.fromEntries(entries.map((e) => [e.key, e.value])) : undefined;

/** The workload's pod details; `exposed`: it serves traffic from the gateway or a load balancer (a default drain). */
export function lowerPodDetails(v: FieldValues, exposed: boolean, graceSeconds: number): PodDetails {
  const inits = v.all<Migration[]>("init").flat();
  const byEnv = new Map<string, DownwardEnv>();
  for (const e of v.all<DownwardEnv[]>("env").flat()) byEnv.set(e.env, e);
  const storage = v.get<{ request: number; limit: number }>("ephemeral-storage");
  const labels = lastWins(v.all<KeyValueRead[]>("labels").flat());
  const annotations = lastWins(v.all<KeyValueRead[]>("annotations").flat());
  const drainMs = v.get<number>("drain");
  const drain = drainMs !== undefined ? Math.ceil(drainMs / 1000) : exposed && graceSeconds > DEFAULT_EXPOSED_DRAIN_SECONDS ? DEFAULT_EXPOSED_DRAIN_SECONDS : undefined;
  return {
    ...(inits.length ? { inits } : {}),
    ...(byEnv.size ? { downwardEnv: [...byEnv.values()] } : {}),
    ...(storage ? { ephemeralStorage: { request: storage.request, limit: storage.limit } } : {}),
    ...(labels ? { userLabels: labels } : {}),
    ...(annotations ? { userAnnotations: annotations } : {}),
    ...(drain ? { drainSeconds: drain } : {}),
  };
}
