import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFinc } from "../helpers/run-cli.js";
import { formatSource } from "../../compiler/format/format.js";
import { applyEdits, planImagePromotion } from "../../compiler/promote/promote-images.js";
import { compileSources, VIRTUAL } from "../helpers/compile.js";

const PLATFORM = `platform p {
  cloud        aws
  regions      eu-west-1 primary
  kubernetes   "1.31"
  environments dev, staging, prod
}

namespace apps {
  security restricted
}
`;
const SERVICES = `service api {
  namespace apps
  image     "r.io/api:1.0.0"
  port      http 8080
}

service web {
  namespace apps
  image     "r.io/web:2.0.0"
  port      http 8080
}
`;

/** Promotes and returns the new text of each file plus the images every environment runs afterwards. */
function promote(files: Record<string, string>, from: string, to: string) {
  const program = compileSources(files);
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  const plan = planImagePromotion(program, from, to);
  const next = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, applyEdits(text, plan.edits.get(`${VIRTUAL}/${name}`) ?? [])]));
  const after = compileSources(next);
  expect(after.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  const images = (env: string) => Object.fromEntries(after.checked.models.get(env)!.services.map((s) => [s.name, s.image]));
  return { plan, next, images };
}

describe("finc promote: the next environment takes over the images of the previous one", () => {
  it("adds the override to the target's environment block, before its closing brace, indented like it", () => {
    const env = `\nenvironment staging {\n  api.image "r.io/api:1.1.0"\n}\n\nenvironment prod {\n  api.replicas 3\n}\n`;
    const { plan, next, images } = promote({ "platform.fin": PLATFORM, "services.fin": SERVICES + env }, "staging", "prod");
    expect(plan.changes).toEqual([{ workload: "api", from: "r.io/api:1.0.0", to: "r.io/api:1.1.0" }]);
    expect(next["services.fin"]).toBe(SERVICES + `\nenvironment staging {\n  api.image "r.io/api:1.1.0"\n}\n\nenvironment prod {\n  api.replicas 3\n  api.image "r.io/api:1.1.0"\n}\n`);
    expect(next["platform.fin"]).toBe(PLATFORM);
    expect(images("prod")).toEqual({ api: "r.io/api:1.1.0", web: "r.io/web:2.0.0" });
    expect(images("dev")).toEqual({ api: "r.io/api:1.0.0", web: "r.io/web:2.0.0" });
  });

  it("rewrites an existing override of the target in place, the string only", () => {
    const env = `\nenvironment dev {\n  web.image "r.io/web:2.1.0"  // the new web\n}\n\nenvironment staging {\n  web.image "r.io/web:2.0.5"\n}\n`;
    const { next, images } = promote({ "platform.fin": PLATFORM, "services.fin": SERVICES + env }, "dev", "staging");
    expect(next["services.fin"]).toBe(SERVICES + `\nenvironment dev {\n  web.image "r.io/web:2.1.0"  // the new web\n}\n\nenvironment staging {\n  web.image "r.io/web:2.1.0"\n}\n`);
    expect(images("staging").web).toBe("r.io/web:2.1.0");
  });

  it("creates the target's environment block at the end of the platform's file when there is none", () => {
    const env = `\nenvironment staging {\n  api.image "r.io/api:1.2.0"\n  web.image "r.io/web:3.0.0"\n}\n`;
    const { plan, next, images } = promote({ "platform.fin": PLATFORM, "services.fin": SERVICES + env }, "staging", "prod");
    expect(plan.changes.map((c) => c.workload)).toEqual(["api", "web"]);
    expect(next["platform.fin"]).toBe(PLATFORM + `\nenvironment prod {\n  api.image "r.io/api:1.2.0"\n  web.image "r.io/web:3.0.0"\n}\n`);
    expect(images("prod")).toEqual({ api: "r.io/api:1.2.0", web: "r.io/web:3.0.0" });
  });

  it("changes nothing when the target already runs the same images", () => {
    const program = compileSources({ "platform.fin": PLATFORM, "services.fin": SERVICES });
    const plan = planImagePromotion(program, "dev", "prod");
    expect(plan.changes).toEqual([]);
    expect([...plan.edits.keys()]).toEqual([]);
  });
});

describe("finc promote on the command line", () => {
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), "finc-promote-"));
    writeFileSync(join(d, "platform.fin"), PLATFORM);
    writeFileSync(join(d, "services.fin"), SERVICES + `\nenvironment staging {\n  api.image "r.io/api:1.1.0"\n}\n`);
    return d;
  };
  const cli = (cwd: string, ...args: string[]) => runFinc(args, cwd);

  it("--check prints the change, exits 1 and writes nothing", async () => {
    const d = dir();
    const before = readFileSync(join(d, "platform.fin"), "utf8");
    const r = await cli(d, "promote", ".", "--from", "staging", "--to", "prod", "--check");
    expect(r.code).toBe(1);
    expect(r.out).toBe("api: r.io/api:1.0.0 -> r.io/api:1.1.0\n");
    expect(readFileSync(join(d, "platform.fin"), "utf8")).toBe(before);
  });

  it("rewrites the spec, which stays canonically formatted and checks clean; a second run has nothing to do", async () => {
    const d = dir();
    const r = await cli(d, "promote", ".", "--from", "staging", "--to", "prod");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("finc: updated platform.fin");
    const text = readFileSync(join(d, "platform.fin"), "utf8");
    expect(text).toContain('environment prod {\n  api.image "r.io/api:1.1.0"\n}\n');
    expect(formatSource(text)?.changed).toBe(false);
    expect((await cli(d, "check", ".")).code).toBe(0);
    expect((await cli(d, "promote", ".", "--from", "staging", "--to", "prod", "--check")).code).toBe(0);
  });

  it("refuses unknown environments and a spec with errors", async () => {
    const d = dir();
    expect((await cli(d, "promote", ".", "--from", "staging", "--to", "qa")).code).toBe(2);
    expect((await cli(d, "promote", ".", "--from", "staging")).code).toBe(2);
    writeFileSync(join(d, "services.fin"), SERVICES.replace("port      http", "prot      http"));
    const r = await cli(d, "promote", ".", "--from", "staging", "--to", "prod");
    expect(r.code).toBe(1);
    expect(r.err).toContain("nothing was promoted");
  });
});
