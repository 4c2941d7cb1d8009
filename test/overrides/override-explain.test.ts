import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/compile.js";

/** `finc explain` on the bundled CLI (rebuild dist/ with `npm run build` first). */
const FINC = resolve(REPO, "dist/finc.cjs");
const finc = (args: string[], cwd: string) => spawnSync(process.execPath, [FINC, ...args], { cwd, encoding: "utf8" });

const SPEC = `platform p {
  environments dev
}
namespace apps {}
service api {
  image "r.io/api:1.0.0"
  port http 8080
}
override deployment/api {
  spec.template.spec.dnsPolicy "None"
  spec.template.spec.dnsConfig {
    nameservers ["10.0.0.10"]
  }
}
`;

describe("override: finc explain shows it as the last step", () => {
  const dir = mkdtempSync(join(tmpdir(), "finc-override-explain-"));
  writeFileSync(join(dir, "main.fin"), SPEC);

  it("a field the override sets is explained by the override line; the document lists the override block last", () => {
    const build = finc(["build", "main.fin", "--out", "out", "--target", "kubernetes"], dir);
    expect(build.stderr).toBe("");
    expect(build.status).toBe(0);
    const field = finc(["explain", "out/dev/apps/deployment-api.yaml#/spec/template/spec/dnsPolicy"], dir);
    expect(field.status).toBe(0);
    expect(field.stdout).toBe('out/dev/apps/deployment-api.yaml#/spec/template/spec/dnsPolicy ← main.fin:10:3\n   10 |   spec.template.spec.dnsPolicy "None"\n');

    const doc = finc(["explain", "out/dev/apps/deployment-api.yaml"], dir);
    expect(doc.stdout.split("\n")[0]).toBe("out/dev/apps/deployment-api.yaml ← main.fin:5:1");
    expect(doc.stdout).toContain("then overridden by main.fin:9:1\n    9 | override deployment/api {\n   10 |   spec.template.spec.dnsPolicy \"None\"\n");

    // A field the override does not touch comes from the service, and the override is still named as the last step.
    const image = finc(["explain", "out/dev/apps/deployment-api.yaml#/spec/template/spec/containers/0/image"], dir);
    expect(image.stdout).toContain("main.fin:6:3");
    expect(image.stdout.trimEnd().split("\n").pop()).toBe("then overridden by main.fin:9:1");
    const map = JSON.parse(readFileSync(join(dir, "out/.finc/sourcemap.json"), "utf8")) as { documents: Record<string, { overrides?: { line: number }[] }> };
    expect(map.documents["dev/apps/deployment-api.yaml"]?.overrides?.map((o) => o.line)).toEqual([9]);
  });
});
