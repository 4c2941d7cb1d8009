import type { DatabaseModel, PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { scraperPod } from "../../model/cloud-monitoring.js";
import { serviceEgress } from "../../model/egress-model.js";
import { agentStore } from "../../model/vault.js";
import { gatewayRoutes, ingressGateway } from "../../model/mesh.js";
import { exposedRoutes } from "../istio/common.js";
import type { OutputFile } from "../output.js";
import { toYaml, writeYaml, type JsonValue } from "../shared/yaml.js";
import { boundedPeers } from "./bounded-peers.js";
import { smokeAndDrillNeeds } from "../smoke-tests/needs.js";

/**
 * The runtime-check "needs file" of one environment (issue 9, item 5): what the spec says its
 * workloads must be able to do — declared calls, exposure through the ingress gateway, scrapes,
 * egress — and what they must not (calls nobody declared), the env vars and writable paths they
 * rely on. Written from the model alone, never from the emitted manifests, so that checking the
 * manifests against it is a check and not a tautology.
 */
export const NEEDS_DIR = ".finc/needs";

export const needsPath = (environment: string): string => `${NEEDS_DIR}/${environment}.yaml`;

export function needsFiles(models: readonly PlatformModel[]): OutputFile[] {
  return models.map((m) => ({ path: needsPath(m.environment), content: toYaml(needsOf(m) as JsonValue) }));
}

/** One environment's needs file, the same bytes as `needsFiles`, handed to `write` in pieces (a big platform's is tens of MB). */
export function writeNeedsFile(model: PlatformModel, write: (text: string) => void): void {
  writeYaml(needsOf(model), write);
}

type Entry = Record<string, JsonValue>;

const at = (x: { namespace: string; name: string }) => `${x.namespace}/${x.name}`;

/** A service's ports other callers use: every port but the one only Prometheus reaches. */
const callablePorts = (s: ServiceModel) => s.ports.filter((p) => p.name !== "metrics").map((p) => p.port);

/** The PostgreSQL image's contract for a standalone server: its bootstrap env and the directories it writes. */
const STANDALONE_ENV = ["POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"];
const STANDALONE_WRITABLE = ["/var/lib/postgresql/data", "/var/run/postgresql", "/tmp"];

export function needsOf(model: PlatformModel): Entry {
  const services = new Map(model.services.map((s) => [s.name, s]));
  const databases = new Map(model.databases.map((d) => [d.name, d]));
  const calls: Entry[] = [];
  const external: Entry[] = [];
  const denied: Entry[] = [];
  for (const [i, s] of model.services.entries()) {
    for (const callee of s.calls) {
      const svc = services.get(callee);
      const db = databases.get(callee);
      if (svc) for (const port of callablePorts(svc)) calls.push({ from: at(s), to: at(svc), port });
      else if (db) calls.push({ from: at(s), to: at(db), port: db.port });
    }
    for (const d of serviceEgress(model, s)) {
      // The API server's address is the cluster's own: runtime-check has no pod or host for it.
      if (d.kind === "kubernetes-api") continue;
      external.push({ from: at(s), to: d.kind === "cidr" ? d.cidr : d.host, port: d.port });
    }
    // Nothing undeclared: no other service, no database it does not call.
    // A job or cron job listens on nothing: there is no call to deny.
    for (const other of boundedPeers(model.services, i + 1, (o) => o !== s && !s.calls.includes(o.name) && o.ports.length > 0)) denied.push({ from: at(s), to: at(other) });
    for (const db of boundedPeers(model.databases, i, (d) => !s.calls.includes(d.name))) denied.push({ from: at(s), to: at(db) });
  }
  // Databases call nobody.
  for (const [j, db] of model.databases.entries()) for (const s of boundedPeers(model.services, j, (x) => x.ports.length > 0)) denied.push({ from: at(db), to: at(s) });
  // The Istio ingress gateway is a pod runtime-check knows; nginx and traefik controllers are not.
  if (gatewayRoutes(model.platform)) for (const r of exposedRoutes(model)) calls.push({ from: "ingress-gateway", to: at(r.service), port: r.port });
  // Smoke tests call their service; drills reach the object store, never the live database.
  const extra = smokeAndDrillNeeds(model);
  calls.push(...extra.calls);
  external.push(...extra.external);
  denied.push(...extra.denied);
  const monitoring = model.platform.monitoring && scraperPod(model.platform.monitoring);
  if (monitoring) for (const s of model.services) for (const p of s.ports.filter((x) => x.name === "metrics")) calls.push({ from: "prometheus", to: at(s), port: p.port });
  const needs: Entry = {
    namespace: model.namespaces[0]?.name ?? model.services[0]?.namespace ?? "default",
    calls: unique(calls),
    external: unique(external),
    denied: unique(denied),
    env: [...model.services.map((s) => ({ workload: at(s), names: envNames(model, s) })), ...model.databases.filter(standalone).map((d) => ({ workload: at(d), names: STANDALONE_ENV }))].filter((e) => e.names.length),
    writable: [...model.services.map((s) => ({ workload: at(s), paths: [...new Set([...s.writable, ...(s.scratch ?? []).map((x) => x.path), ...(s.volumes ?? []).map((x) => x.path)])] })), ...model.databases.filter(standalone).map((d) => ({ workload: at(d), paths: STANDALONE_WRITABLE }))].filter((w) => w.paths.length),
  };
  const platform: Entry = {};
  if (monitoring) platform["prometheus"] = { ...monitoring };
  if (gatewayRoutes(model.platform)) platform["gatewayServiceAccount"] = ingressGateway(model).serviceAccount;
  if (Object.keys(platform).length) needs["platform"] = platform;
  return needs;
}

const standalone = (d: DatabaseModel) => d.mode === "standalone";

/** Env vars the application reads: its config (unless mounted as files) and its secrets (unless the Vault agent renders them as files). */
function envNames(model: PlatformModel, s: ServiceModel): string[] {
  const config = s.configMount === undefined ? s.config.map((c) => c.key) : [];
  const secrets = s.secrets.filter((sec) => !agentStore(model, sec) && !sec.file).map((sec) => sec.env);
  return [...new Set([...config, ...secrets])];
}

function unique(entries: Entry[]): Entry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const k = JSON.stringify(e);
    return !seen.has(k) && !!seen.add(k);
  });
}
