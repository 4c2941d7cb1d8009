import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { messages } from "../../compiler/diagnostics/messages.js";
import { diagnosticsOf, PLATFORM, REPO } from "../helpers/compile.js";

/**
 * One input per diagnostic code, with the exact source text the range must cover.
 * `spec` is appended to a valid platform unless `alone` is set.
 */
const cases: { code: string; spec: string; covers: string; alone?: boolean }[] = [
  { code: "FIN1001", spec: "service a { image \"r.io/a:1\" port 80 } $", covers: "$" },
  { code: "FIN1002", spec: 'service a {\n  image "r.io/a:1\n  port 80\n}', covers: '"r.io/a:1' },
  { code: "FIN1003", spec: "service a {\n  port 80\n", covers: "" },
  { code: "FIN2001", spec: "servce a {}", covers: "servce" },
  { code: "FIN2002", spec: 'service a { image "r.io/a:1"\n port 80 }\nservice a { image "r.io/a:1"\n port 81 }', covers: "a" },
  { code: "FIN2003", spec: 'service a {\n  image "r.io/a:1"\n  port 80\n  replcas 3\n}', covers: "replcas" },
  { code: "FIN2004", spec: 'service a {\n  image "r.io/a:1"\n  port 80\n  calls ledgr\n}', covers: "ledgr" },
  { code: "FIN2005", spec: 'import "fintech/nope"', covers: '"fintech/nope"' },
  { code: "FIN2006", spec: 'service a is web-api {\n  image "r.io/a:1"\n  port 80\n}', covers: "web-api" },
  { code: "FIN2007", spec: 'service a {\n  image "r.io/a:1"\n  port 80\n  image "r.io/a:2"\n}', covers: "image" },
  { code: "FIN2008", spec: "environment qa {}", covers: "qa" },
  { code: "FIN2009", spec: "environment prod {\n  ap.replicas 3\n}", covers: "ap" },
  { code: "FIN2010", spec: 'namespace apps {}\nservice a {\n  image "r.io/a:1"\n  port 80\n}', covers: "", alone: true },
  { code: "FIN2012", spec: "service {\n}", covers: "service" },
  { code: "FIN3001", spec: 'service a {\n  image r.io\n  port 80\n}', covers: "r.io" },
  { code: "FIN3002", spec: 'service a {\n  image "r.io/a:1"\n  port 80\n  cpu 512Mi\n}', covers: "512Mi" },
  { code: "FIN3003", spec: "service a {\n  port 80\n}", covers: "a" },
  { code: "FIN3004", spec: 'service a {\n  image "r.io/a:1"\n  port 70000\n}', covers: "70000" },
  { code: "FIN3005", spec: 'service a {\n  image "r.io/a:1"\n  port 80\n  cpu 2 to 500m\n}', covers: "2 to 500m" },
  { code: "FIN3006", spec: 'service a {\n  image "r.io/a:1"\n  port 80\n  replicas 5 to 2\n}', covers: "5 to 2" },
  { code: "FIN3007", spec: "namespace b {\n  security strict\n}", covers: "strict" },
  { code: "FIN3008", spec: 'service Bad_Name {\n  image "r.io/a:1"\n  port 80\n}', covers: "Bad_Name" },
  { code: "FIN3009", spec: 'service a {\n  image "R.io//a::1"\n  port 80\n}', covers: '"R.io//a::1"' },
  { code: "FIN3010", spec: 'service a {\n  image "r.io/a:1"\n  port 80\n  expose "not a host"\n}', covers: '"not a host"' },
  { code: "FIN3011", spec: 'import "fintech/internal-service"\nservice a is internal-service {\n  image "r.io/a:1"\n}\nenvironment prod {\n  a.replicas 1\n}', covers: "a.replicas 1" },
  { code: "FIN3012", spec: 'database db {\n  storage 10Gi\n  credentials from vault "db"\n}\nservice a {\n  image "r.io/a:1"\n  port 80\n  secret X from db.uri\n}', covers: "uri" },
  { code: "FIN4001", spec: 'service a {\n  image "r.io/a:1"\n  port 80\n  secret API_KEY = "sk_live_123"\n}', covers: '"sk_live_123"' },
  { code: "FIN4002", spec: 'namespace b {\n  quota cpu 1\n}\nservice a {\n  namespace b\n  image "r.io/a:1"\n  port 80\n  replicas 2 to 4\n  cpu 1\n}', covers: "quota cpu 1" },
  { code: "FIN4003", spec: 'service a {\n  image "r.io/a:1"\n  port http 8080, admin 8080\n}', covers: "admin 8080" },
  { code: "FIN4004", spec: 'service a {\n  image "r.io/a:1"\n  port 80\n  calls a\n}', covers: "a" },
  { code: "FIN4005", spec: 'platform p {\n  environments dev\n  compliance pci-dss\n}\nnamespace b {\n  security baseline\n}', covers: "security baseline", alone: true },
  { code: "FIN4006", spec: 'namespace b {}\nservice a {\n  image "r.io/a:1"\n  port 80\n}', covers: "a" },
  { code: "FIN4007", spec: 'service a {\n  image "r.io/a"\n  port 80\n}', covers: '"r.io/a"' },
];

describe("every diagnostic code has an input that triggers it", () => {
  for (const c of cases) {
    it(`${c.code}: ${messages[c.code as keyof typeof messages]?.name ?? "?"}`, () => {
      const found = diagnosticsOf({ "main.fin": c.alone ? c.spec : PLATFORM + c.spec });
      expect(found.filter((d) => d.code === c.code).map((d) => d.text)).toContain(c.covers);
    });
  }

  it("the table has no code without a test that names it", () => {
    const testText = collectTests(join(REPO, "test")).map((f) => readFileSync(f, "utf8")).join("\n");
    const untested = Object.keys(messages).filter((code) => !cases.some((c) => c.code === code) && !testText.includes(`"${code}"`));
    expect(untested).toEqual([]);
  });
});

function collectTests(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return collectTests(p);
    return n.endsWith(".test.ts") && !p.endsWith("diagnostic-codes.test.ts") ? [p] : [];
  });
}
