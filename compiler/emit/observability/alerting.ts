import type { AlertReceiver, MonitoringModel } from "../../model/observability-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { metadata } from "../kubernetes/labels.js";
import { externalSecret } from "../kubernetes/secrets.js";
import { document, type EmittedDocument } from "../output.js";
import { monitoringLabels } from "./scrape.js";

/** The Secret (synced by ESO from the store) holding one receiver's credential, and its key. */
function credentialSecret(r: AlertReceiver): { name: string; key: string } {
  return r.kind === "slack" ? { name: "alerting-slack", key: "webhook-url" } : { name: "alerting-pagerduty", key: "routing-key" };
}

export const SLACK_TITLE = '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.namespace }})';
export const SLACK_TEXT = "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n{{ if .Annotations.runbook_url }}Runbook: {{ .Annotations.runbook_url }}{{ else }}{{ .Annotations.runbook }}{{ end }}\n{{ end }}";

function receiver(r: AlertReceiver): Record<string, unknown> {
  const secret = credentialSecret(r);
  if (r.kind === "slack")
    return { name: "slack", slackConfigs: [{ apiURL: { name: secret.name, key: secret.key }, channel: r.channel, sendResolved: true, title: SLACK_TITLE, text: SLACK_TEXT }] };
  return {
    name: "pagerduty",
    pagerdutyConfigs: [{ routingKey: { name: secret.name, key: secret.key }, sendResolved: true, severity: "{{ .CommonLabels.severity }}", description: "{{ .CommonAnnotations.summary }}" }],
  };
}

/**
 * `alerting …` on the platform: in every namespace whose services have SLOs, an
 * AlertmanagerConfig (the operator scopes it to alerts from that namespace) that pages on
 * `severity: critical` and tickets `severity: warning`, and one ExternalSecret per receiver
 * for its webhook URL or routing key — no credential is ever written to the output.
 */
export function alertingDocuments(model: PlatformModel, m: MonitoringModel, namespace: string): EmittedDocument[] {
  const a = model.platform.alerting;
  if (!a?.receivers.length) return [];
  const origin = model.platform.fields["alerting"] ?? model.platform.origin;
  const slack = a.receivers.find((r) => r.kind === "slack");
  const pagerduty = a.receivers.find((r) => r.kind === "pagerduty");
  const receivers = [slack, pagerduty].filter((r): r is AlertReceiver => !!r);
  const docs: EmittedDocument[] = receivers.map((r) => {
    const secret = credentialSecret(r);
    const cred = r.kind === "slack" ? r.webhook : r.routingKey;
    return document(`${namespace}/externalsecret-${secret.name}.yaml`,
      externalSecret(model, namespace, secret.name, "alerting", [{ secretKey: secret.key, store: cred.store, path: cred.path, property: cred.key }]), origin);
  });
  const severity = (value: string) => [{ name: "severity", value, matchType: "=" }];
  // Pages go to PagerDuty and, for the channel's context, to Slack too; tickets go to Slack.
  // With one receiver everything goes there (PagerDuty gets tickets as low-urgency events).
  const routes = slack && pagerduty ? [{ receiver: "pagerduty", matchers: severity("critical"), continue: true }, { receiver: "slack", matchers: [{ name: "severity", value: "critical|warning", matchType: "=~" }] }] : [];
  docs.push(document(`${namespace}/alertmanagerconfig-${model.platform.name}.yaml`, {
    apiVersion: "monitoring.coreos.com/v1alpha1",
    kind: "AlertmanagerConfig",
    metadata: metadata(model.platform.name, namespace, monitoringLabels(model, m, model.platform.name, "alerting")),
    spec: {
      route: {
        receiver: (slack ?? pagerduty)!.kind,
        groupBy: ["alertname", "namespace", "service", "slo"],
        groupWait: "30s",
        groupInterval: "5m",
        repeatInterval: "4h",
        ...(routes.length ? { routes } : {}),
      },
      receivers: receivers.map(receiver),
      // A page silences the ticket for the same SLO while it fires.
      inhibitRules: [{ sourceMatch: severity("critical"), targetMatch: severity("warning"), equal: ["namespace", "service", "slo"] }],
    },
  }, origin, { "/spec/receivers": origin }));
  return docs;
}
