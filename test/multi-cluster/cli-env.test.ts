import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { REPO } from "../helpers/compile.js";

/** `finc build --env` on a multi-cluster environment, through the bundled CLI (npm run build first). */
const FINC = resolve(REPO, "dist/finc.cjs");
const finc = (args: string[]) => spawnSync(process.execPath, [FINC, ...args], { cwd: REPO, encoding: "utf8" });
const EXAMPLE = "examples/remittance-multi-region";

describe("finc build --env with clusters", () => {
  it("--env prod builds each of prod's clusters (prod-eu-west, prod-eu-central) and nothing of dev", () => {
    const out = mkdtempSync(join(tmpdir(), "finc-mc-"));
    const r = finc(["build", EXAMPLE, "--out", join(out, "o"), "--env", "prod"]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(out, "o")).filter((d) => !d.startsWith(".")).sort()).toEqual(["gitops", "prod-eu-central", "prod-eu-west"]);
    expect(readdirSync(join(out, "o/.finc/needs")).sort()).toEqual(["prod-eu-central.yaml", "prod-eu-west.yaml"]);
  });

  it("--env prod-eu-central builds that cluster alone; an unknown name lists the outputs", () => {
    const out = mkdtempSync(join(tmpdir(), "finc-mc-"));
    expect(finc(["build", EXAMPLE, "--out", join(out, "o"), "--env", "prod-eu-central"]).status).toBe(0);
    expect(readdirSync(join(out, "o")).filter((d) => !d.startsWith(".")).sort()).toEqual(["gitops", "prod-eu-central"]);
    const bad = finc(["build", EXAMPLE, "--out", join(out, "p"), "--env", "staging"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown environment 'staging' (environments: dev, prod-eu-west, prod-eu-central)");
  });
});
