import { describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver";
import { completion } from "../../language-server/src/features/completion.js";
import { hover } from "../../language-server/src/features/hover.js";
import { compileSources, PLATFORM, VIRTUAL } from "../helpers/compile.js";

/** The editor knows the pod-detail fields from their field specs: completion of fields and sources, hover. */
const TEXT = `${PLATFORM}service api {
  image "r.io/api:1.0.0"
  port  http 8080
  drain 10s
  env   NAMESPACE from pod.namespace
}
`;
const PATH = `${VIRTUAL}/main.fin`;
const program = compileSources({ "main.fin": TEXT });
const labels = (text: string, at: string, delta = 0) => {
  const edited = compileSources({ "main.fin": text });
  return completion(edited, edited.getSourceFile(PATH)!, text.indexOf(at) + delta, { snippets: false, markdown: false }).map((i) => i.label);
};

describe("language server: pod details", () => {
  it("compiles cleanly (the fixture is valid)", () => expect(program.diagnostics.map((d) => d.code)).toEqual([]));

  it("offers the pod-detail fields in a service", () => {
    const fields = labels(TEXT.replace("  drain 10s\n", "  drain 10s\n  \n"), "10s\n  \n", 6);
    // drain is set already and not repeatable: not offered again.
    expect(fields).not.toContain("drain");
    expect(fields).toEqual(expect.arrayContaining(["init", "env", "ephemeral-storage", "labels", "annotations"]));
  });

  it("offers the downward-API sources after `from`", () => {
    const text = TEXT.replace("from pod.namespace", "from ");
    const sources = labels(text, "from \n", 5);
    expect(sources).toEqual(expect.arrayContaining(["pod.namespace", "pod.ip", "node.name", "pod.service-account", "limits.memory"]));
  });

  it("hovers drain with its doc: the native preStop sleep and the grace rule", () => {
    const h = hover(program, PATH, TEXT.indexOf("drain") + 2, { markdown: true });
    const text = (h?.contents as MarkupContent).value;
    expect(text).toContain("preStop.sleep");
    expect(text).toContain("FIN3036");
  });
});
