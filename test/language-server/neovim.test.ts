import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Neovim's built-in client (Debian's 0.7) gets diagnostics, completion, hover, definition,
 * symbols and formatting from the server: `neovim-client.lua` drives dist/server.cjs headless
 * and prints what each request returned. Skipped when `nvim` is not installed.
 */
const nvim = spawnSync("nvim", ["--version"], { encoding: "utf8" });
const version = nvim.status === 0 ? /NVIM v(\S+)/.exec(nvim.stdout)?.[1] : undefined;
const SKIP = version ? "" : "nvim is not installed (apt-get install neovim)";
const server = resolve("dist/server.cjs");

const SPEC = `platform shop {
  cloud        aws
  regions      eu-west-1 primary
  environments dev, prod
}

namespace shop {
  security restricted
}

service api {
  image    "registry.example.com/shop/api:1.0.0"
  port     http 8080
  calls    ledger, nosuch
}

service ledger {
  image    "registry.example.com/shop/ledger:1.0.0"
   port     http 8080

}
`;

describe.skipIf(!!SKIP)(`Neovim ${version ?? ""} against the language server${SKIP ? ` (skipped: ${SKIP})` : ""}`, () => {
  const dir = mkdtempSync(join(tmpdir(), "finc-nvim-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gets diagnostics, completion, hover, definition, symbols and formatting", () => {
    expect(existsSync(server), "run `npm run build` first").toBe(true);
    const spec = join(dir, "spec.fin");
    const out = join(dir, "out.jsonl");
    writeFileSync(spec, SPEC);
    const run = spawnSync("nvim", ["--headless", "-u", "NONE", "-c", `luafile ${resolve("test/language-server/neovim-client.lua")}`], {
      env: { ...process.env, FINC_SERVER: server, FINC_SPEC: spec, FINC_OUT: out },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(existsSync(out), `nvim wrote nothing: ${run.stderr}${run.stdout}`).toBe(true);
    const got = Object.fromEntries(readFileSync(out, "utf8").trim().split("\n").map((l) => {
      const { feature, value } = JSON.parse(l) as { feature: string; value: unknown };
      return [feature, value];
    })) as Record<string, unknown>;

    expect(got.diagnostics).toEqual([expect.objectContaining({ code: "FIN2004", line: 13, message: expect.stringContaining("'nosuch'") })]);
    // On the blank line of `ledger`: fields it does not set yet, not the ones it sets.
    const labels = got.completion as string[];
    expect(labels).toEqual(expect.arrayContaining(["replicas", "cpu", "memory"]));
    expect(labels).not.toContain("image");
    expect(JSON.stringify(got.hover)).toContain("service api");
    expect(got.definition).toEqual(expect.objectContaining({ range: expect.objectContaining({ start: { line: 16, character: 8 } }) }));
    expect(got.symbols).toEqual(["shop", "shop", "api", "ledger"]);
    const edits = got.formatting as { newText: string }[];
    expect(edits.map((e) => e.newText).join("")).toContain('service ledger {\n  image "registry.example.com/shop/ledger:1.0.0"\n  port  http 8080\n}\n');
  }, 90_000);
});
