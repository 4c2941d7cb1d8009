import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { formatSource } from "../../compiler/format/format.js";
import { filesBelow, runFinc } from "../helpers/run-cli.js";

const FIXTURES = resolve(__dirname, "fixtures");
const SHOP = join(FIXTURES, "online-shop");
/** The literal secret values planted in the online-shop fixture (an input Secret, a secret-named env value). */
const PLANTED = ["sk_live_51HqLyjWDarjtT1zdp7dcXxYzAbCdEf0123456789", "hunter2-but-longer-Zq8"];
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** 1-based line:col of the first occurrence of `needle` in the fixture file (independent of the importer). */
function lineColOf(file: string, needle: string): string {
  const lines = readFileSync(file, "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(needle));
  return `${i + 1}:${lines[i]!.search(/\S/) + 1}`;
}

describe("finc import: literal secrets", () => {
  it("never copies a literal secret value anywhere (the .fin, stdout, stderr, the rebuilt output) and says where each was (FIN6001 at file:line:col)", async () => {
    const work = mkdtempSync(join(tmpdir(), "finc-import-secrets-"));
    const imported = await runFinc(["import", SHOP, "--out", join(work, "spec")], work);
    const printed = await runFinc(["import", SHOP], work); // the .fin on stdout, the table on stderr
    const built = await runFinc(["build", join(work, "spec", "shop.fin"), "--out", join(work, "out")], work);
    expect([imported.code, printed.code, built.code]).toEqual([0, 0, 0]);
    const everything = [imported.out, imported.err, printed.out, printed.err, built.out, built.err, ...filesBelow(work).map((f) => readFileSync(f, "utf8"))].join("\n");
    for (const v of PLANTED) {
      expect(everything.includes(v), v).toBe(false);
      expect(everything.includes(b64(v)), `base64 of ${v}`).toBe(false);
    }
    const fin = readFileSync(join(work, "spec", "shop.fin"), "utf8");
    expect(fin).toMatch(/secret PAYMENT_API_KEY from vault "shop\/payment-provider" key "api-key"/);
    expect(fin).toMatch(/secret SMTP_PASSWORD from vault "shop\/email" key "smtp-password"/);
    expect(imported.err).toContain("warning[FIN6001]");
    expect(imported.err).toContain(`shop.yaml:${lineColOf(join(SHOP, "shop.yaml"), "api-key: sk_live")}`);
    expect(imported.err).toContain(`shop.yaml:${lineColOf(join(SHOP, "shop.yaml"), "value: \"hunter2")}`); // the env entry's `value:`, masked in the quoted line
  });

  it("a base64 `data:` Secret no workload reads is not copied either, and each of its keys is FIN6001", async () => {
    const dir = mkdtempSync(join(tmpdir(), "finc-import-b64-"));
    const value = "AKIAIOSFODNN7EXAMPLEQ";
    writeFileSync(join(dir, "s.yaml"), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\n  namespace: ops\ndata:\n  access-key: ${b64(value)}\n  region: ${b64("eu-west-1")}\n`);
    const r = await runFinc(["import", dir], dir);
    expect(r.code).toBe(0);
    expect((r.err.match(/warning\[FIN6001\]/g) ?? []).length).toBe(2);
    expect(r.out + r.err).not.toContain(b64(value));
    expect(r.out + r.err).not.toContain(value);
    expect(r.err).toMatch(/Secret ops\/aws +not mapped +no workload reads it as env; its values were not copied/);
  });

  it("masks secret-looking values in the comment blocks of objects it cannot map (a `kind: List` is read item by item)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "finc-import-mask-"));
    const token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    writeFileSync(join(dir, "list.yaml"), [
      "apiVersion: v1", "kind: List", "items:",
      "  - apiVersion: v1", "    kind: ConfigMap", "    metadata:", "      name: legacy", "      namespace: ops", "    data:", "      DB_PASSWORD: correct-horse-battery", "      MODE: batch",
      "  - apiVersion: example.com/v1", "    kind: Widget", "    metadata:", "      name: w", "      namespace: ops", "      annotations:", `        example.com/token: ${token}`, "",
    ].join("\n"));
    const r = await runFinc(["import", dir], dir);
    expect(r.code).toBe(0);
    expect(r.out + r.err).not.toContain("correct-horse-battery");
    expect(r.out + r.err).not.toContain(token);
    expect(r.out).toContain("//     DB_PASSWORD: <masked: a literal secret value is never copied>");
    expect(r.out).toContain("//     MODE: batch");
    expect(r.out).toContain("(Widget ops/w) (the whole object)");
    expect(r.err).toMatch(/list\.yaml#0 +ConfigMap ops\/legacy +not mapped/);
    expect(r.err).toMatch(/list\.yaml#0 +Widget ops\/w +not mapped +finc has no declaration for a Widget/);
  });
});

describe("finc import: the table, the escape hatch, the diagnostics", () => {
  it("`finc --help` lists the command", async () => {
    const r = await runFinc(["--help"], FIXTURES);
    expect(r.out).toMatch(/^  finc import <files\|dirs…> \[--out DIR\]/m);
  });

  it("ends with one row per input object, in input order, and a count", async () => {
    const dir = join(FIXTURES, "helm-wallet");
    const r = await runFinc(["import", dir, "--out", mkdtempSync(join(tmpdir(), "finc-import-t-"))], FIXTURES);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(readFileSync(join(dir, "rendered.yaml"), "utf8")).map((d) => d.toJS()).filter(Boolean) as { kind: string; metadata: { name: string; namespace: string } }[];
    const rows = r.out.split("\n").filter((l) => l.startsWith("helm-wallet/rendered.yaml#"));
    expect(rows.length).toBe(docs.length);
    docs.forEach((d, i) => expect(rows[i]).toMatch(new RegExp(`^helm-wallet/rendered\\.yaml#${i} +${d.kind} ${d.metadata.namespace}/${d.metadata.name} +(mapped|partly mapped|not mapped) +\\S`)));
    expect(r.out).toMatch(new RegExp(`${docs.length} objects: \\d+ mapped, \\d+ partly mapped, 1 not mapped\\.`));
    expect(r.out).toMatch(/Role wallet\/wallet-api-leader-election +not mapped +finc has no declaration for a Role/);
  });

  it("carries nodeSelector/tolerations as an override, and what has no field as a comment with file, document and pointer; FIN6003 and FIN6004 say so", async () => {
    const r = await runFinc(["import", join(FIXTURES, "helm-wallet")], FIXTURES);
    expect(r.code).toBe(0);
    expect(r.out).toContain('override deployment/wallet-api {\n  spec.template.spec.nodeSelector "kubernetes.io/arch" "amd64"');
    expect(r.out).toMatch(/spec\.template\.spec\.tolerations append \{\n    key +"dedicated"/);
    expect(r.out).toContain("// finc import: NOT MAPPED: helm-wallet/rendered.yaml document 3 (Deployment wallet/wallet-api) /spec/template/spec/affinity");
    expect(r.out).toContain("//       preferredDuringSchedulingIgnoredDuringExecution:");
    expect(r.out).toContain("// finc import: NOT MAPPED: helm-wallet/rendered.yaml document 1 (Role wallet/wallet-api-leader-election) (the whole object)");
    expect(r.err).toMatch(/info\[FIN6003\]: Role 'wallet-api-leader-election' is not mapped/);
    expect(r.err).toMatch(/warning\[FIN6004\]: The principal 'cluster\.local\/ns\/wallet\/sa\/default'/);
    expect(r.out).toMatch(/\/\/ stdlib: this looks like `fintech\/cache`/);
  });

  it("marks calls inferred from env values, and prints canonical .fin (finc fmt changes nothing)", async () => {
    const r = await runFinc(["import", SHOP], FIXTURES);
    expect(r.out).toMatch(/calls +productcatalog, cart, checkout +\/\/ inferred from env PRODUCT_CATALOG_SERVICE_ADDR \(productcatalog\), env CART_SERVICE_ADDR \(cart\), env CHECKOUT_SERVICE_ADDR \(checkout\)/);
    expect(formatSource(r.out)?.changed).toBe(false);
  });

  it("an input value finc's checker refuses (a CPU beyond 1024 cores) becomes a comment saying why; the import still checks (exit 0)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "finc-import-range-"));
    writeFileSync(join(dir, "d.yaml"), ["apiVersion: apps/v1", "kind: Deployment", "metadata: {name: big, namespace: apps}", "spec:", "  template:", "    spec:", "      containers:", "        - {name: c, image: r.example.com/big:1, resources: {requests: {cpu: \"99999\", memory: 1Gi}}}", ""].join("\n"));
    const r = await runFinc(["import", dir, "--out", join(dir, "spec")], dir);
    expect(r.code).toBe(0);
    const fin = readFileSync(join(dir, "spec", "apps.fin"), "utf8");
    expect(fin).toMatch(/^  \/\/ finc import: not accepted by finc check \(FIN\d{4}: [^)]*\): cpu +99999/m);
    expect(fin).toMatch(/^  memory +1Gi/m);
    expect((await runFinc(["check", join(dir, "spec", "apps.fin")], dir)).code).toBe(0);
  });

  it("FIN6002 for YAML that does not parse or is no Kubernetes object: exit 1, nothing written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "finc-import-bad-"));
    writeFileSync(join(dir, "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [unclosed\n");
    writeFileSync(join(dir, "b.yaml"), "just: a mapping\n");
    const out = join(dir, "out");
    const r = await runFinc(["import", dir, "--out", out], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error\[FIN6002\]: Cannot import document 0: /);
    expect(r.err).toMatch(/a\.yaml:\d+:\d+/);
    expect(r.err).toMatch(/error\[FIN6002\]: Cannot import document 0: it has no kind or metadata\.name/);
    expect(existsSync(out)).toBe(false);
  });

  it("--out: writes <platform>.fin atomically (no temporary file left), overwrites its own file, never a file it did not write", async () => {
    const dir = mkdtempSync(join(tmpdir(), "finc-import-out-"));
    const out = join(dir, "spec");
    expect((await runFinc(["import", SHOP, "--out", out], dir)).code).toBe(0);
    expect((await runFinc(["import", SHOP, "--out", out], dir)).code).toBe(0);
    expect(readdirSync(out)).toEqual(["shop.fin"]);
    writeFileSync(join(out, "shop.fin"), "platform mine { environments prod }\n");
    const r = await runFinc(["import", SHOP, "--out", out], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/was not written by finc import/);
    expect(readFileSync(join(out, "shop.fin"), "utf8")).toBe("platform mine { environments prod }\n");
  });
});
