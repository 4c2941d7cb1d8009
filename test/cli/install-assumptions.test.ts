import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PLATFORM, REPO } from "../helpers/compile.js";
import { runFinc } from "../helpers/run-cli.js";

/** `finc build` names what the cluster must run for its output, once per build, only what the spec uses. */
async function build(input: string): Promise<{ code: number; out: string; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "finc-assume-"));
  const r = await runFinc(["build", input, "--out", join(dir, "out")], dir);
  const lines = r.out.split("\n").filter((l) => l.startsWith("  - ")).map((l) => l.slice(4));
  return { code: r.code, out: r.out, lines };
}

describe("finc build prints the cluster's install assumptions", () => {
  it("the payments example (3 environments): its operators once each, after the summary line", async () => {
    const r = await build(resolve(REPO, "examples/payments"));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^finc: built .* for 3 environments .*\nfinc: this output assumes:\n/);
    expect(r.out.match(/this output assumes/g)).toHaveLength(1);
    for (const expected of [
      "CloudNativePG operator ≥ 1.25: namespace cnpg-system",
      "Istio ≥ 1.20 with the CNI node agent",
      "cert-manager ≥ 1.12",
      "External Secrets Operator ≥ 0.16",
      "Argo Rollouts",
      "KEDA ≥ 2.13",
      "Istio ingress gateway: namespace istio-ingress, service account istio-ingressgateway",
    ]) {
      expect(r.lines.filter((l) => l.startsWith(expected))).toHaveLength(1);
    }
    // Not used by payments: no ambient, no plain sidecars without CNI, no Vault Agent, VPA, nginx, Traefik or Velero.
    for (const absent of ["Istio ≥ 1.24, ambient", "Istio ≥ 1.20, default profile", "Vault Agent", "Vertical Pod", "ingress-nginx", "Traefik", "Velero"]) {
      expect(r.lines.filter((l) => l.startsWith(absent))).toEqual([]);
    }
    expect(new Set(r.lines).size).toBe(r.lines.length);
  });

  it("ambient mode names ztunnel, not the CNI sidecar setup", async () => {
    const r = await build(resolve(REPO, "examples/open-banking-ambient"));
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => l.includes("ztunnel"))).toHaveLength(1);
    expect(r.lines.filter((l) => l.includes("CNI node agent"))).toEqual([]);
  });

  it("a spec without mesh, databases or operators' features prints no Istio line and no assumptions at all", async () => {
    const dir = mkdtempSync(join(tmpdir(), "finc-assume-spec-"));
    writeFileSync(join(dir, "a.fin"), `${PLATFORM}service api {\n  namespace apps\n  image "r.io/api:1.0"\n  port http 8080\n}\n`);
    const r = await build(join(dir, "a.fin"));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^finc: built /);
    expect(r.out).not.toMatch(/Istio/);
    // The spec's vault store is ESO-delivered: that is the one thing it assumes.
    expect(r.lines).toEqual(["External Secrets Operator ≥ 0.16: serves external-secrets.io/v1"]);
  });
});
