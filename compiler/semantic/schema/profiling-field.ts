import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { DEFAULT_PROFILING_NAMESPACE, type ProfileRead, type Profiler } from "../../model/profiling.js";
import { rangeOf, single } from "../readers.js";
import { field } from "./field-spec.js";
import { RANGES } from "./value-ranges.js";

/**
 * `profile pprof on <port> [in <env> …] | none` on a workload and `profiling parca|pyroscope
 * [namespace <ns>]` on the platform (model/profiling.ts). The checks across them (a profiler
 * declared, the port not a serving port, the environments known) are check-scheduling.ts's.
 */

export const profileField = field({
  doc: "A Go pprof endpoint (`net/http/pprof`) for continuous profiling: `profile pprof on 6060` declares the container port `pprof` — on no Service, so neither the gateway nor callers reach it — opens it to the platform's `profiling` namespace alone (NetworkPolicy, and with the mesh an AuthorizationPolicy) and annotates the pods for Parca or Pyroscope discovery. On in every environment but production (prod, production); `in dev staging prod` names exactly where it is on, and a profile written in an environment's own block (`environment prod { api.profile pprof on 6060 }`) is on there. `profile none` turns it off, e.g. in an environment.",
  syntax: "pprof on <port> [in <environment> …] | none",
  example: "pprof on 6060",
  values: ["pprof", "none"],
  keywords: { pprof: ["on"], "#": ["in"] },
  numbers: [RANGES.port],
  read: (ctx) =>
    single(ctx, (r): ProfileRead | "none" | undefined => {
      const start = r.peek();
      const kind = r.oneOf(["pprof", "none"] as const, "profile kind");
      if (kind !== "pprof") return kind;
      if (!r.accept("on")) return r.mismatch("'on' and the pprof port", r.peek(), "Write `profile pprof on 6060`.");
      const portAtom = r.peek();
      const port = r.count(RANGES.port);
      if (port === undefined || !portAtom) return undefined;
      let environments: { name: string; range: SourceRange }[] | undefined;
      if (r.accept("in")) {
        environments = [];
        while (!r.done) {
          const w = r.word("an environment name");
          if (!w) return undefined;
          environments.push({ name: w.name, range: w.range });
        }
        if (!environments.length) return r.mismatch("an environment name such as staging", r.peek());
      }
      return { port, portRange: rangeOf(ctx, portAtom), ...(environments ? { environments } : {}), range: { file: ctx.file, start: start!.start, end: ctx.member.end } };
    }),
});

export const profilingPlatformField = field({
  doc: `The continuous profiler that scrapes workloads' \`profile pprof\` ports: \`parca\` (pods annotated \`parca.dev/scrape\`/\`parca.dev/port\`, as the Parca chart's discovery reads them) or \`pyroscope\` (Grafana Alloy's \`profiles.grafana.com/<type>.scrape\`/\`.port\` for cpu, memory and goroutine). \`namespace\` is where its scraper runs (default ${DEFAULT_PROFILING_NAMESPACE.parca} / ${DEFAULT_PROFILING_NAMESPACE.pyroscope}): the only namespace admitted to the pprof ports.`,
  syntax: "parca|pyroscope [namespace <ns>]",
  example: "parca namespace parca",
  values: ["parca", "pyroscope"],
  keywords: { parca: ["namespace"], pyroscope: ["namespace"] },
  read: (ctx) =>
    single(ctx, (r) => {
      const start = r.peek();
      const profiler = r.oneOf(["parca", "pyroscope"] as const, "profiler");
      if (!profiler) return undefined;
      let namespace: string | undefined;
      if (r.accept("namespace")) {
        const ns = r.word("the namespace the profiler scrapes from");
        if (!ns) return undefined;
        namespace = ns.name;
      }
      return { profiler: profiler as Profiler, ...(namespace ? { namespace } : {}), range: { file: ctx.file, start: start!.start, end: ctx.member.end } };
    }),
});
