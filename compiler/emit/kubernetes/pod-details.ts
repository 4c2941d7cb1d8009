import type { ServiceModel } from "../../model/platform-model.js";
import { DOWNWARD_FIELDS, type DownwardEnv } from "../../model/pod-details.js";
import { formatMemory } from "../../model/units.js";

type Obj = Record<string, unknown>;

/** `env X from pod.ip` → a downward-API env var; resource sources read the app container (init containers have their own limits). */
function downwardEnv(s: ServiceModel, e: DownwardEnv): Obj {
  const field = (DOWNWARD_FIELDS as Readonly<Record<string, string>>)[e.source];
  return field
    ? { name: e.env, valueFrom: { fieldRef: { fieldPath: field } } }
    : { name: e.env, valueFrom: { resourceFieldRef: { containerName: s.name, resource: e.source } } };
}

/** Init containers of `init` lines: named init-1, init-2 … after `migrate`, hardened and wired like it. */
function initContainers(s: ServiceModel, like: Obj): Obj[] {
  return (s.inits ?? []).map((i, n) => {
    const { name: _name, image: _image, command: _command, ...wiring } = like;
    return { name: `init-${n + 1}`, image: i.image, ...(i.command.length ? { command: [...i.command] } : {}), ...wiring };
  });
}

function withStorage(s: ServiceModel, container: Obj): Obj {
  const e = s.ephemeralStorage;
  if (!e) return container;
  const r = (container["resources"] ?? {}) as { requests?: Obj; limits?: Obj };
  return { ...container, resources: { ...r, requests: { ...r.requests, "ephemeral-storage": formatMemory(e.request) }, limits: { ...r.limits, "ephemeral-storage": formatMemory(e.limit) } } };
}

function withEnv(container: Obj, env: Obj[]): Obj {
  if (!env.length) return container;
  return { ...container, env: [...((container["env"] as Obj[] | undefined) ?? []), ...env] };
}

/**
 * The workload's pod details on its pod template (built by pod.ts): user labels and annotations,
 * init containers after `migrate` (the app container's image-independent wiring: env, resources,
 * security context, mounts), downward-API env and ephemeral storage on every container, the
 * preStop drain on the app container. Returns the template unchanged when there are none.
 */
export function withPodDetails(s: ServiceModel, template: Obj): Obj {
  const meta = template["metadata"] as { labels?: Record<string, string>; annotations?: Record<string, string> };
  const spec = template["spec"] as Obj;
  const [app, ...sidecars] = spec["containers"] as Obj[];
  const env = (s.downwardEnv ?? []).map((e) => downwardEnv(s, e));
  const inits = [...((spec["initContainers"] as Obj[] | undefined) ?? [])];
  // The app container's own wiring, without its ports, probes and lifecycle.
  const { ports: _p, startupProbe: _s, readinessProbe: _r, livenessProbe: _l, lifecycle: _c, ...wiring } = app!;
  inits.push(...initContainers(s, wiring));
  const finish = (c: Obj): Obj => withStorage(s, withEnv(c, env));
  const annotations = { ...meta.annotations, ...s.userAnnotations };
  return {
    ...template,
    metadata: { ...meta, labels: { ...s.userLabels, ...meta.labels }, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: {
      ...spec,
      ...(inits.length ? { initContainers: inits.map(finish) } : {}),
      containers: [{ ...finish(app!), ...(s.drainSeconds ? { lifecycle: { preStop: { sleep: { seconds: s.drainSeconds } } } } : {}) }, ...sidecars],
    },
  };
}

/** The user's labels before finc's (finc's keys win; the checker refuses the user setting them anyway). */
export function withUserLabels(s: ServiceModel, l: Record<string, string>): Record<string, string> {
  return s.userLabels ? { ...s.userLabels, ...l } : l;
}

/** The user's annotations on the workload object, next to finc's own. */
export function withUserAnnotations(s: ServiceModel, a: Record<string, string> | undefined): Record<string, string> | undefined {
  return s.userAnnotations ? { ...a, ...s.userAnnotations } : a;
}
