import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { rangeOf, single, eachTerm, type Ref, type TermReader } from "../readers.js";
import { readStoreRef } from "./common-fields.js";
import { field } from "./field-spec.js";
import { RANGES } from "./value-ranges.js";

/**
 * Observability fields (mission area 8): Prometheus scraping, alert routing and log
 * shipping on the platform; service level objectives on services. Range checks live in
 * check-observability.ts so that each has its own stable code; the readers only type.
 */

export const LOGGING_PROVIDERS = ["loki", "elasticsearch", "none"] as const;

/** `monitoring`'s choices: the in-cluster Prometheus Operator, or each cloud's managed Prometheus. */
export const MONITORING_PROVIDERS = ["prometheus", "managed-prometheus", "azure-monitor", "amazon-managed-prometheus", "none"] as const;
export type MonitoringProvider = Exclude<(typeof MONITORING_PROVIDERS)[number], "none">;

/** `monitoring …` as read (lower-observability.ts; check-cloud-monitoring.ts reports on the ranges). */
export interface MonitoringRead {
  provider: MonitoringProvider;
  providerRange: SourceRange;
  namespace?: string;
  release?: string;
  workspace?: string;
  workspaceRange?: SourceRange;
  intervalMs?: number;
  intervalRange?: SourceRange;
  runbooks?: string;
}

/** `slo` as read: each part with the range of its value, for the checks. */
export interface SloRead {
  availability?: { percent: number; range: SourceRange };
  latency?: { percentile: string; percentileRange: SourceRange; thresholdMs: number };
  window?: { ms: number; range: SourceRange };
}

/** One `alerting` receiver as read (the store reference keeps its range for FIN2004). */
export type ReceiverRead =
  | { kind: "slack"; channel: string; store: Ref; path: string; key: string }
  | { kind: "pagerduty"; store: Ref; path: string; key: string };

function storeRef(r: TermReader, example: string): { store: Ref; path: string; key: string } | undefined {
  if (!r.accept("from")) return r.mismatch("'from'", r.peek(), `The credential comes from a secret store: ${example}.`);
  return readStoreRef(r);
}

export const platformObservabilityFields = {
  monitoring: field({
    doc: "Where the platform's metrics, rules and alerts live. `prometheus`: the Prometheus Operator (kube-prometheus-stack) in the cluster: services with a port named `metrics` get a ServiceMonitor (scraped every `interval`, default 30s) and a NetworkPolicy (and, with the mesh, an AuthorizationPolicy) admitting only the Prometheus pods; `slo` lines become PrometheusRules, and every service gets a Grafana dashboard. `namespace` (default monitoring) and `release` (the kube-prometheus-stack Helm release, default kube-prometheus-stack) say where Prometheus runs and which `release` label its selectors expect; its service account is `<release>-prometheus`. The cloud's managed Prometheus instead (same rules, same expressions; see the README's Cloud monitoring): `managed-prometheus` on gcp (Google Cloud Managed Service for Prometheus: PodMonitoring and Rules, the managed collectors in gmp-system admitted), `azure-monitor` on azure (Azure Monitor managed Prometheus: the ama-metrics addon's azmonitoring.coreos.com monitors, rule groups and action groups in Terraform; `workspace` names an existing Azure Monitor workspace, otherwise one is created), `amazon-managed-prometheus` on aws (Amazon Managed Service for Prometheus with CloudWatch Container Insights: workspace, rule groups and alert manager in Terraform; `workspace` names an existing workspace ID). `runbooks` links each alert to `<url>/<AlertName>`.",
    syntax: 'prometheus [namespace <ns>] [release <helm release>] [interval <duration>] [runbooks "<base url>"] | managed-prometheus [interval <duration>] [runbooks "<base url>"] | azure-monitor [workspace "<name>"] [interval <duration>] [runbooks "<base url>"] | amazon-managed-prometheus [workspace "<ws-id>"] [interval <duration>] [runbooks "<base url>"] | none',
    example: "prometheus interval 30s",
    values: MONITORING_PROVIDERS,
    keywords: {
      prometheus: ["namespace", "release", "interval", "runbooks"],
      "managed-prometheus": ["interval", "runbooks"],
      "azure-monitor": ["workspace", "interval", "runbooks"],
      "amazon-managed-prometheus": ["workspace", "interval", "runbooks"],
      "#": ["namespace", "release", "runbooks"],
    },
    units: ["s", "m"],
    numbers: [RANGES.scrapeInterval],
    read: (ctx) =>
      single(ctx, (r) => {
        const at0 = r.peek();
        const provider = r.oneOf(MONITORING_PROVIDERS, "monitoring system");
        if (!provider || provider === "none") return provider && { provider };
        const out: MonitoringRead = { provider, providerRange: rangeOf(ctx, at0!) };
        const inCluster = provider === "prometheus";
        for (;;) {
          if (inCluster && r.accept("namespace")) {
            const ns = r.word("the namespace Prometheus runs in");
            if (!ns) return undefined;
            out.namespace = ns.name;
          } else if (inCluster && r.accept("release")) {
            const rel = r.word("the Helm release name of kube-prometheus-stack");
            if (!rel) return undefined;
            out.release = rel.name;
          } else if ((provider === "azure-monitor" || provider === "amazon-managed-prometheus") && r.accept("workspace")) {
            const at = r.peek();
            const ws = r.string(provider === "azure-monitor" ? "the name of the Azure Monitor workspace" : "the ID of the Amazon Managed Service for Prometheus workspace");
            if (!ws) return undefined;
            out.workspace = ws.value;
            out.workspaceRange = rangeOf(ctx, at!);
          } else if (r.peekWord() === "interval") {
            r.next();
            const at = r.peek();
            const ms = r.duration(RANGES.scrapeInterval);
            if (ms === undefined) return undefined;
            out.intervalMs = ms;
            out.intervalRange = rangeOf(ctx, at!);
          } else if (r.accept("runbooks")) {
            const at = r.peek();
            const url = r.string("the base URL of the runbooks");
            if (!url) return undefined;
            if (!/^https?:\/\/[^\s/]+/.test(url.value)) return r.mismatch("an http(s):// URL", at, 'Example: runbooks "https://runbooks.example.com/payments"');
            out.runbooks = url.value;
          } else break;
        }
        return out;
      }),
  }),
  alerting: field({
    doc: "Where alerts go: an AlertmanagerConfig per namespace routes `severity: critical` (fast error-budget burn) to PagerDuty and `severity: warning` to Slack (each to the other when only one is given; pages also reach Slack). The Slack webhook URL and the PagerDuty routing key are read from a secret store by an ExternalSecret: never written in the spec.",
    syntax: 'slack "#<channel>" from <store> "<path>" [key "<k>"], pagerduty from <store> "<path>" [key "<k>"]',
    example: 'slack "#payments-oncall" from vault "monitoring/slack" key "webhook-url", pagerduty from vault "monitoring/pagerduty" key "routing-key"',
    values: ["slack", "pagerduty"],
    keywords: { "*": ["from"], slack: [], pagerduty: ["from"], '"': ["from", "key"] },
    read: (ctx) => {
      const receivers = eachTerm(ctx, (r): ReceiverRead | undefined => {
        const kind = r.oneOf(["slack", "pagerduty"] as const, "alert receiver");
        if (kind === "slack") {
          const channel = r.string('a Slack channel such as "#payments-oncall"');
          if (!channel) return undefined;
          if (!/^[#@][a-z0-9][-_.a-z0-9]{0,79}$/.test(channel.value))
            return r.mismatch('a Slack channel such as "#payments-oncall"', r.term.atoms[1], "Slack channels are lower-case and start with #.");
          const ref = storeRef(r, 'slack "#payments-oncall" from <store> "monitoring/slack" key "webhook-url"');
          return ref && { kind, channel: channel.value, ...ref };
        }
        if (kind === "pagerduty") {
          const ref = storeRef(r, 'pagerduty from <store> "monitoring/pagerduty" key "routing-key"');
          return ref && { kind, ...ref };
        }
        return undefined;
      });
      return receivers.length ? receivers : undefined;
    },
  }),
  logging: field({
    doc: "Central logging. Workloads log to stdout as JSON; the node agents of the chosen stack (Promtail/Alloy for Loki, Filebeat/Fluent Bit for Elasticsearch) ship container logs, so nothing is emitted per workload. Recorded for the documentation and the compliance checks.",
    syntax: LOGGING_PROVIDERS.join(" | "),
    example: "loki",
    values: LOGGING_PROVIDERS,
    read: (ctx) => single(ctx, (r) => r.oneOf(LOGGING_PROVIDERS, "logging stack")),
  }),
};

export const serviceObservabilityFields = {
  slo: field({
    doc: "Service level objectives over a rolling window (default 30d): the share of successful requests (`availability 99.95%`) and of requests faster than a threshold at a percentile (`latency p99 300ms`: 99% under 300ms). Each becomes recording rules and multi-window, multi-burn-rate alerts (Google SRE workbook: 14.4× over 1h/5m and 6× over 6h/30m page; 3× over 1d/2h and 1× over 3d/6h open a ticket), measured on Istio's request metrics with the mesh and on the service's own `http_requests_total` / `http_request_duration_seconds` otherwise.",
    syntax: "availability <p>%, latency <p50|p90|p95|p99|p999|p99.9> <duration>, window <7d|28d|30d>",
    example: "availability 99.95%, latency p99 250ms",
    values: ["availability", "latency", "window"],
    keywords: { "*": ["window"], latency: ["p50", "p90", "p95", "p99", "p999", "p99.9"], "#": ["window"] },
    units: ["%", "ms", "s", "d"],
    numbers: [RANGES.availability, RANGES.sloLatency, RANGES.sloWindow],
    read: (ctx) => {
      const out: SloRead = {};
      const window = (r: TermReader): boolean => {
        const at = r.peek();
        const ms = r.duration(RANGES.sloWindow);
        if (ms === undefined) return false;
        out.window = { ms, range: rangeOf(ctx, at!) };
        return true;
      };
      eachTerm(ctx, (r) => {
        const kind = r.oneOf(["availability", "latency", "window"] as const, "objective");
        if (kind === "availability") {
          const at = r.peek();
          const percent = r.percent(RANGES.availability);
          if (percent === undefined) return undefined;
          out.availability = { percent, range: rangeOf(ctx, at!) };
        } else if (kind === "latency") {
          const p = r.word("a percentile such as p99");
          if (!p) return undefined;
          const thresholdMs = r.duration(RANGES.sloLatency);
          if (thresholdMs === undefined) return undefined;
          out.latency = { percentile: p.name, percentileRange: p.range, thresholdMs };
        } else if (kind === "window") {
          if (!window(r)) return undefined;
          return true;
        } else return undefined;
        if (r.accept("window") && !window(r)) return undefined;
        return true;
      });
      return out.availability || out.latency ? out : out.window ? out : undefined;
    },
  }),
};
