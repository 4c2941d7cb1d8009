import { describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver";
import { hover } from "../../language-server/src/features/hover.js";
import { compileSources, PLATFORM, serviceSpec, VIRTUAL } from "../helpers/compile.js";

const TEXT = `${PLATFORM}${serviceSpec("api")}override deployment/api {
  spec.template.spec.dnsPolicy "None"
  spec.revisionHistoryLimit delete
}
override deployment/api for prod {
  spec.replicas 4
}
`;
const PATH = `${VIRTUAL}/main.fin`;
const program = compileSources({ "main.fin": TEXT });
const at = (needle: string, env?: string) => (hover(program, PATH, TEXT.indexOf(needle) + 2, { markdown: true, ...(env ? { environment: env } : {}) })?.contents as MarkupContent | undefined)?.value ?? "";

describe("override: hover", () => {
  it("the fixture is valid", () => expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual([]));

  it("on the target: the object it patches and each step's value before and after", () => {
    const h = at("deployment/api {");
    expect(h).toContain("override deployment/api");
    expect(h).toContain("Patches `dev/apps/deployment-api.yaml` in `dev`");
    expect(h).toContain('- `spec.template.spec.dnsPolicy`: `(unset)` → `"None"`');
    expect(h).toContain("- `spec.revisionHistoryLimit`: `5` → `(unset)`");
  });

  it("on the keyword: what an override is", () => {
    const h = hover(program, PATH, TEXT.indexOf("override deployment/api {") + 2, { markdown: true })?.contents as MarkupContent;
    expect(h.value).toContain("override\n```\nA typed patch on one emitted object");
  });

  it("on one line: only that line's step; `for prod` shows prod's object whatever the default environment", () => {
    const line = at("dnsPolicy");
    expect(line).toContain('`spec.template.spec.dnsPolicy`: `(unset)` → `"None"`');
    expect(line).not.toContain("revisionHistoryLimit");
    const prod = at("deployment/api for prod");
    expect(prod).toContain("Patches `prod/apps/deployment-api.yaml` in `prod`");
    expect(prod).toMatch(/- `spec\.replicas`: `\d+` → `4`/);
  });
});
