import { describe, expect, it } from "vitest";
import { compileSources } from "../helpers/compile.js";
import { toDnsLabel } from "../../compiler/semantic/dns-name.js";

/** Issue 8 item 7: every declared name is a lower-case DNS label, and the error offers the fix. */

const spec = (platform: string, envs: string, rest: string): string =>
  `platform ${platform} {\n  environments ${envs}\n}\nsecretstore vault {\n  provider vault\n  server   "https://vault.example.com"\n}\nnamespace apps {}\n${rest}`;

/** FIN3008 diagnostics as (covered text, quick-fix text). */
function invalidNames(text: string): { text: string; fix: string | undefined }[] {
  const p = compileSources({ "main.fin": text });
  return p.diagnostics
    .filter((d) => d.code === "FIN3008")
    .map((d) => ({ text: text.slice(d.range.start, d.range.end), fix: d.fixes?.[0]?.edits[0]?.newText }));
}

describe('"FIN3008": names are lower-case DNS labels everywhere', () => {
  it("the platform name", () => {
    expect(invalidNames(spec("SHOP", "dev", ""))).toEqual([{ text: "SHOP", fix: "shop" }]);
  });

  it("each environment in the platform's list", () => {
    expect(invalidNames(spec("shop", "Dev, prod, QA_1", ""))).toEqual([
      { text: "Dev", fix: "dev" },
      { text: "QA_1", fix: "qa-1" },
    ]);
  });

  it("namespaces, secret stores, services, databases, issuers and patterns, each with the fix", () => {
    const rest = [
      "namespace Payments {}",
      'secretstore Vault2 {\n  provider vault\n  server   "https://vault.example.com"\n}',
      'service Api {\n  namespace apps\n  image "r.io/a:1"\n  port 80\n}',
      "database Ledger {\n  namespace apps\n  engine postgres\n}",
      'issuer LetsEncrypt {\n  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"\n}',
      "pattern Base for service {\n  replicas 2\n}",
    ].join("\n");
    const found = invalidNames(spec("shop", "dev", rest));
    for (const [text, fix] of [["Payments", "payments"], ["Vault2", "vault2"], ["Api", "api"], ["Ledger", "ledger"], ["LetsEncrypt", "letsencrypt"], ["Base", "base"]]) {
      expect(found).toContainEqual({ text, fix });
    }
  });

  it("a lower-case spec has no FIN3008", () => {
    expect(invalidNames(spec("shop", "dev, prod", 'service api {\n  namespace apps\n  image "r.io/a:1"\n  port 80\n}\n'))).toEqual([]);
  });

  it("the fix is itself a valid label, or there is none", () => {
    expect(toDnsLabel("Bad_Name", 50)).toBe("bad-name");
    expect(toDnsLabel("__X--y__", 50)).toBe("x-y");
    expect(toDnsLabel("123", 50)).toBeUndefined();
    expect(toDnsLabel("A".repeat(80), 50)).toBe("a".repeat(50));
  });
});
