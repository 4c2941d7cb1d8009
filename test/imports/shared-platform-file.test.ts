import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { createNodeHost, createOverlayHost } from "../../compiler/host/compiler-host.js";
import { findProjectRoot } from "../../compiler/host/project-root.js";
import { createProgram } from "../../compiler/program.js";
import { definition } from "../../language-server/src/features/definition.js";
import { STDLIB, summarize } from "../helpers/compile.js";

const BASE = `platform p {
  environments dev, prod
}
namespace apps {}
`;
const APP = (importPath: string) => `import "${importPath}"

service api {
  image "r.io/api:1.0.0"
  port http 8080
}
`;

/** In-memory files (absolute path → text); the roots are the given inputs. */
function compile(files: Record<string, string>, roots: string[]) {
  const host = createOverlayHost(new Map(Object.entries(files)), createNodeHost(STDLIB));
  return createProgram({ host, roots });
}

describe("import of a shared platform file from another folder", () => {
  it("`../platform/base.fin` resolves against the importing file inside a project marked by finc.root", () => {
    const program = compile({ "/repo/finc.root": "", "/repo/platform/base.fin": BASE, "/repo/apps/payments/main.fin": APP("../../platform/base.fin") }, ["/repo/apps/payments/main.fin"]);
    expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect([...program.files.keys()]).toContain("/repo/platform/base.fin");
    expect(program.checked.models.get("prod")?.services.map((s) => s.namespace)).toEqual(["apps"]);
  });

  it("the root is the nearest folder with finc.root or .git, else the inputs' common folder", () => {
    const host = createOverlayHost(new Map([["/r/finc.root", ""], ["/r/a/b/main.fin", ""], ["/s/x/one.fin", ""], ["/s/y/two.fin", ""]]), createNodeHost(STDLIB));
    expect(findProjectRoot(host, ["/r/a/b/main.fin"])).toBe("/r");
    expect(findProjectRoot(host, ["/s/x/one.fin", "/s/y/two.fin"])).toBe("/s");
  });

  it('"FIN2017": an import that leaves the project root is refused at the import string, and the file is not read', () => {
    const spec = APP("../../outside/base.fin");
    const program = compile({ "/repo/finc.root": "", "/repo/apps/main.fin": spec, "/outside/base.fin": BASE }, ["/repo/apps/main.fin"]);
    const found = program.diagnostics.filter((d) => d.code === "FIN2017").map((d) => ({ ...summarize(program, d), message: d.message }));
    expect(found).toEqual([{ code: "FIN2017", text: '"../../outside/base.fin"', line: 1, message: "'../../outside/base.fin' resolves to /outside/base.fin, outside the project root /repo." }]);
    expect(program.files.has("/outside/base.fin")).toBe(false);
  });

  it('"FIN2017": without a marker, the root is the inputs\' common folder', () => {
    const program = compile({ "/w/apps/main.fin": APP("../platform/base.fin"), "/w/platform/base.fin": BASE }, ["/w/apps/main.fin"]);
    expect(program.diagnostics.map((d) => d.code)).toContain("FIN2017");
    // Both folders given as inputs: their common folder holds both, and the import is fine.
    const both = compile({ "/w/apps/main.fin": APP("../platform/base.fin"), "/w/platform/base.fin": BASE }, ["/w/apps/main.fin", "/w/platform/base.fin"]);
    expect(both.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual([]);
  });

  it("on disk: a repository (.git) is a project root, and the language server's definition on the import string opens the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "finc-import-"));
    const write = (p: string, text: string) => { mkdirSync(dirname(join(dir, p)), { recursive: true }); writeFileSync(join(dir, p), text); };
    mkdirSync(join(dir, ".git"));
    write("platform/base.fin", BASE);
    write("apps/main.fin", APP("../platform/base.fin"));
    const main = join(dir, "apps/main.fin");
    const program = createProgram({ host: createNodeHost(STDLIB), roots: [main] });
    expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const offset = APP("../platform/base.fin").indexOf("base.fin");
    expect(definition(program, main, offset)?.uri).toMatch(/platform\/base\.fin$/);
  });
});
