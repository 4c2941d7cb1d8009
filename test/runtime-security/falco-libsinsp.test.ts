// The Falco rules' conditions compiled by the real Falco filter compiler (libsinsp, from the Debian
// package libfalcosecurity0-dev, with libtbb-dev and libjsoncpp-dev for its headers): each rule's
// condition with its macros and lists expanded, as Falco's rule loader compiles it. The packaged
// libsinsp is an early-2022 one, so the rules are held to the fields and syntax of that version
// too (no `k8s.pod.label[…]`, no IPv6 networks). Skipped, saying so, where the package is missing.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compile } from "../kustomize/support.js";
import { REPO } from "../helpers/compile.js";
import { expandedRuleConditions, type Item } from "./falco-syntax.js";

const HEADERS = "/usr/include/falcosecurity-libs/userspace";
const why = !existsSync(`${HEADERS}/libsinsp/filter.h`) ? "no libsinsp headers (apt-get install libfalcosecurity0-dev libtbb-dev libjsoncpp-dev)"
  : spawnSync("g++", ["--version"]).status !== 0 ? "no g++" : undefined;
if (why) console.warn(`test/runtime-security: ${why}; the libsinsp compile of the Falco rules is SKIPPED.`);

describe.skipIf(!!why)("Falco rules compiled by libsinsp's filter compiler", () => {
  const dir = mkdtempSync(join(tmpdir(), "finc-sinsp-"));
  const bin = join(dir, "sinsp-check");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const compileAll = (conditions: string[]): string[] => {
    if (!existsSync(bin)) {
      const inc = ["libsinsp", "libscap", "", "common"].map((d) => `-I${HEADERS}/${d}`.replace(/\/$/, ""));
      execFileSync("nice", ["g++", "-std=c++17", "-O0", join(REPO, "test/runtime-security/sinsp-check.cpp"), "-o", bin, ...inc, "-I/usr/include/jsoncpp", "-lsinsp", "-lscap"], { stdio: "pipe" });
    }
    // One process per condition: a crash (an unknown field) must not hide the others' results.
    return conditions.map((c) => {
      const r = spawnSync(bin, [], { input: c + "\n", encoding: "utf8", timeout: 20_000 });
      return r.status === 0 ? r.stdout.trim() : `crash (${r.signal ?? r.status})`;
    });
  };

  it("the compiler tells a valid condition from broken ones (controls)", () => {
    expect(compileAll(["proc.name = sh and fd.name pmatch (\"/tmp\")", "(proc.name = sh", "proc.nam = sh", "k8s.pod.label[app] = x"]).map((r) => r === "ok")).toEqual([true, false, false, false]);
  }, 120_000);

  it("compiles every rule of the payments example, every environment", () => {
    const program = compile(`${REPO}/examples/payments`);
    for (const f of buildOutputs(program, { targets: ["runtime-security"] }).files) {
      const items = parse((parse(f.content) as { data: Record<string, string> }).data["finc-rules.yaml"]!) as Item[];
      const rules = expandedRuleConditions(items);
      expect(rules.length).toBeGreaterThan(5);
      const results = compileAll(rules.map((r) => r.condition));
      expect(rules.map((r, i) => ({ rule: r.rule, result: results[i] })).filter((x) => x.result !== "ok"), f.path).toEqual([]);
    }
  }, 300_000);
});
