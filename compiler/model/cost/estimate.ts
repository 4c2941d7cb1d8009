import { primaryRegion } from "../cloud-model.js";
import type { PlatformModel, Resources } from "../platform-model.js";
import { workloadKind, type WorkloadKind } from "../workload-kind.js";
import { asleepHoursPerWeek, awakeFraction } from "../sleep.js";
import { HOURS_PER_MONTH, PRICE_TABLE, type PriceTable, type RegionPrices } from "./prices.js";

/** A monthly amount at the autoscaler's minimum and maximum replicas. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface CostLine {
  readonly name: string;
  readonly namespace: string;
  readonly kind: WorkloadKind | "database";
  /** Replicas (database: instances) at the minimum and the maximum. */
  readonly replicas: Range;
  readonly monthly: Range;
  readonly note?: string;
}

export interface NamespaceCost {
  readonly namespace: string;
  readonly monthly: Range;
  /** `budget … USD/month` of the namespace, when it has one. */
  readonly budget?: number;
}

export interface EnvironmentCost {
  readonly environment: string;
  readonly cloud: string;
  /** The region whose prices were used, and whether the table lacked the platform's own. */
  readonly region: string;
  readonly regionFallback: boolean;
  readonly lines: readonly CostLine[];
  readonly namespaces: readonly NamespaceCost[];
  readonly monthly: Range;
  readonly budget?: number;
}

const GIB = 2 ** 30;

/** 103, 100.5, 91.25: hours without trailing zeros. */
const hours = (h: number): string => String(Math.round(h * 100) / 100);

/** What one replica costs an hour: requested vCPUs and GiB at the region's prices. */
function hourly(r: Resources, p: RegionPrices): number {
  return (r.cpu.request / 1000) * p.cpuHour + (r.memory.request / GIB) * p.gibHour;
}

/**
 * The estimate of `finc cost` for one environment: each workload's requests × replicas (the
 * autoscaler's minimum and maximum) × the cloud's list prices in the platform's primary region,
 * spot workloads at the spot discount, databases' instances plus their volumes; jobs and cron
 * jobs run on demand and are listed at 0. A workload under the platform's `sleep` is billed for its
 * awake share of a 168-hour week only (model/sleep.ts: nights 20:00-07:00 and weekends leave 5 × 13
 * = 65 hours awake, 65/168 of the month). Undefined when the table has no prices for the cloud.
 */
export function estimateCost(model: PlatformModel, table: PriceTable = PRICE_TABLE): EnvironmentCost | undefined {
  const cloud = table.clouds[model.platform.cloud];
  if (!cloud) return undefined;
  const wanted = primaryRegion(model);
  const region = wanted && cloud.regions[wanted] ? wanted : cloud.default;
  const p = cloud.regions[region]!;
  const lines: CostLine[] = [];
  for (const s of model.services) {
    const kind = workloadKind(s);
    if (kind === "job" || kind === "cronjob") {
      lines.push({ name: s.name, namespace: s.namespace, kind, replicas: { min: 0, max: 0 }, monthly: { min: 0, max: 0 }, note: "runs on demand: not estimated" });
      continue;
    }
    const spot = s.scaling?.spot === true;
    const sleep = s.scaling?.sleep;
    const awake = sleep ? awakeFraction(sleep) : 1;
    const perReplica = hourly(s.resources, p) * HOURS_PER_MONTH * (spot ? 1 - p.spotDiscount : 1) * awake;
    const notes = [...(spot ? ["spot"] : []), ...(sleep ? [`sleeps ${hours(asleepHoursPerWeek(sleep))} h/week`] : [])];
    lines.push({ name: s.name, namespace: s.namespace, kind, replicas: { min: s.replicas.min, max: s.replicas.max }, monthly: { min: perReplica * s.replicas.min, max: perReplica * s.replicas.max }, ...(notes.length ? { note: notes.join(", ") } : {}) });
  }
  for (const d of model.databases) {
    const storage = (d.storage.bytes / GIB) * (d.storage.tier === "fast" ? p.storageGibMonth.fast : p.storageGibMonth.standard);
    const perInstance = hourly(d.resources, p) * HOURS_PER_MONTH + storage;
    const monthly = perInstance * d.instances;
    lines.push({ name: d.name, namespace: d.namespace, kind: "database", replicas: { min: d.instances, max: d.instances }, monthly: { min: monthly, max: monthly } });
  }
  lines.sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1));
  const byNamespace = new Map<string, { min: number; max: number }>();
  for (const l of lines) {
    const t = byNamespace.get(l.namespace) ?? { min: 0, max: 0 };
    t.min += l.monthly.min;
    t.max += l.monthly.max;
    byNamespace.set(l.namespace, t);
  }
  const budgets = new Map(model.namespaces.flatMap((n) => (n.budget ? [[n.name, n.budget.amount] as const] : [])));
  const namespaces = [...byNamespace].map(([namespace, monthly]) => ({ namespace, monthly, ...(budgets.has(namespace) ? { budget: budgets.get(namespace)! } : {}) }));
  const monthly = namespaces.reduce((t, n) => ({ min: t.min + n.monthly.min, max: t.max + n.monthly.max }), { min: 0, max: 0 });
  return {
    environment: model.environment,
    cloud: model.platform.cloud,
    region,
    regionFallback: region !== wanted,
    lines,
    namespaces,
    monthly,
    ...(model.platform.budget ? { budget: model.platform.budget.amount } : {}),
  };
}
