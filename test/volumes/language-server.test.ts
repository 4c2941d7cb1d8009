import { describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver";
import { completion } from "../../language-server/src/features/completion.js";
import { hover } from "../../language-server/src/features/hover.js";
import { compileSources, PLATFORM, VIRTUAL } from "../helpers/compile.js";

/** The editor knows `volume`, `scratch` and the file forms of `secret` from their field specs. */
const TEXT = `${PLATFORM}service api {
  image "r.io/api:1.0.0"
  port http 8080
  replicas 1
  memory 512Mi to 2Gi
  secret file /etc/jwt/signing.pem from vault "apps/jwt" key "private-key" mode 0400
  volume /data 10Gi fast
  scratch /tmp 1Gi memory
}
`;
const PATH = `${VIRTUAL}/main.fin`;
const program = compileSources({ "main.fin": TEXT });
const labels = (text: string, at: string, delta: number) => {
  const p = compileSources({ "main.fin": text });
  return completion(p, p.getSourceFile(PATH)!, text.indexOf(at) + delta, { snippets: false, markdown: false }).map((i) => i.label);
};
const hoverText = (at: string) => ((hover(program, PATH, TEXT.indexOf(at) + 2, { markdown: true })?.contents as MarkupContent | undefined)?.value ?? "");

describe("language server: files and volumes", () => {
  it("compiles cleanly (the fixture is valid)", () => expect(program.diagnostics.map((d) => d.code)).toEqual([]));

  it("offers volume and scratch among a service's fields", () => {
    const text = TEXT.replace("  replicas 1\n", "  replicas 1\n  \n");
    expect(labels(text, "replicas 1\n  \n", 13)).toEqual(expect.arrayContaining(["volume", "scratch", "secret"]));
  });

  it("after a volume's size, offers the tiers and per-replica; after a scratch size, memory", () => {
    expect(labels(TEXT.replace("/data 10Gi fast", "/data 10Gi "), "/data 10Gi ", 11)).toEqual(expect.arrayContaining(["fast", "standard", "archive", "per-replica"]));
    expect(labels(TEXT.replace("/tmp 1Gi memory", "/tmp 1Gi "), "/tmp 1Gi ", 9)).toContain("memory");
  });

  it("hovers each field with its doc", () => {
    expect(hoverText("volume /data")).toContain("StatefulSet");
    expect(hoverText("scratch /tmp")).toContain("memory limit");
    expect(hoverText("secret file")).toContain("secret files /etc/tls");
  });
});
