import { diag } from "../../diagnostics/messages.js";
import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { single, type TermReader } from "../readers.js";
import { field } from "./field-spec.js";
import { readCron, readTimeZone } from "./scaling-fields.js";
import { RANGES } from "./value-ranges.js";

export const DELIVERY_TOOLS = ["argocd", "flux"] as const;
export type DeliveryTool = (typeof DELIVERY_TOOLS)[number];

/** What `delivery` reads; lowered by model/delivery-model.ts. */
export interface DeliveryRead {
  readonly tool: DeliveryTool;
  readonly repo: string;
  readonly revision?: string;
  readonly path?: string;
  readonly window?: { readonly schedule: string; readonly durationMs: number; readonly timeZone?: string; readonly range: SourceRange };
  readonly range: SourceRange;
}

/** A Git remote Argo CD and Flux can clone: https://host/path or ssh (ssh://git@host/path, git@host:path). */
export function repositoryProblem(url: string): string | undefined {
  if (/^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/\S+$/.test(url)) return undefined;
  if (/^ssh:\/\/[\w.-]+@[A-Za-z0-9.-]+(:\d+)?\/\S+$/.test(url)) return undefined;
  if (/^[\w.-]+@[A-Za-z0-9.-]+:[^\s/][^\s]*$/.test(url)) return undefined;
  if (/^http:\/\//.test(url)) return "plain http would let anyone on the path change what is deployed";
  return "it is neither an https nor an ssh Git URL";
}

/** A repository path finc writes (`finc build --out <path>`): relative, inside the repository. */
export function repositoryPathProblem(path: string): string | undefined {
  if (path.startsWith("/")) return "it must be relative to the repository root";
  if (path.split("/").some((p) => p === ".." || p === "")) return "it must stay inside the repository (no '..' or empty segments)";
  if (!/^[\w./-]+$/.test(path)) return "it may contain letters, digits, '.', '_', '-' and '/' only";
  return undefined;
}

function readWindow(r: TermReader): DeliveryRead["window"] | undefined {
  const s = readCron(r, "a cron schedule for the sync window");
  if (!s) return undefined;
  const durationMs = r.duration(RANGES.syncWindow);
  if (durationMs === undefined) return undefined;
  let timeZone: string | undefined;
  if (r.accept("timezone")) {
    timeZone = readTimeZone(r);
    if (!timeZone) return undefined;
  }
  return { schedule: s.cron, durationMs, ...(timeZone ? { timeZone } : {}), range: s.range };
}

/**
 * `delivery argocd|flux repo "<git url>" [revision "<ref>"] [path "<dir>"] [window "<cron>" <duration> [timezone "<zone>"]]`:
 * GitOps delivery of what `finc build --out <path>` writes (model/delivery-model.ts, emit/gitops).
 */
export const deliveryField = field({
  doc:
    "GitOps delivery (mission area 10): the cluster pulls what `finc build --out <path>` wrote and committed to `repo`. " +
    "`argocd`: an AppProject for the platform (only this repository, only the namespaces and kinds finc emits) and an Application per environment syncing `<path>/<environment>`; outside production it syncs automatically with prune and self-heal, production syncs only by hand and, with `window`, only inside that window (an AppProject sync window, cron + duration). Sync waves apply admission policies, secret stores, issuers and databases before the workloads that need them; namespaces and databases are never pruned. Autoscaled replica counts are ignored, so self-heal does not fight the autoscaler. " +
    "`flux`: per environment, for the Flux of that environment's cluster, a GitRepository (ssh remotes as `ssh://` URLs, credentials from the Secret `<platform>-git`) and two Kustomizations with prune and wait: the cluster-scoped objects first, then the rest, which depends on them; production's are suspended until a person resumes them, and deleting them orphans what they deployed. Production is an environment named prod or production.",
  syntax: 'argocd | flux repo "<git url>" [revision "<branch|tag>"] [path "<dir>"] [window "<cron>" <duration> [timezone "<zone>"]]',
  example: 'argocd repo "https://git.example.com/payments/deploy.git" path "deploy" window "0 9 * * 1-4" 6h timezone "Europe/London"',
  values: DELIVERY_TOOLS,
  keywords: { "*": ["repo", "revision", "path", "window", "timezone"] },
  numbers: [RANGES.syncWindow],
  read: (ctx) =>
    single(ctx, (r): DeliveryRead | undefined => {
      const first = r.peek();
      const tool = r.oneOf(DELIVERY_TOOLS, "delivery tool");
      if (!tool || !first) return undefined;
      if (!r.accept("repo")) return r.mismatch("'repo \"<git url>\"'", r.peek(), "GitOps needs the repository the cluster pulls from.");
      const repo = r.string("a Git repository URL");
      if (!repo) return undefined;
      const bad = repositoryProblem(repo.value);
      if (bad) ctx.report(diag("FIN3042", repo.range, { value: repo.value, why: bad }));
      let revision: string | undefined;
      let path: string | undefined;
      let window: DeliveryRead["window"];
      for (;;) {
        if (r.accept("revision")) {
          const v = r.string("a branch, tag or commit");
          if (!v) return undefined;
          revision = v.value;
        } else if (r.accept("path")) {
          const v = r.string("a directory of the repository");
          if (!v) return undefined;
          const why = repositoryPathProblem(v.value);
          if (why) ctx.report(diag("FIN3043", v.range, { value: v.value, why }));
          path = v.value.replace(/\/+$/, "");
        } else if (r.accept("window")) {
          window = readWindow(r);
          if (!window) return undefined;
        } else break;
      }
      if (bad) return undefined;
      const range = { file: ctx.file, start: first.start, end: repo.range.end };
      return { tool, repo: repo.value, ...(revision ? { revision } : {}), ...(path ? { path } : {}), ...(window ? { window } : {}), range };
    }),
});
