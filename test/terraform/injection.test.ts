import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { awsFiles } from "../../compiler/emit/terraform/aws.js";
import { assertExactIamResources } from "../../compiler/emit/terraform/iam-resources.js";
import { ref, tf, tfJson, type TfValue } from "../../compiler/emit/terraform/json.js";
import type { PlatformModel } from "../../compiler/model/platform-model.js";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { AWS_SPEC, terraformFiles, type Json } from "./support.js";

/** Text that Terraform would evaluate if it reached a JSON string unescaped: a function call and a directive. */
const PAYLOAD = '${file("/etc/passwd")}%{ for x in y }x%{ endfor }';

/**
 * Terraform's template grammar, as far as the tests need it: the literal text a string stands
 * for (escapes `$${` / `%%{` undone) and the expressions it interpolates. A `%{` directive is
 * returned as an expression too (finc never writes one).
 */
function scanTemplate(s: string): { literal: string; exprs: string[] } {
  let literal = "";
  const exprs: string[] = [];
  let i = 0;
  while (i < s.length) {
    if ((s.startsWith("$${", i) || s.startsWith("%%{", i))) {
      literal += s[i] + "{";
      i += 3;
    } else if (s.startsWith("${", i) || s.startsWith("%{", i)) {
      let depth = 1;
      let j = i + 2;
      let quoted = false;
      for (; j < s.length && depth > 0; j++) {
        const c = s[j];
        if (quoted) {
          if (c === "\\") j++;
          else if (c === '"') quoted = false;
        } else if (c === '"') quoted = true;
        else if (c === "{") depth++;
        else if (c === "}") depth--;
      }
      if (depth) throw new Error(`unterminated template sequence in ${s}`);
      const expr = s.slice(i + 2, j - 1);
      exprs.push(s[i] === "%" ? `%${expr}` : expr);
      // finc writes a `$` that precedes an interpolation as the expression "$…" (see json.ts).
      if (/^"\$+"$/.test(expr)) literal += expr.slice(1, -1);
      i = j;
    } else {
      literal += s[i];
      i++;
    }
  }
  return { literal, exprs };
}

/** Every string of a parsed JSON document, object keys included. */
function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]);
  return [];
}

/** The expressions finc itself writes: references, the functions it uses, a quoted `$`. */
const FINC_EXPR = /^(?:(?:var|local|data|aws_[a-z0-9_]+)\.[A-Za-z0-9_.[\]-]+|trimprefix\(data\.[^()]*\)|element\(split\([^()]*\), 1\)|can\(regex\("[^"]*", var\.[a-z_]+\)\)|"\$+")$/;

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The model of AWS_SPEC's dev environment with PAYLOAD added to every spec-derived string the terraform target reads. */
function poisonedModel(): PlatformModel {
  const program = compileSources({ "main.fin": AWS_SPEC });
  expect(program.diagnostics).toEqual([]);
  const m = structuredClone(program.checked.models.get("dev")!) as unknown as Loose;
  const x = (s: string) => s + PAYLOAD;
  m["environment"] = x(m["environment"]);
  const p = m["platform"];
  p.name = x(p.name);
  p.cluster = x(p.cluster);
  p.kms = x(p.kms);
  p.account = x(p.account);
  p.regions = p.regions.map((r: Loose) => ({ ...r, name: x(r["name"]) }));
  p.registry.credentials.path = x(p.registry.credentials.path);
  for (const st of m["secretStores"]) st.server = x(st.server);
  for (const s of m["services"]) {
    s.name = x(s.name);
    s.namespace = x(s.namespace);
    for (const sec of s.secrets) if (sec.source.kind === "store") sec.source.path = x(sec.source.path);
  }
  for (const d of m["databases"]) {
    d.credentials.path = x(d.credentials.path);
    if (d.replicateTo) d.replicateTo = x(d.replicateTo);
  }
  return m as unknown as PlatformModel;
}

function expectNoInjection(files: Iterable<[string, unknown]>): string {
  let literalText = "";
  for (const [path, body] of files) {
    for (const s of strings(body)) {
      const { literal, exprs } = scanTemplate(s);
      for (const e of exprs) expect(e, `${path}: an expression finc did not write, in ${JSON.stringify(s)}`).toMatch(FINC_EXPR);
      literalText += literal + "\n";
    }
  }
  return literalText;
}

describe("terraform target: text from the spec is never evaluated", () => {
  it("escapes ${ and %{ in names, paths, regions, KMS alias, cluster and account (model written past the checker)", () => {
    const files = [...awsFiles(poisonedModel())].map(([name, body]) => [name, JSON.parse(tfJson(body))] as [string, unknown]);
    expect(files.length).toBeGreaterThan(3);
    const text = expectNoInjection(files);
    // The text is still there, literally: escaped, not dropped.
    const occurrences = text.split(PAYLOAD).length - 1;
    expect(occurrences).toBeGreaterThan(20);
    for (const what of ["arn:aws:secretsmanager:eu-west-1" + PAYLOAD, "payments/stripe" + PAYLOAD + "-??????", "alias/payments-dev" + PAYLOAD, "123456789012" + PAYLOAD + ":root"]) {
      expect(text, what).toContain(what);
    }
    const json = files.map(([, b]) => JSON.stringify(b)).join("\n");
    expect(json).toContain("$${file(");
    expect(json).toContain("%%{ for x in y }");
  });

  it("FIN4030: an aws secret store's server is exactly a region (it lands in the secrets' ARNs), never ${…} or a wildcard", () => {
    for (const server of ["eu-west-1" + PAYLOAD, "*", "eu-west-?"]) {
      const spec = AWS_SPEC.replace('server   "eu-west-1"', `server   ${JSON.stringify(server)}`);
      expect(diagnosticsOf({ "main.fin": spec }), server).toContainEqual(expect.objectContaining({ code: "FIN4030", text: `server   ${JSON.stringify(server)}` }));
    }
  });

  it("finc's own references stay expressions, also right after text ending in $", () => {
    const body: Json = {
      a: tf`arn:aws:iam::${ref("data.aws_caller_identity.current.account_id")}:root`,
      b: tf`cost$${ref("var.x")}`,
      c: tf`${"a$$"}${ref("var.x")}`,
      d: "${var.x}",
    };
    const out = JSON.parse(tfJson(body as unknown as TfValue)) as Record<string, string>;
    expect(out).toEqual({ a: "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root", b: 'cost${"$"}${var.x}', c: 'a${"$$"}${var.x}', d: "$${var.x}" });
    expect(scanTemplate(out["c"]!)).toEqual({ literal: "a$$", exprs: ['"$$"', "var.x"] });
  });

  it("a TfTemplate cannot be concatenated into a plain string by mistake", () => {
    expect(() => `${ref("var.x") as unknown as string}/*`).toThrow(/TfTemplate/);
  });

  // Terraform itself evaluates the escaped strings back to exactly the text written (no provider needed).
  const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
  it.skipIf(!terraform)("terraform evaluates escaped spec text to exactly that text", () => {
    const texts = [PAYLOAD, "$${x}", "$$${x}", "a$", "%%{", "100%{", "${", "%{", "}", "$$", 'quote " and \\ back'];
    const outputs: Record<string, TfValue> = {};
    texts.forEach((t, i) => (outputs[`t${i}`] = { value: t }));
    texts.forEach((t, i) => (outputs[`r${i}`] = { value: tf`${t}${ref("local.x")}${t}` }));
    const dir = mkdtempSync(join(tmpdir(), "finc-tf-escape-"));
    try {
      writeFileSync(join(dir, "main.tf.json"), tfJson({ locals: { x: "X" }, output: outputs }));
      const env = { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: join(dir, "none.tfrc") };
      writeFileSync(join(dir, "none.tfrc"), "");
      const apply = spawnSync("terraform", ["apply", "-auto-approve", "-input=false", "-no-color"], { cwd: dir, env, encoding: "utf8" });
      expect(apply.status, apply.stderr).toBe(0);
      const out = JSON.parse(spawnSync("terraform", ["output", "-json"], { cwd: dir, env, encoding: "utf8" }).stdout) as Record<string, { value: string }>;
      texts.forEach((t, i) => {
        expect(out[`t${i}`]!.value).toBe(t);
        expect(out[`r${i}`]!.value).toBe(`${t}X${t}`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("terraform target: every IAM Resource is exactly a resource the spec names", () => {
  const program = compileSources({ "main.fin": AWS_SPEC });
  type Statement = { resources?: string[]; principals?: unknown; actions: string[]; condition?: { variable: string }[] };
  const policyStatements = (files: Map<string, Json>) =>
    [...files.values()].flatMap((f) => Object.values(((f["data"] as Json | undefined)?.["aws_iam_policy_document"] ?? {}) as Record<string, { statement: Statement[] }>).flatMap((d) => d.statement));

  it("secret ARNs name the spec's secrets with only Secrets Manager's -?????? suffix; other Resources are finc's buckets and keys", () => {
    // The secrets AWS_SPEC names in its aws store, written out here rather than derived.
    const named = ["ci/registry", "payments/ledger-db", "payments/stripe", "payments/webhook"];
    const files = terraformFiles(program);
    const seen = new Set<string>();
    for (const st of policyStatements(files)) {
      for (const r of st.resources ?? []) {
        const secret = /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:([A-Za-z0-9/_+=.@-]+)-\?{6}$/.exec(r);
        if (secret) {
          expect(named).toContain(secret[1]);
          seen.add(secret[1]!);
        } else if (r === "*") {
          // A key policy ("*" is the key itself) or S3's own key, bound to the S3 service by condition.
          expect(st.principals !== undefined || (st.actions.every((a) => a.startsWith("kms:")) && st.condition?.some((c) => c.variable === "kms:ViaService")), JSON.stringify(st)).toBe(true);
        } else if (/^\$\{aws_s3_bucket\.(backups|replica__[a-z0-9_]+)\.arn\}\/postgres\//.test(r)) {
          // CloudNativePG's WAL archive (the primary's, or a replica cluster's in its region's bucket): exactly the prefix of AWS_SPEC's one namespace.
          expect(r).toMatch(/^\$\{aws_s3_bucket\.(backups|replica__eu_central_1)\.arn\}\/postgres\/payments\/\*$/);
        } else {
          expect(r).toMatch(/^\$\{aws_(s3_bucket|kms_key)\.[a-z0-9_]+\.arn\}(\/\*)?$/);
          if (r.endsWith("/*")) expect(r).toMatch(/^\$\{aws_s3_bucket\./);
        }
      }
    }
    expect([...seen].sort()).toEqual(named);
  });

  it("refuses to write a policy whose secret path is a wildcard, even when the checker was bypassed", () => {
    const m = structuredClone(program.checked.models.get("dev")!) as unknown as Loose;
    const api = m["services"].find((s: Loose) => s["name"] === "api");
    api.secrets.find((x: Loose) => x["source"].kind === "store").source.path = "payments/*";
    expect(() => awsFiles(m as unknown as PlatformModel)).toThrow(/payments\/\*.*IAM wildcard/);
  });

  it("refuses a Resource that is not a named secret, finc's bucket or key", () => {
    const model = program.checked.models.get("dev")!;
    const files = awsFiles(model);
    expect(() => assertExactIamResources(files, model)).not.toThrow();
    for (const bad of ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/*", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/stripe*", "*", "arn:aws:s3:::other-bucket/*"]) {
      const tampered = awsFiles(model) as unknown as Map<string, Loose>; // a fresh copy (templates do not survive structuredClone)
      const identity = tampered.get("identity.tf.json")!;
      identity["data"]["aws_iam_policy_document"]["payments__api_permissions"].statement[0].resources.push(bad);
      expect(() => assertExactIamResources(tampered as never, model), bad).toThrow(/not exactly a resource the spec names/);
    }
  });
});
