import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createCompileScheduler } from "../../language-server/src/compile-scheduler.js";
import { createWorkspace } from "../../language-server/src/workspace.js";

/** The document being typed in is what the user looks at: its diagnostics go out before the other files'. */
describe("publishing diagnostics", () => {
  const dir = mkdtempSync(join(tmpdir(), "finc-publish-order-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("publishes the open document first, then the other workspace files", () => {
    const platform = 'platform p {\n  cloud aws\n  regions eu-west-1 primary\n  environments dev\n}\nnamespace apps {\n  security restricted\n}\n';
    // Both files have an unknown field (FIN2003), so both get a publication.
    writeFileSync(join(dir, "a.fin"), platform + 'service a {\n  image "r.io/a:1"\n  port http 8080\n  replicaz 2\n}\n');
    const openText = 'service z {\n  image "r.io/z:1"\n  port http 8080\n  memroy 1Gi\n}\n';
    writeFileSync(join(dir, "z.fin"), openText);
    const workspace = createWorkspace();
    workspace.setFolders([dir]);
    const zPath = join(dir, "z.fin");
    const zUri = pathToFileURL(zPath).href;
    workspace.open(zUri, zPath, 1, openText);
    const order: string[] = [];
    const scheduler = createCompileScheduler({ workspace, publish: (p) => order.push(p.uri), onError: (e) => { throw e; } });
    scheduler.flush();
    expect(order).toEqual([zUri, pathToFileURL(join(dir, "a.fin")).href]);
    const program = workspace.snapshot!.program;
    expect(program.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(["FIN2003"]));
    expect(new Set(program.diagnostics.filter((d) => d.code === "FIN2003").map((d) => d.range.file))).toEqual(new Set([join(dir, "a.fin"), zPath]));
    scheduler.dispose();
  });
});
