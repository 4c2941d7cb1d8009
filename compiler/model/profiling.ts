import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import { isProduction } from "./environment-kind.js";
import type { PlatformModel, ServiceModel } from "./platform-model.js";

/**
 * Continuous profiling (mission area 13): `profiling parca|pyroscope [namespace <ns>]` on the
 * platform names the profiler and the namespace it scrapes from; `profile pprof on 6060` on a
 * workload opens a container port `pprof` to that namespace alone (never a Service port, so no
 * gateway route or caller reaches it) and annotates the pods for the profiler's discovery.
 * Off in production environments unless the `in` list names them or the environment's own block sets it.
 */

export type Profiler = "parca" | "pyroscope";

export interface PlatformProfiling {
  readonly profiling?: { readonly profiler: Profiler; readonly namespace: string; readonly origin: SourceRange };
}

/** The profiler's own namespace by default: the name its upstream chart installs into in the documentation. */
export const DEFAULT_PROFILING_NAMESPACE: Readonly<Record<Profiler, string>> = { parca: "parca", pyroscope: "pyroscope" };

/** The container port's name (the Parca annotation names it; probes and policies never use it). */
export const PPROF_PORT_NAME = "pprof";

export interface ProfileRead {
  readonly port: number;
  readonly portRange: SourceRange;
  /** `in dev staging`: exactly these environments; absent: every environment but production. */
  readonly environments?: readonly { readonly name: string; readonly range: SourceRange }[];
  readonly range: SourceRange;
}

export interface ServiceProfiling {
  /** `profile pprof on <port> [in <env> …]` as written; whether it is on here: activeProfile. */
  readonly profile?: ProfileRead & {
    /** Written in this environment's own block (`environment prod { api.profile pprof on 6060 }`): asked for there. */
    readonly setByEnvironment?: boolean;
  };
}

export function lowerPlatformProfiling(v: FieldValues): PlatformProfiling {
  const p = v.get<{ profiler: Profiler; namespace?: string; range: SourceRange }>("profiling");
  if (!p) return {};
  return { profiling: { profiler: p.profiler, namespace: p.namespace ?? DEFAULT_PROFILING_NAMESPACE[p.profiler], origin: p.range } };
}

/** `profile none` (e.g. in an environment) is read as undefined: no profile. */
export function lowerProfiling(v: FieldValues): ServiceProfiling {
  const p = v.get<ProfileRead | "none">("profile");
  if (!p || p === "none") return {};
  return { profile: v.layers["profile"]?.layer === "environment" ? { ...p, setByEnvironment: true } : p };
}

/**
 * Is the profile on in this model's environment? As `in` names, else everywhere but production;
 * a profile written in the environment's own block is asked for there, production included.
 */
export function profileOn(environment: string, p: ProfileRead & { readonly setByEnvironment?: boolean }): boolean {
  if (p.environments) return p.environments.some((e) => e.name === environment);
  return p.setByEnvironment === true || !isProduction(environment);
}

/** The workload's pprof port and the profiler allowed to reach it, when profiling is on here. */
export function activeProfile(model: PlatformModel, s: ServiceModel): { port: number; profiler: Profiler; namespace: string; origin: SourceRange } | undefined {
  const p = s.profile;
  const platform = model.platform.profiling;
  if (!p || !platform || !profileOn(model.environment, p)) return undefined;
  return { port: p.port, profiler: platform.profiler, namespace: platform.namespace, origin: p.range };
}
