import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { SmokeTestRead } from "../semantic/schema/smoke-test-field.js";
import type { PlatformModel, PortModel, ServiceModel } from "./platform-model.js";

/**
 * Post-deploy smoke tests (issue 13 item 3): `smoke-test yes | /<path> [expect <status>] [on <port>]`
 * on a service, `smoke-image "<image>"` on the platform. A smoke test is a Job that calls the
 * service through its Service like any caller would (emit/smoke-tests): on the mesh with mTLS and
 * its own identity, admitted by the service's policies as a caller of that service only.
 */
export interface ServiceSmokeTest {
  readonly smokeTest?: { readonly path?: string; readonly expect: number; readonly port?: string; readonly origin: SourceRange };
}

export interface PlatformSmokeTests {
  /** `smoke-image "<image>"`: replaces DEFAULT_SMOKE_IMAGE. */
  readonly smokeImage?: string;
}

/** curl's own image (Alpine, curl and BusyBox sh, user curl_user 100), pinned by version. */
export const DEFAULT_SMOKE_IMAGE = "curlimages/curl:8.11.1";
/** The uid curlimages/curl runs as; restricted Pod Security needs a numeric non-root user. */
export const SMOKE_UID = 100;

export function lowerServiceSmokeTest(v: FieldValues): ServiceSmokeTest {
  const r = v.get<SmokeTestRead>("smoke-test");
  if (!r?.enabled) return {};
  return { smokeTest: { ...(r.path ? { path: r.path } : {}), expect: r.expect ?? 200, ...(r.port ? { port: r.port.name } : {}), origin: r.range } };
}

export function lowerPlatformSmokeTests(v: FieldValues): PlatformSmokeTests {
  const image = v.get<string>("smoke-image");
  return image ? { smokeImage: image } : {};
}

/** What a smoke test calls, resolved: the Service port, the path, the status; or why it cannot be built (FIN4079). */
export type SmokeTarget =
  | { readonly ok: true; readonly port: PortModel; readonly path: string; readonly expect: number; readonly origin: SourceRange }
  | { readonly ok: false; readonly why: string; readonly hint: string; readonly origin: SourceRange };

/**
 * The port is `on <port>`, else the readiness probe's, else the first http port; it must speak
 * HTTP (curl sends an HTTP/1.1 GET; a gRPC or TCP port answers nothing it can compare). The
 * path is the written one, else (`yes`) the readiness probe's HTTP path.
 */
export function smokeTarget(s: ServiceModel): SmokeTarget | undefined {
  const t = s.smokeTest;
  if (!t || s.workload) return undefined;
  if (smokeTestName(s).length > 63) return { ok: false, why: `its Job '${smokeTestName(s)}' would be longer than the 63 characters of a label value`, hint: "Shorten the service's name.", origin: t.origin };
  const readiness = s.probes.readiness;
  const httpReadiness = readiness && readiness.check === undefined && s.ports.find((p) => p.name === readiness.port)?.protocol === "http" ? readiness : undefined;
  const portName = t.port ?? (t.path ? undefined : httpReadiness?.port) ?? s.ports.find((p) => p.protocol === "http")?.name;
  const port = s.ports.find((p) => p.name === portName);
  if (t.port && !port) return { ok: false, why: `'${s.name}' has no port '${t.port}'`, hint: `Name one of its ports: ${s.ports.map((p) => p.name).join(", ")}.`, origin: t.origin };
  if (!port || port.protocol !== "http" || port.name === "metrics")
    return { ok: false, why: `'${s.name}' has no HTTP port to call${port ? ` ('${port.name}' is ${port.name === "metrics" ? "the metrics port, open to Prometheus only" : port.protocol})` : ""}`, hint: "A smoke test GETs a path on an http port; give the service one, or leave the test out (a gRPC service is checked by its grpc readiness probe).", origin: t.origin };
  const path = t.path ?? httpReadiness?.path;
  if (!path)
    return { ok: false, why: `'smoke-test yes' needs an HTTP readiness probe to take the path from, and '${s.name}' has ${readiness ? `a ${readiness.check} readiness probe` : "none"}`, hint: "Write the path: `smoke-test /ready`, or declare `probe readiness /ready`.", origin: t.origin };
  return { ok: true, port, path, expect: t.expect, origin: t.origin };
}

export function smokeImage(model: PlatformModel): string {
  return model.platform.smokeImage ?? DEFAULT_SMOKE_IMAGE;
}

/** The smoke test's Job and ServiceAccount: `<service>-smoke`. */
export const smokeTestName = (s: ServiceModel): string => `${s.name}-smoke`;
