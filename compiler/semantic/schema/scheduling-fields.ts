import { diag } from "../../diagnostics/messages.js";
import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { DEFAULT_PREFERENCE_WEIGHT, type NodePreference, type NodeRequirement, type SpreadRule } from "../../model/scheduling.js";
import { rangeOf, single, type FieldContext, type TermReader } from "../readers.js";
import { labelValueProblem, qualifiedNameProblem } from "../label-syntax.js";
import { field } from "./field-spec.js";
import type { ValueRange } from "./value-ranges.js";

/**
 * Scheduling fields of a service, worker, job or cronjob (model/scheduling.ts): `on nodes`,
 * `prefer nodes`, `spread` and `scheduler`. Selector and name syntax is FIN4088 at the exact text.
 */

export const SCHEDULING_RANGES = {
  weight: { kind: "count", what: "The preference weight", target: "preferredDuringSchedulingIgnoredDuringExecution[].weight (1–100)", min: 1, max: 100, step: 1 } as ValueRange,
};

type Problem = { message: string; at: number; length: number };

/**
 * A Kubernetes set-based label selector as kubectl writes it (`role=payments`, `disk in (ssd,nvme)`,
 * `zone notin (a)`, `gpu`, `!spot`, `tier!=batch`), requirements separated by commas outside
 * parentheses. The requirements, or the first problem with its offset in the text.
 */
export function parseNodeSelector(text: string): NodeRequirement[] | Problem {
  const parts: { text: string; at: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    if (i === text.length || (c === "," && depth === 0)) {
      parts.push({ text: text.slice(start, i), at: start });
      start = i + 1;
    }
  }
  const out: NodeRequirement[] = [];
  for (const p of parts) {
    const lead = p.text.length - p.text.trimStart().length;
    const t = p.text.trim();
    const at = p.at + lead;
    // At the stray comma: the one before an empty last part, else the one after.
    if (!t) return { message: "an empty requirement (a stray comma)", at: p.at > 0 ? p.at - 1 : p.text.length, length: 1 };
    const bad = (message: string): Problem => ({ message, at, length: t.length });
    const checkKey = (key: string): Problem | undefined => {
      if (key.startsWith("finc.dev/")) return bad(`'finc.dev/' node labels belong to finc's node pools (PCI placement comes from \`nodepool … taint pci\`)`);
      const why = qualifiedNameProblem(key);
      return why ? bad(`'${key}' is not a label key: ${why}`) : undefined;
    };
    const checkValues = (values: string[]): Problem | undefined => {
      for (const v of values) {
        if (!v) return bad("an empty value in the list");
        const why = labelValueProblem(v);
        if (why) return bad(`'${v}': ${why}`);
      }
      return undefined;
    };
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(t);
    const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(t);
    const exists = /^(!?)([^=!\s(),]+)$/.exec(t);
    if (set) {
      const values = set[3]!.split(",").map((x) => x.trim());
      const problem = checkKey(set[1]!) ?? checkValues(values);
      if (problem) return problem;
      out.push({ key: set[1]!, operator: set[2] === "in" ? "In" : "NotIn", values: [...new Set(values)] });
    } else if (eq) {
      const problem = checkKey(eq[1]!) ?? checkValues([eq[3]!]);
      if (problem) return problem;
      out.push({ key: eq[1]!, operator: eq[2] === "!=" ? "NotIn" : "In", values: [eq[3]!] });
    } else if (exists) {
      const problem = checkKey(exists[2]!);
      if (problem) return problem;
      out.push({ key: exists[2]!, operator: exists[1] ? "DoesNotExist" : "Exists" });
    } else return bad(`'${t}' is not a requirement: write key=value, key!=value, key in (a,b), key notin (a,b), key or !key`);
  }
  return out;
}

/** `nodes "<selector>"`: FIN4088 on the offending requirement inside the string. */
function readSelector(ctx: FieldContext, r: TermReader): NodeRequirement[] | undefined {
  if (!r.accept("nodes")) return r.mismatch("'nodes'", r.peek(), `Write \`${ctx.field} nodes "role=payments"\`.`);
  const s = r.string('a node label selector such as "role=payments"');
  if (!s) return undefined;
  const parsed = parseNodeSelector(s.value);
  if (Array.isArray(parsed)) return parsed;
  // Inside the quotes (the string has no escapes in a selector); the whole string otherwise.
  const inner = s.range.end - s.range.start - 2 === s.value.length;
  const range: SourceRange = inner ? { file: s.range.file, start: s.range.start + 1 + parsed.at, end: s.range.start + 1 + parsed.at + parsed.length } : s.range;
  ctx.report(diag("FIN4088", range, {
    message: `This node selector has ${parsed.message}.`,
    hint: 'Node selectors use Kubernetes label syntax: "role=payments", "disk in (ssd,nvme)", "gpu", "!spot"; separate requirements with commas.',
  }));
  return undefined;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const schedulingFields = {
  on: field({
    doc: 'Node affinity that must hold (requiredDuringSchedulingIgnoredDuringExecution): `on nodes "role=payments"`, `on nodes "disk in (ssd,nvme), !spot"` in Kubernetes label-selector syntax. Several lines all hold. They are added to every required node selector term, so residency regions and PCI node pools still hold too.',
    syntax: 'nodes "<key>=<value>, <key> in (<a>,<b>), <key>, !<key>"',
    example: 'nodes "role=payments"',
    values: ["nodes"],
    repeatable: true,
    read: (ctx) => single(ctx, (r) => readSelector(ctx, r)),
  }),
  prefer: field({
    doc: `Node affinity the scheduler tries first (preferredDuringSchedulingIgnoredDuringExecution, weight ${DEFAULT_PREFERENCE_WEIGHT} unless \`weight\`): \`prefer nodes "disk=ssd" weight 80\`. Pods still schedule elsewhere when no such node has room.`,
    syntax: 'nodes "<selector>" [weight <1–100>]',
    example: 'nodes "disk=ssd" weight 80',
    values: ["nodes"],
    keywords: { '"': ["weight"] },
    numbers: [SCHEDULING_RANGES.weight],
    repeatable: true,
    read: (ctx) =>
      single(ctx, (r): NodePreference | undefined => {
        const requirements = readSelector(ctx, r);
        if (!requirements) return undefined;
        let weight = DEFAULT_PREFERENCE_WEIGHT;
        if (r.accept("weight")) {
          const w = r.count(SCHEDULING_RANGES.weight);
          if (w === undefined) return undefined;
          weight = w;
        }
        return { requirements, weight };
      }),
  }),
  spread: field({
    doc: "How the workload's own pods spread. `spread hard|soft across zones|nodes`: a topology spread constraint with maxSkew 1 (`hard`: DoNotSchedule, a pod waits rather than pile up; `soft`: ScheduleAnyway) replacing finc's default soft one for that topology. `spread hard|soft one-per node|zone`: pod anti-affinity, never two of its pods on one node / in one zone (`hard`: required, so replicas beyond the number of nodes/zones stay Pending; `soft`: preferred).",
    syntax: "hard|soft across zones|nodes | hard|soft one-per node|zone",
    // soft: the example also stands on a job, whose single pod a hard rule cannot spread (FIN4089).
    example: "soft across zones",
    values: ["hard", "soft"],
    keywords: { hard: ["across", "one-per"], soft: ["across", "one-per"], across: ["zones", "nodes"], "one-per": ["node", "zone"] },
    repeatable: true,
    read: (ctx) =>
      single(ctx, (r): SpreadRule | undefined => {
        const mode = r.oneOf(["hard", "soft"] as const, "spread mode");
        if (!mode) return undefined;
        const form = r.oneOf(["across", "one-per"] as const, "spread form");
        if (!form) return undefined;
        const word = form === "across" ? r.oneOf(["zones", "nodes"] as const, "topology") : r.oneOf(["zone", "node"] as const, "topology");
        if (!word) return undefined;
        const topology = word.startsWith("zone") ? "zones" : "nodes";
        return { mode, form, topology, range: rangeOf(ctx, r.term) };
      }),
  }),
  scheduler: field({
    doc: "The scheduler that places the pods (spec.schedulerName), for a custom or second scheduler; a DNS-1123 subdomain. Unset: the cluster's default-scheduler.",
    syntax: '"<scheduler name>"',
    example: '"payments-scheduler"',
    read: (ctx) =>
      single(ctx, (r) => {
        const s = r.string("the scheduler's name");
        if (!s) return undefined;
        if (s.value.length > 253 || !DNS_SUBDOMAIN.test(s.value)) {
          ctx.report(diag("FIN4088", s.range, {
            message: `'${s.value}' is not a scheduler name: spec.schedulerName must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253 characters).`,
            hint: 'Use the name the scheduler is configured with (its KubeSchedulerConfiguration profile), such as "payments-scheduler".',
          }));
          return undefined;
        }
        return s.value;
      }),
  }),
};
