import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { activeProfile, PPROF_PORT_NAME, type Profiler } from "../../model/profiling.js";

type Obj = Record<string, unknown>;

/**
 * The annotations each profiler's Kubernetes discovery reads: the Parca chart's pod scrape job
 * keeps pods with `parca.dev/scrape: "true"` and takes the port by name from `parca.dev/port`;
 * Grafana Alloy's pyroscope discovery reads `profiles.grafana.com/<profile type>.scrape` and
 * `.port` per profile type (cpu, memory, goroutine are Go's always-on ones).
 */
export function profilerAnnotations(profiler: Profiler, port: number): Record<string, string> {
  if (profiler === "parca") return { "parca.dev/scrape": "true", "parca.dev/port": PPROF_PORT_NAME };
  const out: Record<string, string> = {};
  for (const type of ["cpu", "memory", "goroutine"]) {
    out[`profiles.grafana.com/${type}.scrape`] = "true";
    out[`profiles.grafana.com/${type}.port`] = String(port);
  }
  return out;
}

/**
 * `profile pprof on <port>` where it is on: the app container declares the port `pprof` (on
 * no Service: nothing routes to it) and the pod carries the profiler's scrape annotations. The
 * NetworkPolicy and AuthorizationPolicy that admit the profiler alone are profiling-policy.ts's.
 */
export function withProfiling(model: PlatformModel, s: ServiceModel, template: Obj): Obj {
  const p = activeProfile(model, s);
  if (!p) return template;
  const metadata = template["metadata"] as Obj;
  const spec = template["spec"] as Obj;
  const [app, ...rest] = spec["containers"] as Obj[];
  const ports = [...((app!["ports"] as Obj[] | undefined) ?? []), { name: PPROF_PORT_NAME, containerPort: p.port, protocol: "TCP" }];
  // Keep the container's field order: ports right after the image settings, as for serving ports.
  const container: Obj = {};
  for (const [k, v] of Object.entries(app!)) {
    if (k === "ports") continue;
    container[k] = v;
    if (k === "imagePullPolicy") container["ports"] = ports;
  }
  return {
    ...template,
    metadata: { ...metadata, annotations: { ...(metadata["annotations"] as Obj | undefined), ...profilerAnnotations(p.profiler, p.port) } },
    spec: { ...spec, containers: [container, ...rest] },
  };
}
