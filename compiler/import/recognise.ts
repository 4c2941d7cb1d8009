import { diag } from "../diagnostics/messages.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Disposition, Found, FoundDatabase, FoundIssuer, FoundStore, FoundWorkload, Outcome, Unmapped, WorkloadDecl } from "./found.js";
import { isImageRef } from "../semantic/schema/common-fields.js";
import { inferCallsFromEnv } from "./infer-calls.js";
import { finName, isHost, isInt, isPath, isSchedule, isSize, SYSTEM_NAMESPACES } from "./names.js";
import { placeholderStore, SecretIndex, type Redaction } from "./secret-index.js";
import { proposePattern } from "./stdlib-patterns.js";
import { readWorkload, WORKLOAD_KINDS } from "./workloads.js";
import type { InputObject } from "./yaml-input.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const labelsOf = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, String(x)]));
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Objects finc emits itself from what the spec says: read, nothing to carry over. */
const BY_DESIGN: Readonly<Record<string, string>> = {
  ServiceAccount: "finc emits one ServiceAccount per workload",
  PodDisruptionBudget: "finc derives each workload's PodDisruptionBudget from its replicas",
  PeerAuthentication: "finc's mesh enforces STRICT mutual TLS in every namespace",
  Gateway: "finc emits the ingress Gateway from the services' `expose` lines",
  Certificate: "finc emits the certificates of `expose … tls`",
};

export interface Recognised {
  readonly found: Found;
  readonly diagnostics: Diagnostic[];
  readonly redactions: Redaction[];
}

/** Input objects → what finc models (found.ts), with one disposition per input object. */
export function recognise(objects: readonly InputObject[]): Recognised {
  const diagnostics: Diagnostic[] = [];
  const dispositions = new Map<InputObject, Disposition>();
  const dispose = (o: InputObject, outcome: Outcome, detail: string) => dispositions.set(o, { origin: o, outcome, detail });
  const unmappedObjects: Unmapped[] = [];
  const notMapped = (o: InputObject, why: string) => {
    dispose(o, "not mapped", why);
    unmappedObjects.push({ origin: o, pointer: "", value: o.value });
    diagnostics.push(diag("FIN6003", o.locate("/kind"), { kind: o.kind, name: o.name, why }));
  };
  const byKind = (k: string) => objects.filter((o) => o.kind === k);

  // Secret stores the input declares (External Secrets Operator).
  const stores: FoundStore[] = [];
  for (const o of [...byKind("SecretStore"), ...byKind("ClusterSecretStore")]) {
    const provider = obj(obj(o.value["spec"])["provider"]);
    const vault = obj(provider["vault"]);
    if (Object.keys(vault).length) {
      const role = obj(obj(obj(vault["auth"])["kubernetes"]))["role"];
      stores.push({ name: finName(o.name), provider: "vault", ...(typeof vault["server"] === "string" && /^https?:\/\/\S+$/.test(vault["server"]) ? { server: vault["server"] } : {}), ...(typeof vault["path"] === "string" ? { path: vault["path"] } : {}), ...(typeof role === "string" ? { role } : {}), placeholder: false });
      dispose(o, "mapped", `secretstore ${o.name}`);
    } else {
      const p = provider["aws"] ? "aws" : provider["gcpsm"] ? "gcp" : provider["azurekv"] ? "azure" : undefined;
      if (p) {
        stores.push({ name: finName(o.name), provider: p, placeholder: false });
        dispose(o, "partly mapped", `secretstore ${o.name} (provider ${p}; its auth settings are finc's)`);
      } else notMapped(o, "a secret store provider finc does not model");
    }
  }
  const placeholderName = () => {
    if (stores[0]) return stores[0].name;
    stores.push(placeholderStore("vault"));
    return "vault";
  };
  // An ExternalSecret naming a store the input does not declare: a placeholder store of that name.
  const storeNamed = (name: string) => {
    if (!stores.some((x) => x.name === name)) stores.push(placeholderStore(name));
    return name;
  };
  const secrets = new SecretIndex(objects, placeholderName, storeNamed);
  const configMaps = new Map(byKind("ConfigMap").map((o) => [`${o.namespace ?? "default"}/${o.name}`, o]));
  const usedConfigMaps = new Set<InputObject>();

  // Databases: CloudNativePG clusters.
  const databases: FoundDatabase[] = [];
  for (const o of byKind("Cluster").filter((c) => c.apiVersion.startsWith("postgresql.cnpg.io/"))) {
    const spec = obj(o.value["spec"]);
    const storage = obj(spec["storage"]);
    const image = String(spec["imageName"] ?? "");
    const major = /:(\d+)/.exec(image)?.[1];
    const dbName = obj(obj(obj(spec["bootstrap"])["initdb"]))["database"];
    const namespace = o.namespace ?? "default";
    databases.push({
      name: o.name, namespace, origin: o,
      ...(isInt(spec["instances"], 1, 100) ? { instances: spec["instances"] } : {}),
      storage: isSize(storage["size"]) ? storage["size"] : "10Gi",
      ...(typeof storage["storageClass"] === "string" ? { storageClass: storage["storageClass"] } : {}),
      ...(major ? { engineMajor: Number(major) } : {}),
      ...(typeof dbName === "string" && /^[a-z_][a-z0-9_]{0,62}$/.test(dbName) ? { databaseName: dbName } : {}),
      credentials: { store: placeholderName(), path: `${namespace}/${o.name}` },
    });
    dispose(o, "partly mapped", `database ${o.name} (instances, storage, engine; credentials: placeholder path in the store, the rest is finc's CloudNativePG defaults)`);
  }

  // Workloads, named after the one Service that selects them (callers address them by it).
  const services = byKind("Service");
  const workloads: FoundWorkload[] = [];
  const serviceOf = new Map<InputObject, FoundWorkload>();
  for (const o of objects.filter((x) => x.kind in WORKLOAD_KINDS)) {
    const podLabels = labelsOf(obj(obj(walk(o.value, WORKLOAD_KINDS[o.kind]!))["metadata"])["labels"]);
    const namespace = o.namespace ?? "default";
    const matching = services.filter((s) => (s.namespace ?? "default") === namespace && selects(labelsOf(obj(s.value["spec"])["selector"]), podLabels) && obj(s.value["spec"])["clusterIP"] !== "None");
    if (matching.length > 1) {
      diagnostics.push(diag("FIN6004", o.locate("/metadata/name"), { subject: `${o.kind} '${o.name}'`, candidates: `the Services ${matching.map((m) => `'${m.name}'`).join(", ")}`, choice: `'${matching[0]!.name}' (the others are left in comments)` }));
    }
    const container = obj(arr(obj(walk(o.value, [...WORKLOAD_KINDS[o.kind]!, "spec"]))["containers"])[0]);
    if (typeof container["image"] !== "string" || !container["image"]) {
      notMapped(o, "its first container has no image");
      continue;
    }
    if (!isImageRef(container["image"])) {
      notMapped(o, `its image '${container["image"]}' is not an image reference finc reads (registry/repository:tag or @sha256:digest)`);
      continue;
    }
    if (o.kind === "CronJob" && !isSchedule(obj(o.value["spec"])["schedule"])) {
      notMapped(o, "it has no schedule");
      continue;
    }
    // A Service needs a port finc can declare: the container's, or a numeric targetPort.
    const hasPort = arr(container["ports"]).some((p) => isInt(obj(p)["containerPort"], 1, 65535)) || matching.some((m) => arr(obj(m.value["spec"])["ports"]).some((p) => isInt(obj(p)["targetPort"], 1, 65535) && isInt(obj(p)["port"], 1, 65535)));
    const svc = (o.kind === "Deployment" || o.kind === "StatefulSet") && hasPort ? matching[0] : undefined;
    const decl: WorkloadDecl = o.kind === "CronJob" ? "cronjob" : o.kind === "Job" ? "job" : svc ? "service" : "worker";
    let name = svc?.name ?? o.name;
    // finc's declaration names are one namespace: a second workload (or a database) of the same name elsewhere gets its namespace appended.
    if (workloads.some((x) => finName(x.name) === finName(name)) || databases.some((d) => finName(d.name) === finName(name))) {
      const renamed = `${name}-${namespace}`;
      diagnostics.push(diag("FIN6004", o.locate("/metadata/name"), { subject: `${o.kind} '${o.namespace ?? "default"}/${o.name}'`, candidates: `the name '${finName(name)}', which another imported declaration has`, choice: `'${finName(renamed)}'` }));
      name = renamed;
    }
    const w = readWorkload(o, decl, name, { secrets, configMaps, usedConfigMaps });
    if (svc) {
      applyService(w, svc);
      serviceOf.set(svc, w);
      for (const other of matching.slice(1)) notMapped(other, `a second Service for ${o.kind} '${o.name}' (finc gives a workload one Service)`);
    }
    workloads.push(w);
  }
  for (const s of services) {
    if (dispositions.has(s)) continue;
    const w = serviceOf.get(s);
    if (w) dispose(s, "mapped", `service ${w.name}: ports ${w.ports.map((p) => `${p.name} ${p.port}`).join(", ")}${w.serviceType ? `, service-type ${w.serviceType}` : ""}`);
    else if (databases.some((d) => s.name.startsWith(d.name + "-"))) dispose(s, "mapped", `database ${databases.find((d) => s.name.startsWith(d.name + "-"))!.name} (finc emits its -rw/-ro Services)`);
    else if (obj(s.value["spec"])["clusterIP"] === "None") dispose(s, "mapped", "a headless Service: finc emits `<name>-pods` for `volume … per-replica`");
    else notMapped(s, "it selects no workload of the input");
  }
  const byName = new Map(workloads.map((w) => [`${w.namespace}/${w.name}`, w]));
  const workloadOfTarget = (namespace: string, kind: string, name: string) => workloads.find((w) => w.namespace === namespace && w.origin.kind === kind && w.origin.name === name);

  // Autoscaling.
  for (const o of byKind("HorizontalPodAutoscaler")) {
    const spec = obj(o.value["spec"]);
    const ref = obj(spec["scaleTargetRef"]);
    const w = workloadOfTarget(o.namespace ?? "default", String(ref["kind"]), String(ref["name"]));
    if (!w) {
      notMapped(o, `its target ${String(ref["kind"] ?? "(no kind)")} '${String(ref["name"] ?? "")}' is not in the input`);
      continue;
    }
    const targets: { cpu?: number; memory?: number } = {};
    let other = 0;
    for (const m of arr(spec["metrics"]).map(obj)) {
      const r = obj(m["resource"]);
      const u = obj(r["target"])["averageUtilization"];
      if (m["type"] === "Resource" && (r["name"] === "cpu" || r["name"] === "memory") && isInt(u, 1, 100)) targets[r["name"] as "cpu"] = u;
      else other++;
    }
    const min = spec["minReplicas"] === undefined ? 1 : spec["minReplicas"];
    if (!isInt(min, 0, 10000) || !isInt(spec["maxReplicas"], Math.max(1, min), 10000)) {
      notMapped(o, "its minReplicas/maxReplicas are not a range finc can take");
      continue;
    }
    w.autoscale = { min, max: spec["maxReplicas"], ...targets };
    dispose(o, other ? "partly mapped" : "mapped", `${w.decl} ${w.name}: replicas ${w.autoscale.min} to ${w.autoscale.max}${other ? ` (${other} metric${other > 1 ? "s" : ""} other than cpu/memory utilisation not kept: see \`scale on …\`)` : ""}`);
  }

  // Exposure: Ingresses and Istio gateway VirtualServices.
  const issuers: FoundIssuer[] = [];
  const issuer = (o: InputObject) => {
    const a = labelsOf(obj(o.value["metadata"])["annotations"]);
    const name = a["cert-manager.io/cluster-issuer"] ?? a["cert-manager.io/issuer"];
    const n = name ?? "letsencrypt";
    if (!issuers.some((i) => i.name === n)) issuers.push({ name: n, fromInput: name !== undefined });
    return n;
  };
  let ingress: Found["platform"]["ingress"];
  for (const o of byKind("Ingress")) {
    const spec = obj(o.value["spec"]);
    const tlsHosts = new Set(arr(spec["tls"]).flatMap((t) => arr(obj(t)["hosts"]).map(String)));
    const cls = String(spec["ingressClassName"] ?? labelsOf(obj(o.value["metadata"])["annotations"])["kubernetes.io/ingress.class"] ?? "nginx");
    ingress = cls.includes("traefik") ? "traefik" : "nginx";
    const mapped: string[] = [];
    let missed = 0;
    for (const rule of arr(spec["rules"]).map(obj)) {
      for (const p of arr(obj(rule["http"])["paths"]).map(obj)) {
        const backend = String(obj(obj(p["backend"])["service"])["name"] ?? "");
        const w = [...serviceOf.entries()].find(([s]) => s.name === backend && (s.namespace ?? "default") === (o.namespace ?? "default"))?.[1];
        if (!w || !isHost(rule["host"]) || (p["path"] !== undefined && !isPath(p["path"]))) {
          missed++;
          continue;
        }
        const host = rule["host"];
        const path = typeof p["path"] === "string" && p["path"] !== "/" ? p["path"] : undefined;
        w.expose.push({ host, ...(path ? { path } : {}), ...(tlsHosts.has(host) ? { tls: issuer(o) } : {}) });
        mapped.push(`${w.name} expose "${host}"${path ? ` path ${path}` : ""}`);
      }
    }
    if (!mapped.length) notMapped(o, "none of its rules routes a host to a Service of the input");
    else dispose(o, missed ? "partly mapped" : "mapped", mapped.join("; ") + (missed ? ` (${missed} path${missed > 1 ? "s" : ""} to Services outside the input not kept)` : ""));
  }
  const gatewayTls = new Map<string, InputObject>();
  for (const g of byKind("Gateway").filter((x) => x.apiVersion.startsWith("networking.istio.io/"))) {
    for (const s of arr(obj(g.value["spec"])["servers"]).map(obj)) if (obj(s["tls"])["credentialName"]) for (const h of arr(s["hosts"])) gatewayTls.set(String(h).replace(/^[^/]*\//, ""), g);
  }
  let mesh = objects.some((o) => o.apiVersion.includes("istio.io/"));
  for (const o of byKind("VirtualService")) {
    const spec = obj(o.value["spec"]);
    const gateways = arr(spec["gateways"]).map(String).filter((g) => g !== "mesh");
    const route = obj(arr(obj(arr(spec["http"])[0])["route"]).map(obj)[0]);
    const dest = String(obj(route["destination"])["host"] ?? "").split(".")[0]!;
    const w = byName.get(`${o.namespace ?? "default"}/${dest}`);
    if (!w || w.decl !== "service") {
      notMapped(o, `its destination '${dest}' is not a service of the input`);
      continue;
    }
    if (gateways.length) {
      ingress = "istio";
      const prefix = obj(obj(obj(arr(obj(arr(spec["http"])[0])["match"])[0])["uri"]))["prefix"];
      for (const host of arr(spec["hosts"]).filter(isHost)) {
        const g = gatewayTls.get(host);
        w.expose.push({ host, ...(isPath(prefix) && prefix !== "/" ? { path: prefix } : {}), ...(g ? { tls: issuer(g) } : {}) });
      }
      dispose(o, "mapped", `${w.name} expose ${arr(spec["hosts"]).map((h) => `"${String(h)}"`).join(", ")}`);
    } else dispose(o, "partly mapped", `finc emits ${w.name}'s own VirtualService; routing rules other than the destination are not kept`);
  }

  // The call graph: NetworkPolicies and AuthorizationPolicies, else env values naming a Service.
  const podsOf = (namespace: string, selector: Record<string, string>) => workloads.filter((w) => w.namespace === namespace && selects(selector, w.podLabels));
  const dbOf = (namespace: string, selector: Record<string, string>) => databases.find((d) => d.namespace === namespace && (selector["cnpg.io/cluster"] === d.name));
  const addCall = (from: FoundWorkload, to: string, reason: string, inferred: boolean) => {
    if (from.name === to || from.calls.some((c) => c.target === to)) return;
    from.calls.push({ target: to, reason, inferred });
  };
  let policyCalls = 0;
  for (const o of byKind("NetworkPolicy")) {
    const ns = o.namespace ?? "default";
    const spec = obj(o.value["spec"]);
    const selector = labelsOf(obj(spec["podSelector"])["matchLabels"]);
    const targets: string[] = [...podsOf(ns, selector).filter((w) => w.decl === "service").map((w) => w.name), ...(dbOf(ns, selector) ? [dbOf(ns, selector)!.name] : [])];
    const ingressRules = arr(spec["ingress"]).map(obj);
    if (!Object.keys(selector).length && !ingressRules.length) {
      dispose(o, "mapped", "default deny: finc denies every namespace's traffic by default");
      continue;
    }
    const edges: string[] = [];
    let other = 0;
    for (const r of ingressRules) for (const f of arr(r["from"]).map(obj)) {
      const ps = obj(f["podSelector"]);
      if (!Object.keys(ps).length || f["namespaceSelector"] !== undefined || f["ipBlock"] !== undefined) {
        other++;
        continue;
      }
      for (const src of podsOf(ns, labelsOf(ps["matchLabels"]))) for (const t of targets) {
        if (src.name === t) continue;
        addCall(src, t, `network-policy ${o.name}`, false);
        edges.push(`${src.name} → ${t}`);
        policyCalls++;
      }
    }
    const egress = arr(spec["egress"]).length;
    if (!edges.length && !targets.length) notMapped(o, "it selects no workload of the input");
    else dispose(o, other || egress ? "partly mapped" : "mapped", `calls ${edges.join(", ") || "(none)"}${other ? `; ${other} source${other > 1 ? "s" : ""} outside the input's workloads not kept (use \`egress\`/\`expose\`)` : ""}${egress ? "; egress rules: finc derives egress from calls and `egress` lines" : ""}`);
  }
  for (const o of byKind("AuthorizationPolicy")) {
    mesh = true;
    const ns = o.namespace ?? "default";
    const spec = obj(o.value["spec"]);
    const targets = podsOf(ns, labelsOf(obj(spec["selector"])["matchLabels"])).filter((w) => w.decl === "service");
    const edges: string[] = [];
    for (const r of arr(spec["rules"]).map(obj)) for (const f of arr(r["from"]).map(obj)) for (const p of arr(obj(f["source"])["principals"]).map(String)) {
      const m = /^cluster\.local\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(p);
      const srcs = m ? workloads.filter((w) => w.namespace === m[1] && w.serviceAccount === m[2]) : [];
      if (srcs.length > 1) {
        diagnostics.push(diag("FIN6004", o.locate("/spec/rules"), { subject: `The principal '${p}' of AuthorizationPolicy '${o.name}'`, candidates: `${srcs.length} workloads sharing service account '${m![2]}' (${srcs.map((w) => w.name).join(", ")})`, choice: "calls from each of them (finc gives every workload its own service account)" }));
      }
      for (const src of srcs) for (const t of targets) {
        if (src === t) continue;
        addCall(src, t.name, `authorization-policy ${o.name}`, false);
        edges.push(`${src.name} → ${t.name}`);
        policyCalls++;
      }
    }
    if (!targets.length) notMapped(o, "it selects no service of the input");
    else dispose(o, "mapped", `calls ${edges.join(", ") || "(none)"}`);
  }
  if (!policyCalls) inferCallsFromEnv(workloads, databases, services, serviceOf, addCall);
  // A database output read as a secret is a call to that database (finc opens exactly that path).
  for (const w of workloads) for (const s of w.secrets) if (s.source.type === "database") addCall(w, s.source.database, `secret ${s.env} from ${s.source.database}.${s.source.output}`, policyCalls === 0);

  // Monitoring.
  let monitoring = false;
  for (const o of [...byKind("ServiceMonitor"), ...byKind("PodMonitor")]) {
    const spec = obj(o.value["spec"]);
    const sel = labelsOf(obj(spec["selector"])["matchLabels"]);
    const ports = [...arr(spec["endpoints"]), ...arr(spec["podMetricsEndpoints"])].map((e) => String(obj(e)["port"] ?? ""));
    const ws = o.kind === "ServiceMonitor"
      ? [...serviceOf.entries()].filter(([s]) => selects(sel, labelsOf(obj(s.value["metadata"])["labels"]))).map(([, w]) => w)
      : workloads.filter((w) => selects(sel, w.podLabels));
    const hits = ws.filter((w) => w.ports.some((p) => p.name.startsWith("metrics") && ports.some((q) => q === p.name || p.name === `metrics-${q}` || q.includes("metric"))));
    if (!hits.length) {
      notMapped(o, "it scrapes no `metrics` port of a workload of the input");
      continue;
    }
    monitoring = true;
    for (const w of hits) w.metricsScraped = true;
    dispose(o, "mapped", `${hits.map((w) => w.name).join(", ")}: the \`metrics\` port (finc emits the ${o.kind}; path /metrics)`);
  }

  // The workloads' own rows, now that every part is known.
  for (const w of workloads) {
    w.pattern = proposePattern(w);
    const parts = [`${w.decl} ${finName(w.name)}`];
    if (w.name !== w.origin.name) parts.push(`named after its Service`);
    if (finName(w.name) !== w.name) parts.push(`renamed ${finName(w.name)} (finc names are DNS labels)`);
    if (w.overrides.length) parts.push(`${w.overrides.length} override line${w.overrides.length > 1 ? "s" : ""}`);
    if (w.unmapped.length) parts.push(`not mapped, in comments: ${w.unmapped.map((u) => u.pointer).join(", ")}`);
    dispose(w.origin, w.unmapped.length || w.overrides.length ? "partly mapped" : "mapped", parts.join("; ") + (w.overrides.length ? " (see override)" : ""));
  }
  for (const o of byKind("ConfigMap")) {
    if (usedConfigMaps.has(o)) dispose(o, "mapped", "config entries of the workloads that read it");
    else notMapped(o, "no workload reads it as env (mounted files are not mapped; see `config-mount`)");
  }
  for (const o of byKind("Secret")) {
    if (secrets.used.has(o)) dispose(o, "mapped", "secret placeholders (values NOT copied: move them to the store, FIN6001)");
    else {
      dispose(o, "not mapped", "no workload reads it as env; its values were not copied");
      const data = { ...obj(o.value["data"]), ...obj(o.value["stringData"]) };
      for (const k of Object.keys(data)) diagnostics.push(diag("FIN6001", o.locate(`/${"stringData" in o.value && k in obj(o.value["stringData"]) ? "stringData" : "data"}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`), { what: `Secret '${o.name}' key '${k}'`, env: k, store: placeholderName(), path: `${o.namespace ?? "default"}/${o.name}`, key: k }));
    }
  }
  for (const o of byKind("ExternalSecret")) dispose(o, secrets.used.has(o) ? "mapped" : "not mapped", secrets.used.has(o) ? "`secret … from <store> \"<path>\"` lines of the workloads that read it" : "no workload reads its target Secret as env");
  const namespaces = [...new Set([...workloads.map((w) => w.namespace), ...databases.map((d) => d.namespace)])].sort();
  for (const o of byKind("Namespace")) {
    if (!namespaces.includes(o.name)) namespaces.push(o.name);
    dispose(o, "mapped", `namespace ${o.name}`);
  }
  for (const o of objects) {
    if (dispositions.has(o)) continue;
    if (BY_DESIGN[o.kind]) dispose(o, "mapped", BY_DESIGN[o.kind]!);
    else notMapped(o, `finc has no declaration for a ${o.kind}`);
  }
  diagnostics.push(...secrets.diagnostics);
  const platformName = finName(namespaces.map(finName).find((n) => !SYSTEM_NAMESPACES.has(n)) ?? "imported");
  return {
    found: {
      platform: { name: platformName, environment: "prod", mesh, ...(ingress ? { ingress } : {}), monitoring },
      namespaces, workloads, databases, stores, issuers, unmappedObjects,
      dispositions: objects.map((o) => dispositions.get(o)!),
    },
    diagnostics,
    redactions: secrets.redactions,
  };
}

function uniquePortName(name: string, w: FoundWorkload): string {
  name = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
  const base = (/^(http|grpc|metrics|tcp)(-[a-z0-9-]+)?$/.test(name) ? name : name ? `tcp-${name}` : "tcp").slice(0, 12).replace(/-+$/, "");
  let out = base;
  for (let i = 2; w.ports.some((p) => p.name === out); i++) out = `${base}-${i}`;
  return out;
}

function walk(v: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((x, k) => obj(x)[k], v);
}

/** The Service's ports: callers' port → the container port (by number or name); its type. */
function applyService(w: FoundWorkload, s: InputObject): void {
  const spec = obj(s.value["spec"]);
  for (const p of arr(spec["ports"]).map(obj)) {
    const target = p["targetPort"] ?? p["port"];
    const i = w.ports.findIndex((q) => q.containerPort === target || q.name === target || (typeof target === "string" && q.name.endsWith(target)));
    if (!isInt(p["port"], 1, 65535)) continue;
    if (i >= 0) w.ports[i] = { ...w.ports[i]!, port: p["port"] };
    // A Service port to a container port the pod spec does not list (ports are informational there): finc lists it.
    else if (isInt(target, 1, 65535) && !w.ports.some((q) => q.containerPort === target)) w.ports.push({ name: uniquePortName(String(p["name"] ?? ""), w), port: p["port"], containerPort: target });
  }
  if (spec["type"] === "LoadBalancer") w.serviceType = "load-balancer";
  else if (spec["type"] === "NodePort") w.serviceType = "node-port";
}
