import { stringify } from "yaml";
import type { Found, FoundDatabase, FoundProbe, FoundSecret, FoundWorkload, Unmapped } from "./found.js";
import { containsCredential, looksSecret } from "./secret-looking.js";
import { cpuQuantity, ENV_NAME, finName, SYSTEM_NAMESPACES } from "./names.js";
import { pointerSegments } from "./yaml-input.js";

/**
 * What was found → .fin source text (not yet canonical: the caller runs it through the
 * formatter). Everything the input says that finc has no field for is here too: an `override`
 * block, or a comment block with the YAML and where it came from (file, document, JSON pointer).
 */
export function writeFin(found: Found, inputs: readonly string[], shown: (file: string) => string = (f) => f): string {
  display = shown;
  const out: string[] = [];
  const ns = (n: string) => (SYSTEM_NAMESPACES.has(finName(n)) ? found.platform.name : finName(n));
  const p = found.platform;
  out.push(`// Imported by \`finc import\` from ${inputs.join(", ")}: ${found.dispositions.length} objects, one environment.`);
  out.push("// Review each TODO; the import table printed by `finc import` lists what became of every input object.");
  out.push("");
  out.push(`/// Imported from existing manifests.`);
  out.push(`platform ${p.name} {`);
  out.push(`  environments ${p.environment}  // TODO: the input is one environment; add the others and their \`environment\` overrides`);
  out.push(`  // TODO: cloud aws|gcp|azure|onprem, regions, compliance: the manifests do not say`);
  if (p.mesh) out.push("  mesh istio sidecar cni  // the input has Istio objects");
  if (p.ingress) out.push(`  ingress ${p.ingress}`);
  if (p.monitoring) out.push("  monitoring prometheus  // the input has ServiceMonitors/PodMonitors");
  out.push("}");
  for (const n of [...new Set(found.namespaces.map(ns))]) {
    out.push("", `namespace ${n} {`, "  security restricted", "}");
    const system = found.namespaces.filter((x) => SYSTEM_NAMESPACES.has(finName(x)));
    if (n === found.platform.name && system.length) out.push(`// The input's objects without a namespace or in ${system.join(", ")} (Kubernetes' own, which finc does not declare) are in namespace ${n}.`);
  }
  for (const s of found.stores.filter((x, i, all) => all.findIndex((y) => y.name === x.name) === i)) {
    out.push("");
    if (s.placeholder) out.push("/// TODO: the store for the input's literal Secret values, which finc import did not copy (FIN6001): put each value at its path, then set the server.");
    out.push(`secretstore ${s.name} {`, `  provider ${s.provider}`);
    if (s.server) out.push(`  server ${q(s.server)}`);
    else if (s.provider === "vault") out.push(`  server "https://vault.example.com:8200"  // TODO: the input's store names no server`);
    if (s.path) out.push(`  path ${q(s.path)}`);
    if (s.role) out.push(`  role ${q(s.role)}`);
    out.push("}");
  }
  for (const i of found.issuers) {
    out.push("", i.fromInput ? "/// The cert-manager issuer the input's TLS annotations name." : "/// TODO: the input's TLS hosts name no cert-manager issuer; this one is a placeholder.");
    out.push(`issuer ${i.name} {`, `  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"  // TODO: your ACME account`, "}");
  }
  for (const w of found.workloads) out.push("", ...workload(w, ns));
  for (const d of found.databases) out.push("", ...database(d, ns));
  if (found.unmappedObjects.length) {
    out.push("", "// ---------------------------------------------------------------------------------------------");
    out.push("// finc import: input objects NOT MAPPED (finc has no declaration for them). Port them by hand or keep applying them outside finc.");
    for (const u of found.unmappedObjects) out.push("", ...commentBlock(u));
  }
  return out.join("\n") + "\n";
}

function workload(w: FoundWorkload, ns: (n: string) => string): string[] {
  const out: string[] = [];
  const o = w.origin;
  out.push(`/// Imported from ${o.kind} ${o.namespace ?? "default"}/${o.name} (${display(o.file)}, document ${o.doc}).`);
  if (w.pattern) out.push(`// stdlib: this looks like \`fintech/${w.pattern.name}\` (${w.pattern.why}): consider \`import "fintech/${w.pattern.name}"\` and \`${w.decl} ${finName(w.name)} is ${w.pattern.name}\`, then delete the fields it sets.`);
  out.push(`${w.decl} ${finName(w.name)} {`);
  const f = (line: string) => out.push("  " + line);
  f(`namespace ${ns(w.namespace)}`);
  f(`image ${q(w.image)}`);
  const notes: string[] = [];
  if (w.decl === "service") {
    if (w.ports.length) f(`port ${w.ports.map((p) => `${p.name} ${p.port}${p.port !== p.containerPort ? ` -> ${p.containerPort}` : ""}`).join(", ")}`);
    if (w.serviceType) f(`service-type ${w.serviceType}`);
  } else if (w.decl === "worker") {
    const metrics = w.ports.find((p) => p.name.startsWith("metrics"));
    if (metrics) f(`metrics ${metrics.containerPort}`);
    const health = w.probes.find((p) => p.handler.type === "http" && p.kind !== "startup");
    const healthPort = health ? w.ports.find((p) => p.name === health.on) ?? w.ports[0] : undefined;
    if (health && healthPort && health.handler.type === "http") f(`health ${healthPort.containerPort} ${health.handler.path}`);
    for (const p of w.ports) if (p !== metrics && p !== healthPort) notes.push(`port ${p.name} ${p.containerPort}: a worker has no Service (only \`metrics\` and \`health\`)`);
    for (const p of w.probes) if (p !== health) notes.push(`${p.kind} probe (${p.handler.type}): a worker's only probe is \`health <port> /<path>\``);
  }
  if (w.schedule) f(`schedule ${q(w.schedule)}`);
  if (w.timezone) f(`timezone ${q(w.timezone)}`);
  if (w.concurrency && w.concurrency !== "forbid") f(`concurrency ${w.concurrency}`);
  else if (!w.concurrency && w.decl === "cronjob") f("concurrency allow  // Kubernetes' default; finc's is forbid (no overlapping runs)");
  if (w.startingDeadline !== undefined) f(`starting-deadline ${duration(w.startingDeadline)}`);
  if (w.history) f(`history ${[w.history.successful !== undefined ? `successful ${w.history.successful}` : "", w.history.failed !== undefined ? `failed ${w.history.failed}` : ""].filter(Boolean).join(", ")}`);
  if (w.suspend) f("suspend yes");
  if (w.backoff !== undefined) f(`backoff ${w.backoff}`);
  if (w.deadline !== undefined) f(`timeout ${duration(w.deadline)}`);
  if (w.restart) f(`restart ${w.restart}`);
  if (w.ttl !== undefined) f(`ttl ${duration(w.ttl)}`);
  for (const i of w.init) f(`init ${q(i.image)} run [${i.run.map(q).join(", ")}]`);
  if (w.autoscale) {
    const at = [w.autoscale.cpu !== undefined ? `cpu ${w.autoscale.cpu}%` : "", w.autoscale.memory !== undefined ? `memory ${w.autoscale.memory}%` : ""].filter(Boolean).join(", ");
    f(`replicas ${w.autoscale.min} to ${w.autoscale.max}${at ? ` at ${at}` : ""}`);
  } else if (w.replicas !== undefined && w.decl !== "cronjob" && w.decl !== "job") f(`replicas ${w.replicas}`);
  for (const [field, r] of [["cpu", w.cpu], ["memory", w.memory], ["ephemeral-storage", w.ephemeral]] as const) {
    if (!r) continue;
    const one = r.request ?? r.limit!;
    const qty = (v: string) => (field === "cpu" ? cpuQuantity(v) : v);
    f(`${field} ${r.request && r.limit && r.request !== r.limit ? `${qty(r.request)} to ${qty(r.limit)}` : qty(one)}${r.request && !r.limit ? "  // the input set no limit; finc caps at the request" : ""}`);
  }
  if (w.decl === "service" && w.probes.length) f(`probe ${w.probes.map(probe).join(", ")}`);
  if (w.user !== undefined) f(`user ${w.user}`);
  if (w.grace !== undefined) f(`grace ${duration(w.grace)}`);
  if (w.writable.length) f(`writable ${w.writable.join(", ")}`);
  if (w.volume) f(`volume ${w.volume.path} ${w.volume.size}${["fast", "standard", "archive"].includes(w.volume.storageClass ?? "") ? ` ${w.volume.storageClass}` : ""} per-replica${w.volume.storageClass && !["fast", "standard", "archive"].includes(w.volume.storageClass) ? `  // storage class ${w.volume.storageClass} in the input: finc's encrypted classes are fast, standard, archive` : ""}`);
  if (w.config.length) {
    f("config {");
    for (const c of w.config) f(`  ${c.key} = ${q(c.value)}`);
    f("}");
  }
  for (const s of w.secrets) f(secret(s));
  if (w.env.length) f(`env ${w.env.map((e) => `${e.name} from ${e.from}`).join(", ")}`);
  for (const e of w.expose) f(`expose ${q(e.host)}${e.path ? ` path ${e.path}` : ""}${e.tls ? ` tls ${e.tls}` : ""}`);
  if (w.calls.length) {
    const inferred = w.calls.filter((c) => c.inferred);
    f(`calls ${w.calls.map((c) => finName(c.target)).join(", ")}${inferred.length ? `  // inferred from ${inferred.map((c) => `${c.reason} (${c.target})`).join(", ")}` : ""}`);
  }
  for (const n of notes) f(`// not mapped: ${n}`);
  out.push("}");
  if (w.overrides.length) {
    const kind = w.decl === "cronjob" ? "cronjob" : w.decl === "job" ? "job" : w.volume ? "statefulset" : "deployment";
    out.push("", `// From ${display(w.origin.file)} ${w.overrides[0]!.from.replace(/\/[^/]*$/, "")}: pod scheduling finc has no field for, carried by the typed escape hatch.`);
    out.push(`override ${kind}/${finName(w.name)} {`);
    for (const l of w.overrides) out.push(...l.line.split("\n").map((x) => "  " + x));
    out.push("}");
  }
  for (const u of w.unmapped) out.push("", ...commentBlock(u));
  return out;
}

function database(d: FoundDatabase, ns: (n: string) => string): string[] {
  const o = d.origin;
  const out = [`/// Imported from ${o.kind} ${o.namespace ?? "default"}/${o.name} (${display(o.file)}, document ${o.doc}).`];
  out.push(`database ${finName(d.name)} {`, `  namespace ${ns(d.namespace)}`);
  if (d.engineMajor) out.push(`  engine postgres ${d.engineMajor}`);
  if (d.instances !== undefined) out.push(`  instances ${d.instances}`);
  const tier = ["fast", "standard", "archive"].includes(d.storageClass ?? "") ? d.storageClass : "standard";
  out.push(`  storage ${d.storage} ${tier}${d.storageClass && d.storageClass !== tier ? `  // storage class ${d.storageClass} in the input` : ""}`);
  if (d.databaseName) out.push(`  name ${d.databaseName}`);
  out.push(`  credentials from ${d.credentials.store} ${q(d.credentials.path)}  // TODO: where the database credentials live in your store`);
  out.push("}");
  return out;
}

function secret(s: FoundSecret): string {
  if (s.source.type === "database") return `secret ${s.env} from ${finName(s.source.database)}.${s.source.output}`;
  const line = `secret ${s.env} from ${s.source.store} ${q(s.source.path)}${s.source.key ? ` key ${q(s.source.key)}` : ""}`;
  if (s.source.placeholder === "literal") return `${line}  // TODO: the input held this value in plain text (not copied, FIN6001): put it at this path`;
  if (s.source.placeholder === "missing") return `${line}  // TODO: this Secret is not in the input: point this line at where its value lives`;
  return line;
}

function probe(p: FoundProbe): string {
  const h = p.handler;
  const what = h.type === "http" ? h.path : h.type === "tcp" ? "tcp" : h.type === "grpc" ? `grpc${h.service ? ` ${q(h.service)}` : ""}` : `exec [${h.command.map(q).join(", ")}]`;
  const timing = [p.after !== undefined ? `after ${p.after}s` : "", p.every !== undefined ? `every ${p.every}s` : "", p.timeout !== undefined ? `timeout ${p.timeout}s` : "", p.failures !== undefined ? `failures ${p.failures}` : ""].filter(Boolean).join(" ");
  return `${p.kind} ${what}${p.on ? ` on ${p.on}` : ""}${timing ? ` ${timing}` : ""}`;
}

/** A part finc cannot map: where it came from, then its YAML, every line a comment (credential-looking lines masked). */
export function commentBlock(u: Unmapped): string[] {
  const o = u.origin;
  const segs = pointerSegments(u.pointer);
  const last = segs[segs.length - 1];
  // A list element is shown as the one-element list under its parent key (`env:` / `- name: A`).
  const parent = segs[segs.length - 2];
  const shown = last === undefined ? u.value : /^\d+$/.test(last) && parent !== undefined ? { [parent]: [u.value] } : { [last]: u.value };
  const body = stringify(maskEnvValues(shown), { lineWidth: 0 }).trimEnd();
  return [
    `// finc import: NOT MAPPED: ${display(o.file)} document ${o.doc} (${o.kind} ${o.namespace ?? "default"}/${o.name}) ${u.pointer || "(the whole object)"}`,
    ...body.split("\n").map((l) => `//   ${maskLine(l)}`),
  ];
}

/** How input file names are written (relative to where finc runs); set per call of writeFin. */
let display: (file: string) => string = (f) => f;

/** `{ name: SMTP_PASSWORD, value: … }` anywhere in a dumped part: the value masked (an env entry left over is still a secret). */
function maskEnvValues(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(maskEnvValues);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  // An env entry: masked when its name sounds secret or cannot be read at all (then nothing says it is not a secret).
  const envLike = "value" in o && !("key" in o) && typeof o["value"] !== "object";
  const secret = envLike && (typeof o["name"] !== "string" || !ENV_NAME.test(o["name"]) || looksSecret(o["name"], String(o["value"])));
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, secret && k === "value" ? "<masked: a literal secret value is never copied>" : maskEnvValues(x)]));
}

/** A YAML line of a comment block, its value masked when it looks like a credential or sits under a secret-sounding key. */
function maskLine(line: string): string {
  const m = /^(\s*(?:- )?)([^:\s][^:]*):\s+(.+)$/.exec(line);
  if (m && looksSecret(m[2]!, m[3]!)) return `${m[1]}${m[2]}: <masked: a literal secret value is never copied>`;
  return containsCredential(line) ? "<masked: this line looks like a credential>" : line;
}

function q(s: string): string {
  return JSON.stringify(s);
}

function duration(seconds: number): string {
  if (seconds % 3600 === 0 && seconds) return `${seconds / 3600}h`;
  if (seconds % 60 === 0 && seconds) return `${seconds / 60}m`;
  return `${seconds}s`;
}
