import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { filesBelow } from "../helpers/run-cli.js";

/** A test's own reading of Kubernetes YAML (independent of compiler/import): objects, pod specs, quantities. */
export type K8s = Record<string, any>;

export function readYamlObjects(paths: readonly string[]): K8s[] {
  return paths.flatMap((p) => parseAllDocuments(readFileSync(p, "utf8")).map((d) => d.toJS() as K8s).filter((o) => o && typeof o === "object"));
}

export function yamlFilesIn(dir: string): string[] {
  return filesBelow(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
}

export function podSpecOf(o: K8s): K8s {
  return o.kind === "CronJob" ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
}

/** CPU in millicores, memory in bytes: "1" = "1000m", "1Gi" = 1024Mi. */
export function quantity(v: unknown): number {
  const s = String(v);
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(s);
  if (!m) throw new Error(`not a quantity: ${s}`);
  const n = Number(m[1]);
  const unit: Record<string, number> = { "": 1000, m: 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9 };
  return n * unit[m[2]!]!;
}

/** A probe as what it checks: handler, path, port number (names resolved against the container's ports), timings the input set. */
export function probeShape(p: K8s | undefined, ports: readonly K8s[]): K8s | undefined {
  if (!p) return undefined;
  const portNumber = (v: unknown) => (typeof v === "number" ? v : ports.find((q) => q.name === v)?.containerPort);
  const handler = p.httpGet ? { type: "http", path: p.httpGet.path, port: portNumber(p.httpGet.port) } : p.tcpSocket ? { type: "tcp", port: portNumber(p.tcpSocket.port) } : p.grpc ? { type: "grpc", port: portNumber(p.grpc.port) } : { type: "exec", command: p.exec?.command };
  return { handler, initialDelaySeconds: p.initialDelaySeconds ?? 0, periodSeconds: p.periodSeconds, timeoutSeconds: p.timeoutSeconds, failureThreshold: p.failureThreshold };
}

/** Env names a container sees: its env entries and the keys of the ConfigMaps/Secrets it takes whole (envFrom). */
export function envNames(container: K8s, objects: readonly K8s[], namespace: string): string[] {
  const names: string[] = (container.env ?? []).map((e: K8s) => e.name as string);
  for (const f of container.envFrom ?? []) {
    const ref = f.configMapRef ?? f.secretRef;
    const kind = f.configMapRef ? "ConfigMap" : "Secret";
    const o = objects.find((x) => x.kind === kind && x.metadata.name === ref.name && (x.metadata.namespace ?? namespace) === namespace);
    names.push(...Object.keys(o?.data ?? {}), ...Object.keys(o?.stringData ?? {}));
  }
  return [...new Set(names)].sort();
}

/** Who may call whom in finc's output: its NetworkPolicies' ingress rules from pods of another workload. */
export function outputCallGraph(objects: readonly K8s[]): string[] {
  const edges = new Set<string>();
  for (const o of objects.filter((x) => x.kind === "NetworkPolicy")) {
    const to = o.spec.podSelector?.matchLabels?.["app.kubernetes.io/name"] ?? o.spec.podSelector?.matchLabels?.["cnpg.io/cluster"];
    if (!to) continue;
    for (const r of o.spec.ingress ?? []) for (const f of r.from ?? []) {
      const from = f.namespaceSelector ? undefined : f.podSelector?.matchLabels?.["app.kubernetes.io/name"];
      if (from && from !== to) edges.add(`${from} -> ${to}`);
    }
  }
  return [...edges].sort();
}

export function outputObjects(dir: string): K8s[] {
  return readYamlObjects(yamlFilesIn(dir));
}

export function nonBlankLines(text: string): number {
  return text.split("\n").filter((l) => l.trim() !== "").length;
}

export function yamlLines(paths: readonly string[]): number {
  return paths.reduce((n, p) => n + readFileSync(p, "utf8").split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#") && l.trim() !== "---").length, 0);
}
