import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { ISTIO_LATENCY_BUCKETS_MS, latencyBucketMs, percentileOf } from "../model/observability-model.js";
import type { PlatformModel } from "../model/platform-model.js";
import { formatDuration } from "../model/units.js";
import type { DeclInfo } from "./declarations.js";
import type { FieldValues } from "./read-fields.js";
import type { SloRead } from "./schema/observability-fields.js";

export const SLO_WINDOW_DAYS = [7, 28, 30] as const;

/**
 * The ranges of a service's `slo` (one per environment's values): an availability strictly
 * between 0% and 100% (100% leaves no error budget to alert on), a latency percentile from
 * p50 to p99.9, and a compliance window of 7, 28 or 30 days.
 */
export function checkSlo(d: DeclInfo, v: FieldValues, report: (d: Diagnostic) => void): void {
  const s = v.get<SloRead>("slo");
  if (!s) return;
  if (s.availability && !(s.availability.percent > 0 && s.availability.percent < 100))
    report(diag("FIN3019", s.availability.range, { name: d.name, value: `${s.availability.percent}%` }));
  if (s.latency) {
    const p = percentileOf(s.latency.percentile);
    if (p === undefined || p < 50 || p > 99.9) report(diag("FIN3020", s.latency.percentileRange, { value: s.latency.percentile }));
  }
  if (s.window && !(SLO_WINDOW_DAYS as readonly number[]).includes(s.window.ms / 86_400_000))
    report(diag("FIN3021", s.window.range, { value: formatDays(s.window.ms) }));
}

function formatDays(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : formatDuration(ms);
}

/**
 * Across the platform: SLOs and alert routing need Prometheus; an SLO without the mesh is
 * measured on the service's own metrics, so it needs a `metrics` port; with the mesh a
 * latency threshold between two of Istio's histogram buckets is measured at the lower
 * one. (Alert credentials' stores are resolved with every other store reference, in check.ts.)
 */
export function checkObservability(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  if (!p.monitoring && p.alerting && p.fields["alerting"])
    report(diag("FIN4022", p.fields["alerting"], {
      message: "`alerting` has no effect without `monitoring prometheus` on the platform: nothing raises the alerts it routes.",
      hint: "Add `monitoring prometheus` to the platform.",
    }));
  for (const s of model.services) {
    const range = s.fields["slo"];
    if (!s.slo || !range) continue;
    if (!p.monitoring) {
      report(diag("FIN4022", range, {
        message: `The SLO of '${s.name}' is not monitored: the platform has no \`monitoring prometheus\`, so no rules or alerts are emitted for it.`,
        hint: "Add `monitoring prometheus` to the platform.",
      }));
      continue;
    }
    if (p.mesh !== "istio" && !s.ports.some((x) => x.name === "metrics"))
      report(diag("FIN4022", range, {
        message: `The SLO of '${s.name}' is measured on its own http_requests_total and http_request_duration_seconds (there is no mesh to measure it), but '${s.name}' has no port named \`metrics\` to scrape them from.`,
        hint: "Add a metrics port (`port http 8080, metrics 9102`), or `mesh istio` on the platform.",
      }));
    const l = s.slo.latency;
    if (l && p.mesh === "istio") {
      const bucket = latencyBucketMs(l.thresholdMs);
      if (bucket !== l.thresholdMs)
        report(diag("FIN4023", range, {
          name: s.name,
          threshold: formatDuration(l.thresholdMs),
          bucket: bucket === undefined ? "none" : formatDuration(bucket),
          valid: ISTIO_LATENCY_BUCKETS_MS.filter((b) => b >= 10 && b <= 10_000).map(formatDuration).join(", "),
        }));
    }
  }
}
