import type { FieldValues } from "../semantic/read-fields.js";
import type { MonitoringRead, ReceiverRead, SloRead } from "../semantic/schema/observability-fields.js";
import { managedCollector } from "./cloud-monitoring.js";
import { DEFAULT_MONITORING, percentileOf, type AlertReceiver, type LoggingProvider, type PlatformObservability, type ServiceObservability } from "./observability-model.js";

/** Platform observability fields → model (spread into lowerPlatform). */
export function lowerPlatformObservability(v: FieldValues): PlatformObservability {
  const m = v.get<MonitoringRead | { provider: "none" }>("monitoring");
  const receivers = v.get<ReceiverRead[]>("alerting") ?? [];
  const logging = v.get<LoggingProvider | "none">("logging");
  const release = (m?.provider !== "none" ? m?.release : undefined) ?? DEFAULT_MONITORING.release;
  return {
    ...(m && m.provider !== "none"
      ? {
          monitoring: {
            provider: m.provider,
            namespace: managedCollector(m.provider)?.namespace ?? m.namespace ?? DEFAULT_MONITORING.namespace,
            release,
            serviceAccount: managedCollector(m.provider)?.serviceAccount ?? `${release}-prometheus`,
            ...(m.workspace ? { workspace: m.workspace } : {}),
            providerRange: m.providerRange,
            intervalSeconds: m.intervalMs !== undefined ? Math.max(1, Math.round(m.intervalMs / 1000)) : DEFAULT_MONITORING.intervalSeconds,
            ...(m.runbooks ? { runbooks: m.runbooks } : {}),
          },
        }
      : {}),
    ...(receivers.length
      ? {
          alerting: {
            receivers: receivers.map((r): AlertReceiver => {
              const cred = { store: r.store.name, path: r.path, key: r.key, storeRange: r.store.range };
              return r.kind === "slack" ? { kind: "slack", channel: r.channel, webhook: cred } : { kind: "pagerduty", routingKey: cred };
            }),
          },
        }
      : {}),
    ...(logging && logging !== "none" ? { logging } : {}),
  };
}

/** `slo` → the service's objectives; invalid parts (reported by check-observability.ts) are left out. */
export function lowerServiceObservability(v: FieldValues): ServiceObservability {
  const s = v.get<SloRead>("slo");
  if (!s) return {};
  const availability = s.availability && s.availability.percent > 0 && s.availability.percent < 100 ? s.availability.percent : undefined;
  const percentile = s.latency ? percentileOf(s.latency.percentile) : undefined;
  const latency = s.latency && percentile !== undefined && percentile >= 50 && percentile <= 99.9 ? { percentile, thresholdMs: s.latency.thresholdMs } : undefined;
  const days = s.window ? s.window.ms / 86_400_000 : 30;
  if (availability === undefined && !latency) return {};
  return { slo: { ...(availability !== undefined ? { availability } : {}), ...(latency ? { latency } : {}), windowDays: [7, 28, 30].includes(days) ? days : 30 } };
}
