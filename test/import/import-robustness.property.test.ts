import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { expect, it } from "vitest";
import { prng } from "../helpers/prng.js";
import { runFinc } from "../helpers/run-cli.js";

/**
 * Mutated fixture manifests (values swapped for odd ones, fields and list items dropped): `finc import`
 * exits 0 (the imported spec passes `finc check`) or 1 (FIN6002), never 70 (an imported spec finc
 * itself refuses) or a crash; and the planted literal secrets never appear in what it prints.
 * Before the token validation in compiler/import, 25 of 150 such inputs crashed the formatter.
 */
const FIXTURES = resolve(__dirname, "fixtures");
const FILES = ["online-shop/shop.yaml", "payments-api/workloads.yaml", "payments-api/network-policies.yaml", "payments-api/secrets.yaml", "helm-wallet/rendered.yaml"];
const DOCS = FILES.flatMap((f) => parseAllDocuments(readFileSync(join(FIXTURES, f), "utf8")).map((d) => d.toJS() as unknown).filter(Boolean));
const ODD: unknown[] = [null, "", "x y", 0, -1, 99999999, 1.5, true, [], {}, "A.B", "${x}", '"q\\', "0.5", "1e3", "Mi", "http-very-long-port-name-here"];

it("finc import on 40 mutated inputs: exit 0 or 1, never 70 or a crash, no planted secret printed", async () => {
  const next = prng(20261201);
  const mutate = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== "object") return next() < 0.08 ? ODD[Math.floor(next() * ODD.length)] : v;
    if (Array.isArray(v)) return v.filter(() => next() > 0.05).map((x) => mutate(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (depth === 0 && ["kind", "apiVersion", "metadata"].includes(k)) out[k] = x;
      else if (depth === 0 || next() >= 0.04) out[k] = mutate(x, depth + 1);
    }
    return out;
  };
  const dir = mkdtempSync(join(tmpdir(), "finc-import-fuzz-"));
  const codes: number[] = [];
  for (let i = 0; i < 40; i++) {
    writeFileSync(join(dir, "in.yaml"), DOCS.filter(() => next() < 0.5).map((d) => stringify(mutate(d, 0))).join("---\n"));
    const r = await runFinc(["import", join(dir, "in.yaml")], dir);
    codes.push(r.code);
    expect([0, 1], `input ${i}: ${r.err.split("\n").filter((l) => /error|internal/.test(l)).slice(0, 3).join(" | ")}`).toContain(r.code);
    for (const planted of ["sk_live_51HqLyjWDarjtT1zdp7dcXxYzAbCdEf0123456789", "hunter2-but-longer-Zq8"]) expect(r.out + r.err).not.toContain(planted);
  }
  expect(codes.filter((c) => c === 0).length).toBeGreaterThan(20);
}, 300_000);
