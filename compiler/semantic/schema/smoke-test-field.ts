import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import { isImageRef } from "./common-fields.js";
import { single, type Ref } from "../readers.js";
import { field } from "./field-spec.js";
import type { ValueRange } from "./value-ranges.js";

/** What `smoke-test` reads; model/smoke-test-model.ts resolves `yes` to the readiness probe's path. */
export interface SmokeTestRead {
  /** `yes`: the readiness probe's path (check-drills.ts: FIN4079 when it has none); `no`: none (e.g. a pattern's, per environment). */
  readonly path?: string;
  readonly enabled: boolean;
  readonly expect?: number;
  readonly port?: Ref;
  readonly range: SourceRange;
}

/** An HTTP status a smoke test may expect: a final status (not 1xx), as curl reports it. */
export const SMOKE_STATUS_RANGE: ValueRange = { kind: "count", what: "The expected HTTP status", target: "the status the smoke test's curl compares (200–599)", min: 200, max: 599, step: 1, example: "/ready expect 204" };

export const smokeTestField = field({
  doc:
    "A post-deploy smoke test: a Job that GETs `<path>` on the service through its Service (on the mesh with mTLS, as an allowed caller of this service only) and fails unless the answer has the `expect`ed status (default 200). " +
    "`yes` probes the readiness probe's HTTP path. With `delivery argocd` it is an Argo CD `PostSync` hook (a failed smoke test marks the sync failed); in the Helm chart a `helm test`; otherwise a Job that runs once after apply.",
  syntax: "yes | no | /<path> [expect <status>] [on <port>]",
  example: "/ready expect 200",
  values: ["yes", "no"],
  keywords: { "/": ["expect", "on"], "#": ["on"] },
  numbers: [SMOKE_STATUS_RANGE],
  read: (ctx) =>
    single(ctx, (r): SmokeTestRead | undefined => {
      const start = r.peek();
      const range = (): SourceRange => ({ file: ctx.file, start: start!.start, end: ctx.member.end });
      let path: string | undefined;
      if (start?.kind === "Path") path = r.path();
      else {
        const w = r.oneOf(["yes", "no"] as const, "yes, no or a /path");
        if (!w) return undefined;
        if (w === "no") return { enabled: false, range: range() };
      }
      let expect: number | undefined;
      let port: Ref | undefined;
      while (!r.done) {
        if (r.accept("expect")) {
          expect = r.count(SMOKE_STATUS_RANGE);
          if (expect === undefined) return undefined;
        } else if (r.accept("on")) {
          port = r.word("a port name");
          if (!port) return undefined;
        } else return r.mismatch("expect or on", r.peek());
      }
      return { enabled: true, ...(path ? { path } : {}), ...(expect !== undefined ? { expect } : {}), ...(port ? { port } : {}), range: range() };
    }),
});

/** The platform's smoke-test image: a small curl image pinned by version (overridable, e.g. to the platform's registry). */
export const smokeImageField = field({
  doc: "The image the services' smoke tests run (`curl` and `sh` on its PATH, running as a non-root user): by default `curlimages/curl` pinned by version; name a copy in the platform's `registry` under compliance profiles that admit no other registry.",
  syntax: '"<image>"',
  example: '"registry.example.com/tools/curl:8.11.1"',
  read: (ctx) =>
    single(ctx, (r) => {
      const s = r.string("an image reference");
      if (s && !isImageRef(s.value)) ctx.report(diag("FIN3009", s.range, { image: s.value }));
      return s?.value;
    }),
});
