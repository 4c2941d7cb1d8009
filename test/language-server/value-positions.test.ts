import { describe, expect, it } from "vitest";
import { createSourceFile } from "../../compiler/syntax/source-file.js";
import { completion } from "../../language-server/src/features/completion.js";
import { fieldForms, signatureHelp } from "../../language-server/src/features/signature-help.js";

const at = (line: string) => {
  const text = `service api {\n  ${line}`;
  return signatureHelp(undefined, createSourceFile("/x.fin", text), text.length);
};

describe("signature help: a field's forms as its value is typed", () => {
  it("splits a syntax into its forms at top-level bars only", () => {
    expect(fieldForms("istio [sidecar [cni] | cni | ambient] | none")).toEqual(["istio [sidecar [cni] | cni | ambient]", "none"]);
  });

  it("offers every form of `scale` and makes the one the typed words choose active", () => {
    const h = at("scale on queue ")!;
    expect(h.signatures.map((s) => s.label.split(" ").slice(0, 3).join(" "))).toEqual(["scale on kafka", "scale on queue", "scale on prometheus", "scale on cron"]);
    expect(h.activeSignature).toBe(1);
    const active = h.signatures[1]!;
    const [from, to] = active.parameters![h.activeParameter!]!.label as [number, number];
    // `sqs` is a literal word, so the next parameter is the queue URL.
    expect(active.label.slice(from, to)).toBe('"<queue url>"');
  });

  it("moves the active parameter along: `memory 512Mi ` is at the limit", () => {
    const h = at("memory 512Mi ")!;
    const s = h.signatures[h.activeSignature!]!;
    const [from, to] = s.parameters![h.activeParameter!]!.label as [number, number];
    expect(s.label.slice(from, to)).toBe("[to <limit>]");
    const first = at("memory ")!;
    const [f0, t0] = first.signatures[0]!.parameters![first.activeParameter!]!.label as [number, number];
    expect(first.signatures[0]!.label.slice(f0, t0)).toBe("<request>");
  });

  it("is silent outside a field's value", () => {
    expect(signatureHelp(undefined, createSourceFile("/x.fin", "service api {\n  "), 16)).toBeNull();
  });
});

describe("completion at field and value positions", () => {
  const complete = (text: string) => {
    const offset = text.indexOf("|");
    const src = createSourceFile("/x.fin", text.replace("|", ""));
    return completion(undefined, src, offset, { snippets: false, markdown: false }).map((i) => i.label);
  };
  it("leaves out fields already set, but not repeatable ones", () => {
    const labels = complete('service api {\n  image "r.io/a:1.0.0"\n  port http 8080\n  config A = "1"\n  |\n  memory 1Gi\n  nested {\n    cpu 1\n  }\n}');
    expect(labels).not.toContain("image");
    expect(labels).not.toContain("port");
    expect(labels).not.toContain("memory");
    expect(labels).toContain("config");
    expect(labels).toContain("cpu");
    expect(labels).toContain("replicas");
  });
  it("offers the documented form at a free-form value (`memory `)", () => {
    expect(complete("service api {\n  memory |\n}")).toEqual(["512Mi to 1Gi"]);
  });
});
