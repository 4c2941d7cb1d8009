import type { FoundPort, FoundProbe, FoundSecret, FoundWorkload, WorkloadDecl } from "./found.js";
import { leftovers } from "./leftovers.js";
import { ENV_NAME, isInt, isPath, isQuantity, isSchedule, isSize } from "./names.js";
import { looksSecret } from "./secret-looking.js";
import type { SecretIndex } from "./secret-index.js";
import { pointerOf, type InputObject } from "./yaml-input.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const WORKLOAD_KINDS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};

/** What finc sets itself on every pod (hardening, identity, scheduling spread, defaults): read by design, never carried over. */
const POD_BY_DESIGN = [
  /\/metadata\/(labels|annotations|name|namespace|creationTimestamp)(\/|$)/,
  /\/spec\/(securityContext|serviceAccountName|serviceAccount|automountServiceAccountToken|dnsPolicy|schedulerName|enableServiceLinks|topologySpreadConstraints)$/,
  /\/containers\/0\/(imagePullPolicy|securityContext|terminationMessagePath|terminationMessagePolicy|name|stdin|tty)$/,
  /\/spec\/restartPolicy$/,
];

/** Top-level object fields finc sets itself (bookkeeping, selectors, strategy, status). */
const OBJECT_BY_DESIGN = [
  /^\/(apiVersion|kind|status)$/,
  /^\/metadata(\/|$)/,
  /^\/spec\/(selector|revisionHistoryLimit|progressDeadlineSeconds|strategy|updateStrategy|podManagementPolicy|serviceName|minReadySeconds|persistentVolumeClaimRetentionPolicy)$/,
  /^\/spec\/jobTemplate\/metadata(\/|$)/,
  /^\/spec\/(jobTemplate\/spec\/)?template\/metadata$/,
];

export interface WorkloadContext {
  readonly secrets: SecretIndex;
  readonly configMaps: ReadonlyMap<string, InputObject>;
  readonly usedConfigMaps: Set<InputObject>;
}

const FIELD_REFS: Readonly<Record<string, string>> = {
  "metadata.name": "pod.name", "metadata.namespace": "pod.namespace", "metadata.uid": "pod.uid", "status.podIP": "pod.ip",
  "spec.serviceAccountName": "pod.service-account", "spec.nodeName": "node.name", "status.hostIP": "node.ip",
};

/** One Deployment/StatefulSet/Job/CronJob → a finc workload (its first container; the rest are left over). */
export function readWorkload(o: InputObject, decl: WorkloadDecl, name: string, ctx: WorkloadContext): FoundWorkload {
  const tpl = WORKLOAD_KINDS[o.kind]!;
  const read = new Set<string>();
  const at = (...p: (string | number)[]) => {
    read.add(pointerOf(p));
    return p;
  };
  const get = (path: readonly (string | number)[]): unknown => path.reduce<unknown>((v, k) => (v === undefined || v === null ? undefined : (v as Obj)[k as string]), o.value);
  const podPath = [...tpl, "spec"];
  const pod = obj(get(podPath));
  const c0Path = [...podPath, "containers", 0];
  const c = obj(get(c0Path));
  const namespace = o.namespace ?? "default";
  const w: FoundWorkload = {
    decl, name, namespace, origin: o,
    image: String(c["image"] ?? ""),
    ports: [], probes: [], config: [], secrets: [], writable: [], calls: [], expose: [], env: [], init: [],
    metricsScraped: false, overrides: [], unmapped: [],
    podLabels: Object.fromEntries(Object.entries(obj(obj(get([...tpl, "metadata"]))["labels"])).map(([k, v]) => [k, String(v)])),
    serviceAccount: String(pod["serviceAccountName"] ?? pod["serviceAccount"] ?? "default"),
  };
  at(...c0Path, "image");

  // Ports: the container's; a Service later sets the port callers use (recognise.ts).
  arr(c["ports"]).forEach((p, i) => {
    const q = obj(p);
    if (!isInt(q["containerPort"], 1, 65535)) return;
    at(...c0Path, "ports", i);
    w.ports.push({ name: portName(typeof q["name"] === "string" ? q["name"] : "", q["containerPort"], w.ports), port: q["containerPort"], containerPort: q["containerPort"] });
  });

  // Env: literal → config (or a secret placeholder when it looks like one); refs → config values / secret sources.
  arr(c["env"]).forEach((e, i) => {
    const q = obj(e);
    const key = String(q["name"] ?? "");
    const base = pointerOf([...c0Path, "env", i]);
    if (!ENV_NAME.test(key)) return; // finc's env names are identifiers: left over, see below
    if (typeof q["value"] === "string" || typeof q["value"] === "number" || typeof q["value"] === "boolean" || (!("valueFrom" in q) && q["value"] === undefined)) {
      const value = String(q["value"] ?? "");
      if (looksSecret(key, value)) w.secrets.push({ env: key, source: ctx.secrets.literalEnv(o, base, namespace, name, key) });
      else if (value.includes("${") || value.includes("$(")) return; // finc interpolates `${…}`, Kubernetes `$(…)`: left over, see below
      else w.config.push({ key, value });
      read.add(base);
      return;
    }
    const from = obj(q["valueFrom"]);
    const cm = obj(from["configMapKeyRef"]);
    const sk = obj(from["secretKeyRef"]);
    const fr = obj(from["fieldRef"]);
    const rr = obj(from["resourceFieldRef"]);
    if (cm["name"]) {
      const m = ctx.configMaps.get(`${namespace}/${cm["name"]}`);
      const value = obj(m?.value["data"])[String(cm["key"])];
      if (m === undefined || typeof value !== "string" || value.includes("${")) return;
      ctx.usedConfigMaps.add(m);
      if (looksSecret(key, value)) w.secrets.push({ env: key, source: ctx.secrets.literalEnv(m, pointerOf(["data", String(cm["key"])]), namespace, name, key, "") });
      else w.config.push({ key, value });
    } else if (sk["name"]) {
      w.secrets.push({ env: key, source: ctx.secrets.resolve(namespace, String(sk["name"]), String(sk["key"]), key) });
    } else if (fr["fieldPath"] && FIELD_REFS[String(fr["fieldPath"])]) {
      w.env.push({ name: key, from: FIELD_REFS[String(fr["fieldPath"])]! });
    } else if (rr["resource"] && /^(requests|limits)\.(cpu|memory|ephemeral-storage)$/.test(String(rr["resource"]))) {
      w.env.push({ name: key, from: String(rr["resource"]) });
    } else return;
    read.add(base);
  });
  arr(c["envFrom"]).forEach((e, i) => {
    const q = obj(e);
    const cmRef = obj(q["configMapRef"]);
    const sRef = obj(q["secretRef"]);
    if (cmRef["name"]) {
      const m = ctx.configMaps.get(`${namespace}/${cmRef["name"]}`);
      if (!m) return;
      const data = Object.entries(obj(m.value["data"]));
      if (data.some(([, v]) => typeof v !== "string" || v.includes("${"))) return;
      ctx.usedConfigMaps.add(m);
      if (data.some(([k]) => !ENV_NAME.test(k))) return;
      for (const [k, v] of data) {
        if (w.config.some((c) => c.key === k) || w.secrets.some((x) => x.env === k)) continue; // env overrides envFrom
        if (looksSecret(k, String(v))) w.secrets.push({ env: k, source: ctx.secrets.literalEnv(m, `/data/${k}`, namespace, name, k, "") });
        else w.config.push({ key: k, value: String(v) });
      }
      at(...c0Path, "envFrom", i);
    }
    void sRef; // a whole Secret as env: its keys are not known without its values; left over
  });

  // Resources: request to limit, in the input's units.
  const res = obj(c["resources"]);
  for (const [r, field] of [["cpu", "cpu"], ["memory", "memory"], ["ephemeral-storage", "ephemeral"]] as const) {
    const rq = obj(res["requests"])[r];
    const lm = obj(res["limits"])[r];
    const ok = (v: unknown) => (r === "cpu" ? isQuantity(v) : isSize(v));
    const request = ok(rq) ? rq : undefined;
    const limit = ok(lm) ? lm : undefined;
    if (request === undefined && limit === undefined) continue;
    if (request !== undefined) at(...c0Path, "resources", "requests", r);
    if (limit !== undefined) at(...c0Path, "resources", "limits", r);
    w[field] = { ...(request !== undefined ? { request: String(request) } : {}), ...(limit !== undefined ? { limit: String(limit) } : {}) };
  }

  // Probes.
  for (const kind of ["readiness", "liveness", "startup"] as const) {
    const p = obj(c[`${kind}Probe`]);
    if (!Object.keys(p).length) continue;
    const probe = readProbe(kind, p, w.ports);
    if (probe) {
      w.probes.push(probe);
      at(...c0Path, `${kind}Probe`);
    }
  }

  // The pod: user, grace, volumes (emptyDir → writable, a claim template → volume).
  const user = obj(c["securityContext"])["runAsUser"] ?? obj(pod["securityContext"])["runAsUser"];
  if (isInt(user, 1) && user !== 10001) w.user = user;
  if (isInt(pod["terminationGracePeriodSeconds"], 1, 3600)) {
    at(...podPath, "terminationGracePeriodSeconds");
    if (pod["terminationGracePeriodSeconds"] !== 30) w.grace = pod["terminationGracePeriodSeconds"];
  }
  const volumes = arr(pod["volumes"]).map(obj);
  const claims = o.kind === "StatefulSet" ? arr(obj(o.value["spec"])["volumeClaimTemplates"]).map(obj) : [];
  arr(c["volumeMounts"]).forEach((m, i) => {
    const q = obj(m);
    const vi = volumes.findIndex((v) => v["name"] === q["name"]);
    const v = volumes[vi];
    const mountPath = String(q["mountPath"] ?? "");
    if (v && "emptyDir" in v && Object.keys(obj(v["emptyDir"])).every((k) => k === "sizeLimit") && mountPath !== "/tmp" && isPath(mountPath) && mountPath !== "/") {
      w.writable.push(mountPath);
      at(...podPath, "volumes", vi);
      at(...c0Path, "volumeMounts", i);
    } else if (v && "emptyDir" in v && mountPath === "/tmp") {
      at(...podPath, "volumes", vi); // finc gives every pod a writable /tmp
      at(...c0Path, "volumeMounts", i);
    } else if (!v) {
      const ci = claims.findIndex((t) => obj(t["metadata"])["name"] === q["name"]);
      const t = claims[ci];
      if (t && !w.volume) {
        const spec = obj(t["spec"]);
        const size = obj(obj(spec["resources"])["requests"])["storage"];
        if (isSize(size) && isPath(mountPath) && mountPath !== "/") {
          w.volume = { path: mountPath, size, perReplica: true, ...(typeof spec["storageClassName"] === "string" ? { storageClass: spec["storageClassName"] } : {}) };
          at("spec", "volumeClaimTemplates", ci);
          at(...c0Path, "volumeMounts", i);
        }
      }
    }
  });

  // Replicas and the batch fields.
  const spec = obj(o.value["spec"]);
  if (isInt(spec["replicas"], 0, 10000)) {
    w.replicas = spec["replicas"];
    at("spec", "replicas");
  }
  if (o.kind === "CronJob") {
    const take = <T>(k: string, f: (v: unknown) => T | undefined): T | undefined => {
      if (spec[k] === undefined) return undefined;
      const v = f(spec[k]);
      if (v !== undefined) at("spec", k);
      return v;
    };
    w.schedule = take("schedule", (v) => (isSchedule(v) ? v : undefined));
    w.timezone = take("timeZone", (v) => (typeof v === "string" ? v : undefined));
    w.concurrency = take("concurrencyPolicy", (v) => ({ Forbid: "forbid", Replace: "replace", Allow: "allow" } as const)[String(v) as "Forbid"]);
    w.suspend = take("suspend", (v) => (typeof v === "boolean" ? v : undefined));
    w.startingDeadline = take("startingDeadlineSeconds", (v) => (isInt(v, 10, 86400) ? v : undefined));
    const successful = take("successfulJobsHistoryLimit", (v) => (isInt(v, 0, 100) ? v : undefined));
    const failed = take("failedJobsHistoryLimit", (v) => (isInt(v, 1, 100) ? v : undefined));
    if (successful !== undefined || failed !== undefined) w.history = { ...(successful !== undefined ? { successful } : {}), ...(failed !== undefined ? { failed } : {}) };
  }
  if (o.kind === "CronJob" || o.kind === "Job") {
    const jobPath = o.kind === "CronJob" ? ["spec", "jobTemplate", "spec"] : ["spec"];
    const job = obj(get(jobPath));
    if (isInt(job["backoffLimit"], 0, 100)) (w.backoff = job["backoffLimit"]), at(...jobPath, "backoffLimit");
    if (isInt(job["activeDeadlineSeconds"], 1, 31536000)) (w.deadline = job["activeDeadlineSeconds"]), at(...jobPath, "activeDeadlineSeconds");
    if (pod["restartPolicy"] === "OnFailure") w.restart = "on-failure";
    if (isInt(job["ttlSecondsAfterFinished"], 1, 31536000)) (w.ttl = job["ttlSecondsAfterFinished"]), at(...jobPath, "ttlSecondsAfterFinished");
  }

  // Init containers that are an image and a command (finc hardens them and gives them the app's env and resources).
  arr(pod["initContainers"]).forEach((ic, i) => {
    const q = obj(ic);
    const run = [...arr(q["command"]), ...arr(q["args"])].map(String);
    const known = Object.keys(q).every((k) => ["name", "image", "command", "args", "imagePullPolicy", "securityContext", "resources", "terminationMessagePath", "terminationMessagePolicy"].includes(k));
    if (!known || !run.length || typeof q["image"] !== "string") return;
    w.init.push({ image: q["image"], run });
    at(...podPath, "initContainers", i);
  });

  // Scheduling constraints finc has no field for, but an override can carry.
  const prefix = o.kind === "CronJob" ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
  const target = `${o.kind.toLowerCase()}/${name}`;
  const from = `document ${o.doc} ${pointerOf(podPath)}`;
  for (const [k, v] of Object.entries(obj(pod["nodeSelector"]))) w.overrides.push({ target, line: `${prefix}.nodeSelector ${quote(k)} ${quote(String(v))}`, from: `${from}/nodeSelector` });
  if (pod["nodeSelector"] !== undefined) at(...podPath, "nodeSelector");
  const tolerations = arr(pod["tolerations"]).map(obj);
  if (tolerations.length && tolerations.every((t) => Object.values(t).every((v) => typeof v === "string"))) {
    at(...podPath, "tolerations");
    for (const t of tolerations) w.overrides.push({ target, line: `${prefix}.tolerations append {\n${Object.entries(t).map(([k, v]) => `${k} ${quote(String(v))}`).join("\n")}\n}`, from: `${from}/tolerations` });
  }

  for (const l of leftovers(o.value, [], read, [...OBJECT_BY_DESIGN, ...POD_BY_DESIGN])) w.unmapped.push({ origin: o, pointer: l.pointer, value: l.value });
  return w;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** finc port names start with http, grpc, metrics or tcp (the protocol); others get one from their name. */
function portName(name: string, port: number, taken: readonly FoundPort[]): string {
  const n = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
  let base = /^(http|grpc|metrics|tcp)(-|$)/.test(n) ? n : /grpc/.test(n) ? "grpc" : /metric|prom/.test(n) ? "metrics" : /http|web|api/.test(n) ? "http" : n === "" && (port === 80 || port === 8080) ? "http" : "tcp";
  if (base !== n && n && !/^(http|grpc|metrics|tcp)$/.test(base + "-" + n)) base = `${base}-${n}`.replace(/[^a-z0-9-]/g, "-").slice(0, 15).replace(/-+$/, "");
  base = base.slice(0, 12).replace(/-+$/, ""); // a port name is at most 15 characters (IANA service name), with room for -N
  let out = base;
  for (let i = 2; taken.some((p) => p.name === out); i++) out = `${base}-${i}`;
  return out;
}

function readProbe(kind: FoundProbe["kind"], p: Record<string, unknown>, ports: readonly FoundPort[]): FoundProbe | undefined {
  const timing = {
    ...(isInt(p["initialDelaySeconds"], 1, 3600) ? { after: p["initialDelaySeconds"] } : {}),
    ...(isInt(p["periodSeconds"], 1, 3600) ? { every: p["periodSeconds"] } : {}),
    ...(isInt(p["timeoutSeconds"], 1, 3600) ? { timeout: p["timeoutSeconds"] } : {}),
    ...(isInt(p["failureThreshold"], 1, 1000) ? { failures: p["failureThreshold"] } : {}),
  };
  const onPort = (v: unknown): string | undefined | false => {
    const port = typeof v === "number" ? ports.find((q) => q.containerPort === v) : ports.find((q) => q.name === v || q.name.endsWith(String(v)));
    if (!port) return false;
    return port === ports[0] ? undefined : port.name;
  };
  const http = obj(p["httpGet"]);
  const tcp = obj(p["tcpSocket"]);
  const grpc = obj(p["grpc"]);
  const exec = obj(p["exec"]);
  let handler: FoundProbe["handler"];
  let portRef: unknown;
  if (Object.keys(http).length) {
    if (http["httpHeaders"] !== undefined || (http["scheme"] && http["scheme"] !== "HTTP")) return undefined;
    if (http["path"] !== undefined && !isPath(http["path"])) return undefined;
    handler = { type: "http", path: typeof http["path"] === "string" ? http["path"] : "/" };
    portRef = http["port"];
  } else if (Object.keys(tcp).length) {
    handler = { type: "tcp" };
    portRef = tcp["port"];
  } else if (Object.keys(grpc).length) {
    handler = { type: "grpc", ...(typeof grpc["service"] === "string" && grpc["service"] ? { service: grpc["service"] } : {}) };
    portRef = grpc["port"];
  } else if (Array.isArray(exec["command"]) && exec["command"].length && exec["command"].every((x) => typeof x === "string")) {
    return { kind, handler: { type: "exec", command: exec["command"].map(String) }, ...timing };
  } else return undefined;
  const on = onPort(portRef);
  if (on === false) return undefined;
  return { kind, handler, ...(on ? { on } : {}), ...timing };
}

export type { FoundSecret };
