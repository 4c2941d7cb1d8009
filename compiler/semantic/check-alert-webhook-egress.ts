import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * Alertmanager posts to the receivers' endpoints from the monitoring namespace. finc writes nothing
 * there (the install assumption "Alertmanager webhooks" says what it must let out), unless the spec
 * declares that namespace itself: then finc's default-deny NetworkPolicies isolate it, and nothing
 * lets Alertmanager reach the webhooks (or Prometheus its targets) — FIN4059. `alerting` takes no
 * URL (the Slack webhook comes from the secret store, PagerDuty's endpoint is fixed), so there is
 * no address in the spec to check.
 */
export function checkAlertWebhookEgress(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  const m = p.monitoring;
  const receivers = p.alerting?.receivers ?? [];
  if (m?.provider !== "prometheus" || !receivers.length) return;
  const ns = model.namespaces.find((n) => n.name === m.namespace);
  if (!ns) return;
  const hosts = [...new Set(receivers.map((r) => (r.kind === "slack" ? "hooks.slack.com:443" : "events.pagerduty.com:443")))].sort().reverse();
  report(diag("FIN4059", p.fields["monitoring"] ?? p.origin, {
    message: `Prometheus and Alertmanager run in namespace '${m.namespace}', which this spec declares: finc isolates it with default-deny NetworkPolicies, so Alertmanager cannot reach ${hosts.join(" or ")} (and Prometheus cannot reach its targets).`,
    hint: "Run the monitoring stack in a namespace of its own (`monitoring prometheus namespace monitoring`), not one of the platform's.",
  }, { related: [{ message: `'${m.namespace}' is declared here`, range: ns.origin }] }));
}
