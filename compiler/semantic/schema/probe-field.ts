import type { Atom } from "../../syntax/ast.js";
import { eachTerm, type Ref, type TermReader } from "../readers.js";
import { readCommand } from "./command.js";
import { field } from "./field-spec.js";
import { RANGES } from "./value-ranges.js";

export type ProbeKind = "readiness" | "liveness" | "startup" | "health";

/** One `probe` term as read; lower.ts turns it into model Probes. */
export interface ProbeRead {
  readonly kind: ProbeKind;
  /** `/path`: http (gRPC health on a gRPC port, TCP on a tcp port), as before. */
  readonly path: string;
  readonly check?: "tcp" | "grpc" | "exec";
  readonly command?: readonly string[];
  readonly grpcService?: string;
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
  readonly port?: Ref;
  readonly timing?: ProbeTimingRead;
}

export interface ProbeTimingRead {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

/** An HTTP header name is an RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const OPTIONS = ["on", "header", "after", "every", "timeout", "failures"] as const;

function readHeader(r: TermReader): { name: string; value: string } | undefined {
  const a = r.peek();
  const s = r.string('a header "<name>: <value>"');
  if (!s) return undefined;
  const colon = s.value.indexOf(":");
  const name = colon > 0 ? s.value.slice(0, colon).trim() : "";
  if (!HEADER_NAME.test(name)) return void r.mismatch('a header "<name>: <value>"', a, 'Write `header "X-Probe: kubelet"`: a header name (letters, digits, -), a colon, the value.');
  return { name, value: s.value.slice(colon + 1).trim() };
}

/** `<kind> (/<path> | tcp | grpc ["<service>"] | exec "<cmd>") [on <port>] [header "<n>: <v>"]… [after <d>] [every <d>] [timeout <d>] [failures <n>]`. */
function readProbe(r: TermReader): ProbeRead | undefined {
  const kind = r.oneOf(["readiness", "liveness", "startup", "health"] as const, "probe kind");
  if (!kind) return undefined;
  let path = "/";
  let check: ProbeRead["check"];
  let command: string[] | undefined;
  let grpcService: string | undefined;
  const first = r.peek();
  if (first?.kind === "Path") path = r.path()!;
  else {
    const w = r.oneOf(["tcp", "grpc", "exec"] as const, "probe check (a /path, tcp, grpc or exec)");
    if (!w) return undefined;
    check = w;
    if (w === "exec") {
      command = readCommand(r, 'the command, exec "<cmd>" or exec ["<arg>", …]');
      if (!command) return undefined;
    } else if (w === "grpc" && r.peek()?.kind === "String") grpcService = r.string()!.value;
  }
  const headers: { name: string; value: string }[] = [];
  const timing: { -readonly [K in keyof ProbeTimingRead]: ProbeTimingRead[K] } = {};
  let port: Ref | undefined;
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
  for (let a: Atom | undefined = r.peek(); a; a = r.peek()) {
    const w = a.kind === "Word" && a.parts.length === 1 ? a.parts[0]!.text : "";
    if (!(OPTIONS as readonly string[]).includes(w)) return void r.mismatch(`one of ${OPTIONS.join(", ")}`, a);
    if (w === "on" && check === "exec") return void r.mismatch("header, after, every, timeout or failures (an exec probe runs in the container, on no port)", a);
    if (w === "header" && (check !== undefined)) return void r.mismatch("on, after, every, timeout or failures (a header belongs to an http /path probe)", a);
    r.next();
    if (w === "on") {
      port = r.word("a port name");
      if (!port) return undefined;
    } else if (w === "header") {
      const h = readHeader(r);
      if (!h) return undefined;
      headers.push(h);
    } else if (w === "failures") {
      const n = r.count(RANGES.probeFailures);
      if (n === undefined) return undefined;
      timing.failureThreshold = n;
    } else {
      const range = w === "after" ? RANGES.probeDelay : w === "every" ? RANGES.probePeriod : RANGES.probeTimeout;
      const s = seconds(r.duration(range));
      if (s === undefined) return undefined;
      timing[w === "after" ? "initialDelaySeconds" : w === "every" ? "periodSeconds" : "timeoutSeconds"] = s;
    }
  }
  return {
    kind,
    path,
    ...(check ? { check } : {}),
    ...(command ? { command } : {}),
    ...(grpcService ? { grpcService } : {}),
    ...(headers.length ? { headers } : {}),
    ...(port ? { port } : {}),
    ...(Object.keys(timing).length ? { timing } : {}),
  };
}

export const probeField = field({
  doc: "Health checks: `probe readiness /ready, liveness /healthz, startup /healthz`, or `probe health /healthz` for all three. A path is an HTTP GET (gRPC ports use the gRPC health protocol); `tcp` connects, `grpc [\"<service>\"]` asks the gRPC health service, `exec \"<cmd>\"` runs a command in the container (split like a POSIX shell, or a list). `on <port>` probes another port; `header \"X-Probe: kubelet\"` adds a header to an HTTP probe; `after 10s every 5s timeout 2s failures 3` set the initial delay, period, timeout and failure threshold (defaults: every 10s timeout 2s failures 3; startup every 5s failures 30).",
  syntax: '<readiness|liveness|startup|health> (/<path> | tcp | grpc ["<service>"] | exec "<command>") [on <port>] [header "<name>: <value>"]… [after <d>] [every <d>] [timeout <d>] [failures <n>], …',
  example: "readiness /ready, liveness /healthz",
  values: ["readiness", "liveness", "startup", "health"],
  keywords: { readiness: ["tcp", "grpc", "exec"], liveness: ["tcp", "grpc", "exec"], startup: ["tcp", "grpc", "exec"], health: ["tcp", "grpc", "exec"], "/": [...OPTIONS] },
  units: ["s", "m"],
  numbers: [RANGES.probeDelay, RANGES.probePeriod, RANGES.probeTimeout, RANGES.probeFailures],
  read: (ctx) => eachTerm(ctx, (r) => readProbe(r)),
});

