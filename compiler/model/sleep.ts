import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import { isProduction } from "./environment-kind.js";
import type { PlatformModel, ServiceModel } from "./platform-model.js";
import { workloadKind } from "./workload-kind.js";

/**
 * `sleep nights ["20:00-07:00"] [weekends] [timezone "<IANA zone>"] [in <env> …]` on the platform
 * (with `in dev staging`, or in a non-production environment's block: `environment dev { platform.sleep nights weekends }`):
 * outside working hours every service and worker scales to zero through a KEDA cron trigger
 * (emit/autoscaling/keda.ts). Jobs, cron jobs and databases are left running as they are.
 */
export interface SleepModel {
  /** The nightly window, minutes after midnight: asleep from `from` until `to` the next morning (`from` > `to`). */
  readonly nights?: { readonly from: number; readonly to: number };
  /** Asleep from Saturday 00:00 to Monday 00:00 (then until the morning's `to` with `nights`). */
  readonly weekends: boolean;
  /** IANA zone of the window; default Etc/UTC, as for `scale on cron`. */
  readonly timezone: string;
  /** `in dev staging`: only there (absent: every environment the declaration reaches). */
  readonly environments?: readonly { readonly name: string; readonly range: SourceRange }[];
  readonly origin: SourceRange;
}

export interface PlatformSleep {
  readonly sleep?: SleepModel;
}

/** What the `sleep` field reads (schema/sleep-field.ts); `none` turns an inherited sleep off. */
export type SleepRead = Omit<SleepModel, "origin"> & { readonly range: SourceRange };

export const DEFAULT_NIGHTS = { from: 20 * 60, to: 7 * 60 } as const;
export const DEFAULT_SLEEP_TIMEZONE = "Etc/UTC";

export function lowerPlatformSleep(v: FieldValues): PlatformSleep {
  const s = v.get<SleepRead | "none">("sleep");
  if (!s || s === "none") return {};
  const { range, ...rest } = s;
  return { sleep: { ...rest, origin: range } };
}

/** A KEDA cron window in which the workload is awake (start and end are five-field cron expressions). */
export interface AwakeWindow {
  readonly start: string;
  readonly end: string;
}

const cronAt = (minutes: number, days: string): string => `${minutes % 60} ${Math.floor(minutes / 60)} * * ${days}`;

/**
 * The windows in which the workload runs: KEDA's cron scaler holds `desiredReplicas` between a
 * window's start and its end and reports nothing outside it, so the ScaledObject falls to
 * `minReplicaCount: 0`. Nights and weekends: Monday–Friday from the morning to the evening.
 * Nights only: every day. Weekends only: from Monday 00:00 to Saturday 00:00.
 */
export function awakeWindows(s: SleepModel): AwakeWindow[] {
  const days = s.weekends ? "1-5" : "*";
  if (s.nights) return [{ start: cronAt(s.nights.to, days), end: cronAt(s.nights.from, days) }];
  return [{ start: "0 0 * * 1", end: "0 0 * * 6" }];
}

/**
 * Hours of a 7-day week (168 h) a sleeping workload is down. Nights from F to T (F > T) leave
 * it awake F − T hours a day: 7 days with nights only, the 5 weekdays with weekends too (the
 * weekend and the nights around it are all asleep). Weekends alone: 48 hours.
 */
export function asleepHoursPerWeek(s: SleepModel): number {
  if (!s.nights) return s.weekends ? 48 : 0;
  const awakePerDay = (s.nights.from - s.nights.to) / 60;
  return 168 - awakePerDay * (s.weekends ? 5 : 7);
}

/** The share of a week a sleeping workload runs (and is billed): 1 − asleep / 168. */
export function awakeFraction(s: SleepModel): number {
  return 1 - asleepHoursPerWeek(s) / 168;
}

/** Does the platform's sleep put this workload to sleep? Services and workers, never in production. */
export function sleeps(model: PlatformModel, s: ServiceModel): boolean {
  const kind = workloadKind(s);
  const sleep = model.platform.sleep;
  if (!sleep || isProduction(model.environment) || !(kind === "service" || kind === "worker")) return false;
  return !sleep.environments || sleep.environments.some((e) => e.name === model.environment);
}

/**
 * The model as the emitters see it: each sleeping workload carries `scaling.sleep`, so that a
 * ScaledObject replaces its HPA (rollouts/target.ts kedaScaled) and the cost estimate bills only
 * its awake hours. In production nothing sleeps (FIN4094 refuses it).
 */
export function withSleep(model: PlatformModel): PlatformModel {
  const sleep = model.platform.sleep;
  if (!sleep || !model.services.some((s) => sleeps(model, s))) return model;
  return { ...model, services: model.services.map((s) => (sleeps(model, s) ? { ...s, scaling: { ...s.scaling, sleep } } : s)) };
}
