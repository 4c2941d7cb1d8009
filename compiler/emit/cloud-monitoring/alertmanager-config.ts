import type { AlertingModel, AlertReceiver } from "../../model/observability-model.js";
import { SLACK_TEXT, SLACK_TITLE } from "../observability/alerting.js";

/**
 * `alerting …` as a plain Alertmanager configuration (the managed Alertmanagers of GMP and AMP
 * read that format, not the operator's AlertmanagerConfig): the same routes as
 * emit/observability/alerting.ts — pages to PagerDuty and Slack, tickets to Slack, a page
 * silencing the ticket of the same SLO. `external-secret`: the credentials are ESO template
 * placeholders filled from the secret store; `sns`: every receiver publishes to the platform's
 * SNS topic (AMP's Alertmanager reaches nothing else), named by `topicArn`.
 */
export type ReceiverTarget = "external-secret" | { readonly sns: string; readonly region: string };

/** The ESO data keys the placeholders name. */
const SECRET_KEY: Record<AlertReceiver["kind"], string> = { slack: "slack_webhook_url", pagerduty: "pagerduty_routing_key" };

export function alertmanagerConfig(a: AlertingModel, target: ReceiverTarget): Record<string, unknown> {
  const slack = a.receivers.find((r) => r.kind === "slack");
  const pagerduty = a.receivers.find((r) => r.kind === "pagerduty");
  const receivers = [slack, pagerduty].filter((r): r is AlertReceiver => !!r);
  const routes = slack && pagerduty ? [{ receiver: "pagerduty", matchers: ['severity="critical"'], continue: true }, { receiver: "slack", matchers: ['severity=~"critical|warning"'] }] : [];
  return {
    route: {
      receiver: (slack ?? pagerduty)!.kind,
      group_by: ["alertname", "namespace", "service", "slo"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      ...(routes.length ? { routes } : {}),
    },
    receivers: receivers.map((r) => receiver(r, target)),
    inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["namespace", "service", "slo"] }],
  };
}

function receiver(r: AlertReceiver, target: ReceiverTarget): Record<string, unknown> {
  if (target !== "external-secret")
    return { name: r.kind, sns_configs: [{ topic_arn: target.sns, sigv4: { region: target.region }, subject: `[${r.kind}] {{ .CommonLabels.alertname }}`, message: SLACK_TEXT, send_resolved: true }] };
  const placeholder = `{{ .${SECRET_KEY[r.kind]} }}`;
  if (r.kind === "slack") return { name: "slack", slack_configs: [{ api_url: placeholder, channel: r.channel, send_resolved: true, title: SLACK_TITLE, text: SLACK_TEXT }] };
  return { name: "pagerduty", pagerduty_configs: [{ routing_key: placeholder, send_resolved: true, severity: "{{ .CommonLabels.severity }}", description: "{{ .CommonAnnotations.summary }}" }] };
}

/** What the ExternalSecret reads from the store: each receiver's credential under its placeholder's key. */
export function alertmanagerSecretData(a: AlertingModel): { secretKey: string; store: string; path: string; property: string }[] {
  return a.receivers.map((r) => {
    const c = r.kind === "slack" ? r.webhook : r.routingKey;
    return { secretKey: SECRET_KEY[r.kind], store: c.store, path: c.path, property: c.key };
  });
}

/**
 * ESO renders the template with Go's text/template, as Alertmanager later renders its own
 * notification templates: Alertmanager's `{{ … }}` are quoted as raw strings ({{`…`}}) so that
 * ESO passes them through, and only the credential placeholders are ESO's.
 */
export function esoTemplate(yaml: string): string {
  const placeholders = new Set(Object.values(SECRET_KEY).map((k) => `{{ .${k} }}`));
  return yaml.replace(/\{\{.*?\}\}/g, (t) => (placeholders.has(t) ? t : "{{`" + t + "`}}"));
}
