import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { OVERRIDE_KINDS } from "../../compiler/semantic/kube-schema/index.js";
import { diagnosticsOf, PLATFORM, serviceSpec, REPO } from "../helpers/compile.js";

const VENDORED = resolve(REPO, "compiler/semantic/kube-schema/schemas.json");
const SHARED = "/work/shared/schemas";

describe("the vendored schemas", () => {
  it("cover the kinds finc emits that an override may patch, and stay small", () => {
    expect([...OVERRIDE_KINDS.keys()]).toEqual(expect.arrayContaining(["deployment", "statefulset", "job", "cronjob", "service", "configmap", "serviceaccount", "networkpolicy", "poddisruptionbudget", "horizontalpodautoscaler", "virtualservice", "destinationrule", "authorizationpolicy", "peerauthentication"]));
    expect(OVERRIDE_KINDS.get("horizontalpodautoscaler")?.apiVersion).toBe("autoscaling/v2");
    expect(statSync(VENDORED).size).toBeLessThan(64 * 1024);
    expect(existsSync(resolve(REPO, "compiler/semantic/kube-schema/NOTICE"))).toBe(true);
  });

  it("are exactly what scripts/vendor-k8s-schemas.mjs generates from the shared schemas", () => {
    if (!existsSync(SHARED)) return;
    const out = join(mkdtempSync(join(tmpdir(), "finc-vendor-")), "schemas.json");
    execFileSync(process.execPath, [resolve(REPO, "scripts/vendor-k8s-schemas.mjs"), SHARED, out], { stdio: "ignore" });
    expect(readFileSync(out, "utf8")).toBe(readFileSync(VENDORED, "utf8"));
  });

  it("check Istio kinds too: an unknown load balancer is FIN3039 with the allowed values", () => {
    const spec = `${PLATFORM}${serviceSpec("api")}override destinationrule/api {\n  spec.trafficPolicy.loadBalancer.simple "ROUND_ROBINN"\n}\n`;
    expect(diagnosticsOf({ "main.fin": spec })).toContainEqual({ code: "FIN3039", text: '"ROUND_ROBINN"', line: 14 });
  });
});
