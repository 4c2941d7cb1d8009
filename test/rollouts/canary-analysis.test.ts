import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { validateManifest } from "../helpers/schemas.js";

type Obj = Record<string, any>;

/** A platform with monitoring and the given mesh line; `api` canaries with analysis, `web` is blue-green. */
const spec = (mesh: string, ports = "http 8080") => `platform p {
  environments prod
  monitoring   prometheus
${mesh}}
namespace apps {}
service api {
  image   "r.io/api:1.0.0"
  port    ${ports}
  rollout canary 10%, 50% pause 5m while error-rate < 1%, latency p99 < 300ms
}
service web {
  image   "r.io/web:1.0.0"
  port    ${ports}
  rollout blue-green while error-rate < 2%
}
`;

function documents(text: string): Obj[] {
  const program = compileSources({ "main.fin": text });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const docs = buildOutputs(program).documents.get("prod")!.map((d) => d.object as Obj);
  for (const d of docs) expect(validateManifest(d as { apiVersion: string; kind: string }), `${d["kind"]} ${d["metadata"]?.name}`).toEqual([]);
  return docs;
}
const find = (docs: Obj[], kind: string, name: string) => docs.find((d) => d["kind"] === kind && d["metadata"].name === name)!;
const queries = (t: Obj) => (t["spec"].metrics as Obj[]).map((m) => m["provider"].prometheus.query as string);

/** Every args entry an analysis step passes, by name. */
function stepArgs(rollout: Obj): Record<string, Obj>[] {
  const c = rollout["spec"].strategy.canary;
  return (c.steps as Obj[]).filter((s) => s["analysis"]).map((s) => Object.fromEntries((s["analysis"].args as Obj[]).map((a) => [a["name"], a])));
}

describe("the canary analysis measures only the canary's pods", () => {
  for (const [label, mesh, ports] of [["istio sidecars", "  mesh istio sidecar cni\n", "http 8080"], ["no mesh (app metrics)", "", "http 8080, metrics 9090"]] as const) {
    it(`${label}: each step passes the latest pod-template hash, and every query filters on it`, () => {
      const docs = documents(spec(mesh, ports));
      const args = stepArgs(find(docs, "Rollout", "api"));
      expect(args.length).toBe(2);
      for (const a of args) {
        expect(a["service"]).toEqual({ name: "service", value: "api" });
        expect(a["canary-hash"]).toEqual({ name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } });
      }
      const t = find(docs, "AnalysisTemplate", "api-analysis");
      expect((t["spec"].args as Obj[]).map((a) => a["name"])).toEqual(["service", "canary-hash"]);
      for (const q of queries(t)) {
        // Every series selector of the query (numerator and denominator alike) names the canary's hash.
        const selectors = [...q.matchAll(/[a-z_]+\{((?:[^{}]|\{\{[^}]*\}\})*)\}/g)].map((m) => m[1]!);
        expect(selectors.length, q).toBeGreaterThan(0);
        for (const sel of selectors) expect(sel).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
      }
    });
  }

  it("istio sidecars: the proxies' PodMonitor copies the pods' rollouts-pod-template-hash onto the series", () => {
    const pm = find(documents(spec("  mesh istio sidecar cni\n")), "PodMonitor", "istio-proxies");
    expect(pm["spec"].podTargetLabels).toEqual(["rollouts-pod-template-hash"]);
  });

  it("no mesh: the service's ServiceMonitor copies the hash label", () => {
    const sm = find(documents(spec("", "http 8080, metrics 9090")), "ServiceMonitor", "api");
    expect(sm["spec"].podTargetLabels).toEqual(["rollouts-pod-template-hash"]);
  });

  it("istio ambient: the waypoint reports, so canary pods carry canonical revision 'canary' (stable ones 'stable') and the queries filter on it", () => {
    const docs = documents(spec("  mesh istio ambient\n"));
    const canary = find(docs, "Rollout", "api")["spec"].strategy.canary;
    expect(canary.canaryMetadata).toEqual({ labels: { "service.istio.io/canonical-revision": "canary" } });
    expect(canary.stableMetadata).toEqual({ labels: { "service.istio.io/canonical-revision": "stable" } });
    for (const q of queries(find(docs, "AnalysisTemplate", "api-analysis"))) {
      expect(q).toContain('destination_canonical_revision="canary"');
      expect(q).not.toContain("rollouts_pod_template_hash");
    }
  });

  it("blue-green: the pre-promotion analysis measures the preview Service's pods (the latest hash too, outside ambient)", () => {
    const docs = documents(spec("  mesh istio sidecar cni\n"));
    const bg = find(docs, "Rollout", "web")["spec"].strategy.blueGreen;
    const args = Object.fromEntries((bg.prePromotionAnalysis.args as Obj[]).map((a) => [a["name"], a]));
    expect(args["service"]).toEqual({ name: "service", value: "web-preview" });
    expect(args["canary-hash"]).toEqual({ name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } });
    for (const q of queries(find(docs, "AnalysisTemplate", "web-analysis"))) expect(q).toContain('destination_service_name="{{args.service}}"');
  });
});
