import type { PlatformModel } from "./platform-model.js";

/** Local rate limits in Envoy sidecars: only `mesh istio` in sidecar mode has them (EnvoyFilter is not supported on ambient waypoints). */
export function sidecarRateLimits(model: PlatformModel): boolean {
  return model.platform.mesh === "istio" && model.platform.meshMode !== "ambient";
}
