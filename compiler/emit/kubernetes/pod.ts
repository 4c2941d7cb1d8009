import { createHash } from "node:crypto";
import { podIdentityLabels } from "../../model/cloud-identity.js";
import { containerPortOf, type PlatformModel, type Probe, type ServiceModel } from "../../model/platform-model.js";
import { formatCpu, formatMemory } from "../../model/units.js";
import { costCenterLabels, priorityClassName, selector } from "./labels.js";
import { names } from "./names.js";
import { kubernetesSecrets, secretNameOf } from "./secrets.js";
import { vaultAgentAnnotations, vaultTokenVolume } from "./vault-agent.js";
import { containerSecurityContext, podSecurityContext } from "./security.js";
import { withSpot } from "../autoscaling/spot.js";
import { withPciPool } from "../nodepools/pci-placement.js";
import { caMounts, caVolumes } from "../postgres/client.js";
import { podVolumeMounts, podVolumes, writableVolume } from "./pod-volumes.js";
import { sidecarStartupAnnotations } from "../istio/sidecar-startup.js";
import { isJurisdiction, jurisdictionRegions, regionInJurisdiction } from "../../model/residency-regions.js";
import { withPodDetails } from "./pod-details.js";
import { withScheduling } from "./scheduling.js";
import { withProfiling } from "./profiling.js";

export function resources(r: ServiceModel["resources"]): Record<string, unknown> {
  return {
    requests: { cpu: formatCpu(r.cpu.request), memory: formatMemory(r.memory.request) },
    limits: { cpu: formatCpu(r.cpu.limit), memory: formatMemory(r.memory.limit) },
  };
}

/** The probe's action (a path goes by the port's protocol), then the kind's default timings with the probe's own on top. */
function probe(s: ServiceModel, p: Probe, defaults: { periodSeconds: number; failureThreshold: number; timeoutSeconds: number }): Record<string, unknown> {
  const port = s.ports.find((x) => x.name === p.port) ?? s.ports[0];
  const grpc = (n: number) => ({ grpc: { port: n, ...(p.grpcService ? { service: p.grpcService } : {}) } });
  const tcp = { tcpSocket: { port: port?.name ?? "http" } };
  const action =
    p.check === "exec" ? { exec: { command: [...(p.command ?? [])] } }
    : p.check === "tcp" ? tcp
    : p.check === "grpc" ? grpc(port ? containerPortOf(port) : 8080)
    : port?.protocol === "grpc" ? grpc(containerPortOf(port))
    : port?.protocol === "http" ? { httpGet: { path: p.path, port: port.name, ...(p.headers?.length ? { httpHeaders: p.headers.map((h) => ({ name: h.name, value: h.value })) } : {}) } }
    : tcp;
  const t = p.timing ?? {};
  return {
    ...action,
    ...(t.initialDelaySeconds ? { initialDelaySeconds: t.initialDelaySeconds } : {}),
    periodSeconds: t.periodSeconds ?? defaults.periodSeconds,
    failureThreshold: t.failureThreshold ?? defaults.failureThreshold,
    timeoutSeconds: t.timeoutSeconds ?? defaults.timeoutSeconds,
  };
}

/**
 * The emptyDir volume of a writable path: a DNS label unique per path. `/tmp` → `tmp`, and a path
 * of lower-case letters and digits `/var/cache/app` → `tmp-var-cache-app` (one path per name: only
 * `/` becomes `-`). Any other path (`/var/cache-app`, upper case, too long) gets its slug cut to 51
 * characters, `--` and 10 hex of its sha256: the `--` never occurs in the plain form.
 */
export function volumeName(path: string): string {
  if (path === "/tmp") return "tmp";
  const plain = "tmp" + path.replace(/\//g, "-");
  if (/^(\/[a-z0-9]+)+$/.test(path) && plain.length <= 63) return plain;
  const slug = ("tmp" + path.toLowerCase().replace(/[^a-z0-9]+/g, "-")).slice(0, 51).replace(/-+$/, "");
  return `${slug}--${createHash("sha256").update(path).digest("hex").slice(0, 10)}`;
}

/** Hash of the service's config: a change of config rolls the pods. */
export function configHash(s: ServiceModel): string {
  const h = createHash("sha256");
  for (const c of s.config) h.update(`${c.key}=${c.value}\n`);
  return h.digest("hex").slice(0, 16);
}

/** The ConfigMap's data, keys sorted. */
export function configData(s: ServiceModel): Record<string, string> {
  return Object.fromEntries([...s.config].sort((a, b) => (a.key < b.key ? -1 : 1)).map((c) => [c.key, c.value]));
}

/**
 * `api-config`, or with `config-immutable yes` `api-config-<10 hex of sha256(data)>`:
 * an immutable ConfigMap cannot change, so new content is a new object with a new
 * name, and the changed reference in the pod template rolls the pods onto it.
 */
export function configMapName(s: ServiceModel): string {
  const base = names.configMap(s.name);
  if (!s.configImmutable) return base;
  return `${base}-${createHash("sha256").update(JSON.stringify(configData(s))).digest("hex").slice(0, 10)}`;
}

export function secretEnv(model: PlatformModel, s: ServiceModel): Record<string, unknown>[] {
  // Secrets from a `delivery vault-agent` store are files (/vault/secrets/<ENV>), not env vars: see vault-agent.ts.
  // Secret files (`secret file …`) are mounted (pod-volumes.ts), not env vars.
  return kubernetesSecrets(model, s).filter((sec) => !sec.file).map((sec) => ({ name: sec.env, valueFrom: { secretKeyRef: { name: secretNameOf(s, sec), key: sec.env } } }));
}

/** The pod template of a service, with its pod details (`init`, downward env, `labels` … : pod-details.ts). */
export function podTemplate(model: PlatformModel, s: ServiceModel, podLabels: Record<string, string>): Record<string, unknown> {
  return withPodDetails(s, withProfiling(model, s, basePodTemplate(model, s, podLabels)));
}

/** Restricted security context, probes, resources, config and secrets. */
function basePodTemplate(model: PlatformModel, s: ServiceModel, podLabels: Record<string, string>): Record<string, unknown> {
  const env = secretEnv(model, s);
  const hasConfig = s.config.length > 0;
  const mountConfig = hasConfig && s.configMount !== undefined;
  const envFrom = hasConfig && !mountConfig ? [{ configMapRef: { name: configMapName(s) } }] : [];
  const mounts = [...s.writable.map((p) => ({ name: volumeName(p), mountPath: p })), ...caMounts(model, s), ...podVolumeMounts(model, s, volumeName)];
  const configMounts = mountConfig ? [{ name: "config", mountPath: s.configMount!, readOnly: true }] : [];
  // Env vars are read once at start, so a change of mutable env config must roll the pods: the
  // checksum does that. Mounted files are refreshed by the kubelet, and an immutable ConfigMap's
  // name already changes with its content, so neither needs the checksum.
  const annotations = {
    ...(mountConfig || (hasConfig && s.configImmutable) ? {} : { "finc.dev/config-hash": configHash(s) }),
    ...vaultAgentAnnotations(model, s),
    ...sidecarStartupAnnotations(model, s),
  };
  const regions = residencyRegions(model, s.namespace);
  return {
    metadata: { labels: { ...podLabels, "app.kubernetes.io/instance": s.name, ...costCenterLabels(model, s.namespace), ...podIdentityLabels(model, s.namespace, s.name) }, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: {
      serviceAccountName: s.name,
      automountServiceAccountToken: s.kubernetesApi,
      priorityClassName: priorityClassName(s.tier),
      ...(model.platform.registry ? { imagePullSecrets: [{ name: names.registrySecret }] } : {}),
      securityContext: podSecurityContext(s.runAsUser),
      ...(s.migrate
        ? {
            initContainers: [{
              name: "migrate",
              image: s.migrate.image,
              imagePullPolicy: "Always",
              ...(s.migrate.command.length ? { command: s.migrate.command } : {}),
              ...(envFrom.length ? { envFrom } : {}),
              ...(env.length ? { env } : {}),
              resources: resources(s.resources),
              securityContext: containerSecurityContext(s.runAsUser),
              volumeMounts: [...mounts, ...configMounts],
            }],
          }
        : {}),
      containers: [{
        name: s.name,
        image: s.image,
        imagePullPolicy: "Always",
        // A job or cron job listens on nothing.
        ...(s.ports.length ? { ports: s.ports.map((p) => ({ name: p.name, containerPort: containerPortOf(p), protocol: "TCP" })) } : {}),
        ...(envFrom.length ? { envFrom } : {}),
        ...(env.length ? { env } : {}),
        resources: resources(s.resources),
        ...(s.probes.startup ? { startupProbe: probe(s, s.probes.startup, { periodSeconds: 5, failureThreshold: 30, timeoutSeconds: 2 }) } : {}),
        ...(s.probes.readiness ? { readinessProbe: probe(s, s.probes.readiness, { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 }) } : {}),
        ...(s.probes.liveness ? { livenessProbe: probe(s, s.probes.liveness, { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 }) } : {}),
        securityContext: containerSecurityContext(s.runAsUser),
        volumeMounts: [...mounts, ...configMounts],
      }],
      volumes: [
        ...s.writable.map((p) => writableVolume(s, p, volumeName(p))),
        ...podVolumes(model, s, volumeName),
        ...(mountConfig ? [{ name: "config", configMap: { name: configMapName(s), defaultMode: 0o444 } }] : []),
        ...vaultTokenVolume(model, s),
        ...caVolumes(model, s),
      ],
      restartPolicy: "Always",
      terminationGracePeriodSeconds: s.terminationGraceSeconds,
      ...withScheduling(model, s, withPciPool(model, s.namespace, withSpot(model, s, placement(s.name, regions)))),
    },
  };
}

/** Spread replicas over zones and nodes; keep data-resident namespaces on their regions. */
export function placement(name: string, regions: string[]): Record<string, unknown> {
  return {
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector(name) } },
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector(name) } },
    ],
    ...(regions.length
      ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/region", operator: "In", values: regions }] }] } } } }
      : {}),
  };
}

/** The platform regions inside a namespace's residency, by the cloud's region table (`eu` on aws → eu-central-1, eu-west-1; never London's eu-west-2). */
export function residencyRegions(model: PlatformModel, namespace: string): string[] {
  const residency = model.namespaces.find((n) => n.name === namespace)?.residency;
  if (!residency) return [];
  const cloud = model.platform.cloud;
  const inside = model.platform.regions.map((r) => r.name).filter((r) => regionInJurisdiction(cloud, residency, r)).sort();
  // Without `regions` the pods may still only land inside the jurisdiction: all of its regions of the cloud.
  if (!inside.length && !model.platform.regions.length && isJurisdiction(residency)) return [...jurisdictionRegions(cloud, residency)].sort();
  return inside;
}
