import type { SourceRange } from "../diagnostics/diagnostic.js";
import { inClusterNamespace } from "./vault.js";
import type { PlatformModel, ServiceModel } from "./platform-model.js";

/**
 * Egress (issue 9, item 2): what a workload talks to outside the declared call graph, as
 * written (`egress …`) and as finc's own features need it (Kafka brokers, SQS, the API server).
 * The emitters turn each destination into a NetworkPolicy egress rule and, with the mesh, an
 * Istio ServiceEntry.
 */

/** One `egress` target as read (schema/egress-fields.ts). */
export type EgressRead =
  | { readonly kind: "host"; readonly host: string; readonly port: number; readonly range: SourceRange; readonly targetRange: SourceRange }
  | { readonly kind: "cidr"; readonly cidr: string; readonly prefix: number; readonly v6: boolean; readonly port: number; readonly range: SourceRange; readonly targetRange: SourceRange }
  | { readonly kind: "cloud"; readonly cloud: keyof typeof CLOUD_SERVICES; readonly service: string; readonly range: SourceRange; readonly targetRange: SourceRange };

/** What service-model.ts's ServiceModel adds: the `egress` lines, as written. */
export interface ServiceEgress {
  readonly egress?: readonly EgressRead[];
}

/** Why a destination is open: the spec's `egress` line, or a feature finc configures. */
export type EgressReason = "egress" | "kafka" | "sqs" | "kubernetes-api";

/**
 * A resolved destination:
 * - `host`: an external DNS name (wildcards allowed); its addresses are unknown at build time;
 * - `cluster`: a Service in another namespace of the cluster (`kafka-kafka-bootstrap.kafka.svc`);
 * - `cidr`: an address block;
 * - `kubernetes-api`: the API server, whose addresses are the cluster's own.
 */
export type EgressDestination =
  | { readonly kind: "host"; readonly host: string; readonly port: number; readonly reason: EgressReason }
  | { readonly kind: "cluster"; readonly host: string; readonly namespace: string; readonly port: number; readonly reason: EgressReason }
  | { readonly kind: "cidr"; readonly cidr: string; readonly port: number; readonly reason: EgressReason }
  | { readonly kind: "kubernetes-api"; readonly ports: readonly number[]; readonly reason: EgressReason };

/**
 * Cloud service endpoints per cloud: `{region}` is each of the platform's regions. AWS services
 * add STS, which the SDKs call to trade the pod's IRSA token for credentials; Azure services add
 * Entra ID's token endpoint (workload identity); GKE's workload identity runs on the node's
 * metadata server, which needs no egress rule.
 */
export const CLOUD_SERVICES = {
  aws: {
    sqs: ["sqs.{region}.amazonaws.com"],
    s3: ["s3.{region}.amazonaws.com", "*.s3.{region}.amazonaws.com"],
    sns: ["sns.{region}.amazonaws.com"],
    dynamodb: ["dynamodb.{region}.amazonaws.com"],
    kinesis: ["kinesis.{region}.amazonaws.com"],
    secretsmanager: ["secretsmanager.{region}.amazonaws.com"],
    kms: ["kms.{region}.amazonaws.com"],
    sts: ["sts.{region}.amazonaws.com"],
  },
  gcp: {
    storage: ["storage.googleapis.com"],
    pubsub: ["pubsub.googleapis.com"],
    secretmanager: ["secretmanager.googleapis.com"],
    bigquery: ["bigquery.googleapis.com"],
  },
  azure: {
    storage: ["*.blob.core.windows.net"],
    servicebus: ["*.servicebus.windows.net"],
    eventhubs: ["*.servicebus.windows.net"],
    keyvault: ["*.vault.azure.net"],
  },
} as const satisfies Record<string, Record<string, readonly string[]>>;

const CLOUD_IDENTITY: Record<keyof typeof CLOUD_SERVICES, readonly string[]> = {
  aws: ["sts.{region}.amazonaws.com"],
  gcp: [],
  azure: ["login.microsoftonline.com"],
};

/** The hosts of a cloud service in the given regions (deduplicated, sorted). */
export function cloudServiceHosts(cloud: keyof typeof CLOUD_SERVICES, service: string, regions: readonly string[]): string[] {
  const templates = [...((CLOUD_SERVICES[cloud] as Record<string, readonly string[]>)[service] ?? []), ...CLOUD_IDENTITY[cloud]];
  const hosts = templates.flatMap((t) => (t.includes("{region}") ? regions.map((r) => t.replace("{region}", r)) : [t]));
  return [...new Set(hosts)].sort();
}

/** Address space no public host resolves to: excepted from "any public address" (pod and node IPs, cloud metadata, loopback). */
export const NON_PUBLIC_V4 = ["10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"] as const;

/** The API server's ports: 443 on EKS, GKE and AKS, 6443 on kubeadm-style clusters. */
export const KUBERNETES_API_PORTS = [443, 6443] as const;

/**
 * `10.20.0.0/16` → its canonical text; undefined when malformed or when bits past the
 * prefix are set (unless `truncate`, which clears them, for a "did you mean").
 */
export function parseCidr(text: string, truncate = false): { text: string; prefix: number; v6: boolean } | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const prefix = Number(m[2]);
  const v6 = m[1]!.includes(":");
  const bits = v6 ? 128 : 32;
  if (prefix > bits) return undefined;
  const value = v6 ? parseV6(m[1]!) : parseV4(m[1]!);
  if (value === undefined) return undefined;
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  if ((value & ~mask & ((1n << BigInt(bits)) - 1n)) !== 0n && !truncate) return undefined;
  const base = value & mask;
  return { text: `${v6 ? formatV6(base) : formatV4(base)}/${prefix}`, prefix, v6 };
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function formatV4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join(".");
}

function parseV6(s: string): bigint | undefined {
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function formatV6(v: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes "::".
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at < 0) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.len).join(":")}`;
}

/** `"broker-1.example.com:9093,broker-2…"` or `kafka-kafka-bootstrap.kafka.svc:9092` → host and port pairs. */
function hostPorts(list: string, defaultPort: number): { host: string; port: number }[] {
  return list.split(",").map((x) => x.trim()).filter(Boolean).map((x) => {
    const m = /^(.*):(\d{1,5})$/.exec(x);
    return m ? { host: m[1]!.toLowerCase(), port: Number(m[2]) } : { host: x.toLowerCase(), port: defaultPort };
  });
}

/** KEDA's default Kafka bootstrap address in finc (Strimzi's `<cluster>-kafka-bootstrap` in namespace kafka). */
export const DEFAULT_KAFKA_BROKERS = "kafka-kafka-bootstrap.kafka.svc:9092";

function toHost(host: string, port: number, reason: EgressReason): EgressDestination {
  const ns = inClusterNamespace(host);
  return ns ? { kind: "cluster", host, namespace: ns, port, reason } : { kind: "host", host, port, reason };
}

/** Every destination the service's pods must reach beyond the call graph, deduplicated, in a stable order. */
export function serviceEgress(model: PlatformModel, s: ServiceModel): EgressDestination[] {
  const out: EgressDestination[] = [];
  const regions = model.platform.regions.map((r) => r.name);
  for (const e of s.egress ?? []) {
    if (e.kind === "host") out.push(toHost(e.host, e.port, "egress"));
    else if (e.kind === "cidr") out.push({ kind: "cidr", cidr: e.cidr, port: e.port, reason: "egress" });
    else for (const h of cloudServiceHosts(e.cloud, e.service, regions)) out.push({ kind: "host", host: h, port: 443, reason: "egress" });
  }
  for (const t of s.scaling?.scale ?? []) {
    // The consumer itself talks to the brokers and the queue, not only KEDA's operator.
    if (t.kind === "kafka") for (const b of hostPorts(t.brokers ?? DEFAULT_KAFKA_BROKERS, 9092)) out.push(toHost(b.host, b.port, "kafka"));
    if (t.kind === "sqs") for (const h of cloudServiceHosts("aws", "sqs", [t.region])) out.push({ kind: "host", host: h, port: 443, reason: "sqs" });
  }
  if (s.kubernetesApi) out.push({ kind: "kubernetes-api", ports: KUBERNETES_API_PORTS, reason: "kubernetes-api" });
  const seen = new Set<string>();
  return out.filter((d) => {
    const key = d.kind === "kubernetes-api" ? d.kind : `${d.kind}|${"host" in d ? d.host : d.cidr}|${d.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
