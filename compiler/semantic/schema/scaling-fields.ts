import { diag } from "../../diagnostics/messages.js";
import type { SourceRange } from "../../diagnostics/diagnostic.js";
import type { AnalysisCondition, RolloutStrategy, ScaleTrigger, ScalerAuth } from "../../model/scaling-model.js";
import { eachTerm, rangeOf, single, type FieldContext, type TermReader } from "../readers.js";
import { field } from "./field-spec.js";
import { RANGES } from "./value-ranges.js";

/**
 * Scaling and delivery fields of a service (mission areas 7 and 10): event-driven
 * scaling with KEDA (`scale on …`), right-sizing with the VPA (`right-size`),
 * progressive delivery with Argo Rollouts (`rollout`) and spot capacity (`spot`).
 */

const CRON_FIELDS: readonly { what: string; min: number; max: number; names?: readonly string[] }[] = [
  { what: "minute", min: 0, max: 59 },
  { what: "hour", min: 0, max: 23 },
  { what: "day of month", min: 1, max: 31 },
  { what: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { what: "day of week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

/** Why a standard five-field cron expression (as KEDA's cron scaler reads it) is invalid, or undefined when it is valid. */
export function cronProblem(expr: string): string | undefined {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) return `it has ${parts.length} field${parts.length === 1 ? "" : "s"}, not 5`;
  for (let i = 0; i < 5; i++) {
    const f = CRON_FIELDS[i]!;
    const value = (t: string): number | undefined => {
      const n = f.names?.indexOf(t.toUpperCase()) ?? -1;
      if (n >= 0) return f.what === "month" ? n + 1 : n;
      return /^\d+$/.test(t) ? Number(t) : undefined;
    };
    for (const item of parts[i]!.split(",")) {
      const m = /^(\*|([A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?)(?:\/(\d+))?$/.exec(item);
      if (!m) return `'${item}' is not a valid ${f.what}`;
      if (m[4] !== undefined && Number(m[4]) < 1) return `the step in '${item}' must be at least 1`;
      if (m[1] === "*") continue;
      const lo = value(m[2]!);
      const hi = m[3] !== undefined ? value(m[3]) : lo;
      if (lo === undefined || hi === undefined || lo < f.min || hi > f.max) return `'${item}' is not a ${f.what} (${f.min}–${f.max})`;
      if (lo > hi) return `the range '${item}' runs backwards`;
    }
  }
  return undefined;
}

/** An IANA tz database name (`Europe/London`, `America/Argentina/Buenos_Aires`, `UTC`, `Etc/GMT+2`). */
export function isIanaZone(zone: string): boolean {
  return /^(UTC|GMT|Etc\/(UTC|GMT|GMT[+-]\d{1,2}))$/.test(zone) || /^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)(\/[A-Z][A-Za-z0-9_+-]*){1,2}$/.test(zone);
}

/** A cron schedule string at the reader (FIN3016 at the string when it is none), spaces normalized. */
export function readCron(r: TermReader, expected = "a cron schedule"): { cron: string; range: SourceRange } | undefined {
  const s = r.string(expected);
  if (!s) return undefined;
  const why = cronProblem(s.value);
  if (why) {
    r.ctx.report(diag("FIN3016", s.range, { value: s.value, why }));
    return undefined;
  }
  return { cron: s.value.trim().split(/\s+/).join(" "), range: s.range };
}

/** An IANA time zone name at the reader (FIN3017 at the string when it is none). */
export function readTimeZone(r: TermReader): string | undefined {
  const tz = r.string("an IANA time zone name");
  if (!tz) return undefined;
  if (!isIanaZone(tz.value)) {
    r.ctx.report(diag("FIN3017", tz.range, { value: tz.value }));
    return undefined;
  }
  return tz.value;
}

const SQS_URL = /^https:\/\/sqs\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?\/\d{12}\/[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/;
const SASL = { plaintext: "plaintext", "scram-sha256": "scram_sha256", "scram-sha512": "scram_sha512" } as const;
const HINT = 'Examples: scale on kafka "payments.events" lag 500 · scale on queue sqs "<queue url>" depth 100 · scale on prometheus "<query>" above 50 · scale on cron "0 7 * * 1-5" to "0 19 * * 1-5" replicas 10';

function positive(r: TermReader, what: string): number | undefined {
  return r.count({ ...RANGES.scaleTarget, what: what[0]!.toUpperCase() + what.slice(1) });
}

/** A trigger as read, with the ranges the checker needs. */
export type TriggerRead = ScaleTrigger & { readonly range: SourceRange; readonly storeRange?: SourceRange };

function readTrigger(ctx: FieldContext, r: TermReader): TriggerRead | undefined {
  const range = rangeOf(ctx, r.term);
  if (!r.accept("on")) return r.mismatch("'on'", r.peek(), HINT);
  const kind = r.oneOf(["kafka", "queue", "prometheus", "cron"] as const, "event source");
  switch (kind) {
    case undefined: return undefined;
    case "kafka": {
      const topic = r.string("the Kafka topic");
      if (!topic) return undefined;
      if (!r.accept("lag")) return r.mismatch("'lag'", r.peek(), 'Write `scale on kafka "<topic>" lag 500`: the consumer-group lag per replica.');
      const lag = positive(r, "the lag per replica");
      if (lag === undefined) return undefined;
      let group: string | undefined;
      let brokers: string | undefined;
      let auth: ScalerAuth | undefined;
      let storeRange: SourceRange | undefined;
      for (;;) {
        if (r.accept("group")) {
          group = r.string("the consumer group")?.value;
          if (group === undefined) return undefined;
        } else if (r.accept("brokers")) {
          const b = r.string('the bootstrap servers, "host:port[,host:port…]"');
          if (!b) return undefined;
          if (!/^[a-z0-9.-]+:\d{1,5}(,[a-z0-9.-]+:\d{1,5})*$/.test(b.value)) return r.mismatch('bootstrap servers as "host:port"', r.term.atoms[r.term.atoms.length - 1]);
          brokers = b.value;
        } else if (r.accept("auth")) {
          const store = r.word("a secret store name");
          const path = store && r.string("the path of the Kafka credentials (keys username and password)");
          if (!store || !path) return undefined;
          let sasl: ScalerAuth["sasl"] = "scram_sha512";
          if (r.accept("sasl")) {
            const s = r.oneOf(Object.keys(SASL) as (keyof typeof SASL)[], "SASL mechanism");
            if (!s) return undefined;
            sasl = SASL[s];
          }
          auth = { store: store.name, path: path.value, sasl };
          storeRange = store.range;
        } else break;
      }
      return { kind, topic: topic.value, lag, ...(group ? { group } : {}), ...(brokers ? { brokers } : {}), ...(auth ? { auth, storeRange } : {}), range };
    }
    case "queue": {
      if (!r.oneOf(["sqs"] as const, "queue service")) return undefined;
      const url = r.string("the SQS queue URL");
      if (!url) return undefined;
      const m = SQS_URL.exec(url.value);
      if (!m) return r.mismatch("an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)", r.term.atoms[3]);
      if (!r.accept("depth")) return r.mismatch("'depth'", r.peek(), 'Write `scale on queue sqs "<url>" depth 100`: messages per replica.');
      const depth = positive(r, "the queue depth per replica");
      return depth === undefined ? undefined : { kind: "sqs", url: url.value, region: m[1]!, depth, range };
    }
    case "prometheus": {
      const query = r.string("a PromQL query");
      if (!query) return undefined;
      if (!r.accept("above")) return r.mismatch("'above'", r.peek(), 'Write `scale on prometheus "<query>" above 50`: the value per replica.');
      const above = r.decimal(RANGES.threshold, "a positive number (the target value per replica)");
      if (above === undefined) return undefined;
      let server: string | undefined;
      if (r.accept("server")) {
        const s = r.string("the Prometheus URL");
        if (!s) return undefined;
        if (!/^https?:\/\/[^\s/]+/.test(s.value)) return r.mismatch("an http(s):// URL", r.term.atoms[r.term.atoms.length - 1]);
        server = s.value;
      }
      return { kind, query: query.value, above, ...(server ? { server } : {}), range };
    }
    case "cron": {
      const start = r.string("the cron schedule of the start");
      if (!start) return undefined;
      if (!r.accept("to")) return r.mismatch("'to'", r.peek(), 'Write `scale on cron "0 7 * * 1-5" to "0 19 * * 1-5" replicas 10`.');
      const end = r.string("the cron schedule of the end");
      if (!end) return undefined;
      let ok = true;
      for (const s of [start, end]) {
        const why = cronProblem(s.value);
        if (why) {
          ctx.report(diag("FIN3016", s.range, { value: s.value, why }));
          ok = false;
        }
      }
      if (!r.accept("replicas")) return r.mismatch("'replicas'", r.peek(), "The replicas to keep between start and end: `replicas 10`.");
      const replicas = positive(r, "the replicas between start and end");
      if (replicas === undefined) return undefined;
      let timezone = "Etc/UTC";
      if (r.accept("timezone")) {
        const tz = r.string("an IANA time zone name");
        if (!tz) return undefined;
        if (!isIanaZone(tz.value)) {
          ctx.report(diag("FIN3017", tz.range, { value: tz.value }));
          ok = false;
        }
        timezone = tz.value;
      }
      return ok ? { kind, start: start.value.trim().split(/\s+/).join(" "), end: end.value.trim().split(/\s+/).join(" "), replicas, timezone, range } : undefined;
    }
  }
}

const LATENCY = /^p(50|75|90|95|99|999|99\.9)$/;

/** `error-rate < 1%` or `latency p99 < 300ms`. */
function readCondition(r: TermReader): AnalysisCondition | undefined {
  const metric = r.oneOf(["error-rate", "latency"] as const, "rollout condition");
  if (!metric) return undefined;
  let quantile: number | undefined;
  if (metric === "latency") {
    const q = r.word("a quantile such as p99");
    if (!q) return undefined;
    const m = LATENCY.exec(q.name);
    if (!m) return r.mismatch("a quantile: p50, p75, p90, p95, p99 or p999 (p99.9)", r.term.atoms[r.term.atoms.length - 1]);
    quantile = m[1] === "999" || m[1] === "99.9" ? 0.999 : Number(m[1]) / 100;
  }
  if (!r.acceptOperator("<")) return r.mismatch("'<'", r.peek(), "Conditions read `error-rate < 1%` or `latency p99 < 300ms`.");
  const below = metric === "error-rate" ? r.percent(RANGES.errorRate) : r.duration(RANGES.latencyBound);
  return below === undefined ? undefined : { metric, below, ...(quantile !== undefined ? { quantile } : {}) };
}

/** `canary <p>%, … [pause <d>] [while <condition>, …]` or `blue-green [preview <name>] [promote …] [while …]`, one term per comma. */
function readRollout(ctx: FieldContext): (RolloutStrategy & { weightRanges?: SourceRange[] }) | undefined {
  const [first, ...rest] = ctx.member.terms;
  if (!first) return single(ctx, () => undefined);
  let kind: "canary" | "blue-green" | undefined;
  const weights: number[] = [];
  const weightRanges: SourceRange[] = [];
  const conditions: AnalysisCondition[] = [];
  let pauseMs: number | undefined;
  let preview: string | undefined;
  let promote: "auto" | "manual" | undefined;
  let inConditions = false;
  let failed = false;
  const terms = [first, ...rest];
  terms.forEach((term, i) => {
    if (failed) return;
    const result = eachTerm({ ...ctx, member: { ...ctx.member, terms: [term] } }, (r) => {
      if (i === 0) {
        kind = r.oneOf(["canary", "blue-green"] as const, "rollout strategy");
        if (!kind) return undefined;
      }
      if (inConditions) {
        const c = readCondition(r);
        if (c) conditions.push(c);
        return c;
      }
      if (kind === "canary") {
        const a = r.peek();
        const w = r.percent(RANGES.canaryWeight);
        if (w === undefined) return undefined;
        weights.push(w);
        weightRanges.push(rangeOf(ctx, a!));
        if (r.accept("pause")) {
          pauseMs = r.duration(RANGES.pause);
          if (pauseMs === undefined) return undefined;
        }
      } else {
        for (;;) {
          if (r.accept("preview")) {
            const p = r.word("the preview Service's name");
            if (!p) return undefined;
            preview = p.name;
          } else if (r.accept("promote")) {
            promote = r.oneOf(["auto", "manual"] as const, "promotion");
            if (!promote) return undefined;
          } else break;
        }
      }
      if (r.accept("while")) {
        inConditions = true;
        const c = readCondition(r);
        if (c) conditions.push(c);
        return c;
      }
      return true;
    });
    if (!result.length) failed = true;
  });
  if (failed || !kind) return undefined;
  if (kind === "blue-green") return { kind, ...(preview ? { preview } : {}), ...(promote ? { promote } : {}), conditions };
  if (!weights.length) {
    ctx.report(diag("FIN3001", rangeOf(ctx, ctx.member), { field: ctx.field, expected: "canary weights", found: "none", hint: "Write `rollout canary 10%, 50%`." }));
    return undefined;
  }
  weights.forEach((w, i) => {
    const previous = i === 0 ? 0 : weights[i - 1]!;
    if (w <= previous) ctx.report(diag("FIN3018", weightRanges[i]!, { weight: w, previous }));
  });
  return { kind, weights, ...(pauseMs !== undefined ? { pauseMs } : {}), conditions, weightRanges };
}

export const serviceScalingFields = {
  scale: field({
    doc: "Event-driven scaling with KEDA: one ScaledObject per service, scaling between the `replicas` range on Kafka consumer lag, SQS queue depth, a Prometheus query or a cron window (quiet hours, predictable peaks); several lines add triggers, and a CPU/memory target of `replicas … at cpu 70%` becomes one more. Replaces the plain HorizontalPodAutoscaler. Credentials come from a secret store (`auth <store> \"<path>\"`, keys username and password) or, for SQS, the workload's IAM role.",
    syntax: 'on kafka "<topic>" lag <n> [group "<consumer group>"] [brokers "<host:port>"] [auth <store> "<path>" [sasl plaintext|scram-sha256|scram-sha512]] | on queue sqs "<queue url>" depth <n> | on prometheus "<query>" above <n> [server "<url>"] | on cron "<start>" to "<end>" replicas <n> [timezone "<IANA zone>"]',
    example: 'on kafka "payments.events" lag 500',
    repeatable: true,
    replaceInEnvironment: true,
    values: ["on"],
    keywords: { on: ["kafka", "queue", "prometheus", "cron"], queue: ["sqs"], "#": ["group", "brokers", "auth", "timezone", "server"], '"': ["lag", "depth", "above", "to", "replicas", "timezone", "group", "brokers", "server", "sasl"] },
    numbers: [RANGES.scaleTarget, { ...RANGES.threshold, example: 'on prometheus "sum(rate(http_requests_total[1m]))" above 50' }],
    read: (ctx) => eachTerm(ctx, (r) => readTrigger(ctx, r)),
  }),
  "right-size": field({
    doc: "Right-sizing with the VerticalPodAutoscaler: `auto` lets it set the pods' CPU and memory requests (within the service's `cpu`/`memory` limits, restarting pods to apply them); `recommend` only publishes recommendations (updateMode Off). `auto` cannot be combined with horizontal scaling on CPU or memory.",
    syntax: "auto | recommend",
    example: "recommend",
    values: ["auto", "recommend"],
    read: (ctx) => single(ctx, (r) => r.oneOf(["auto", "recommend"] as const, "right-sizing mode")),
  }),
  rollout: field({
    doc: "Progressive delivery with Argo Rollouts. `canary 10%, 50% [pause 5m] while error-rate < 1%, latency p99 < 300ms`: traffic moves to the new version in those steps (with `mesh istio` through the service's VirtualService and DestinationRule subsets, else by replica count), each step pauses and is analysed against Prometheus; a failing analysis aborts the rollout and sends traffic back to the stable version. `blue-green [preview <name>] [promote auto|manual]`: the new version runs behind a preview Service until promoted — manually in environments named prod or production unless `promote auto`.",
    syntax: "canary <p>%, … [pause <duration>] [while error-rate < <p>% [, latency p<q> < <duration>]] | blue-green [preview <service name>] [promote auto|manual] [while …]",
    example: "canary 10%, 50% pause 5m while error-rate < 1%",
    values: ["canary", "blue-green"],
    keywords: { "blue-green": ["preview", "promote", "while"], "#": ["pause", "while"], while: ["error-rate", "latency"], latency: ["p50", "p90", "p95", "p99"], promote: ["auto", "manual"] },
    numbers: [RANGES.canaryWeight, RANGES.pause, RANGES.errorRate, RANGES.latencyBound],
    read: readRollout,
  }),
  spot: field({
    doc: "Run on spot/preemptible nodes for cost: the pods tolerate the cloud's spot taint and prefer spot nodes (Karpenter's capacity type on AWS, GKE Spot on GCP, spot scale sets on Azure). Not for `tier critical` services.",
    syntax: "yes | no",
    example: "yes",
    values: ["yes", "no"],
    read: (ctx) => single(ctx, (r) => r.oneOf(["yes", "no"] as const, "yes/no value")),
  }),
};
