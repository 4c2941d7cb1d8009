import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf, itReportsEach, PLATFORM } from "../helpers/compile.js";
import { build, byKey, parseDocs } from "../kustomize/support.js";

/** A service whose migration runs `run <command>` (written as .fin source text, line 13). */
const spec = (command: string) => `${PLATFORM}service web {
  namespace apps
  image   "registry.example.com/apps/web:1.0.0"
  port    8080
  migrate "registry.example.com/apps/migrate:1.0.0" run ${command}
}
`;

/** The migrate initContainer's command in the Deployment the kubernetes target writes. */
function emittedCommand(command: string): unknown {
  const program = compileSources({ "main.fin": spec(command) });
  expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const objs = byKey(build(program, ["kubernetes"], ["dev"]).files.flatMap((f) => parseDocs(f.content)));
  const deployment = objs.get("apps/v1|Deployment|apps|web") as unknown as { spec: { template: { spec: { initContainers: { name: string; command?: unknown }[] } } } };
  return deployment.spec.template.spec.initContainers.find((c) => c.name === "migrate")!.command;
}

describe("migrate … run: the command is split as the user means it", () => {
  it.each([
    [`"migrate up"`, ["migrate", "up"]],
    [`"sh -c 'migrate up && echo done'"`, ["sh", "-c", "migrate up && echo done"]],
    [`"migrate -path \\"/db/my migrations\\" up"`, ["migrate", "-path", "/db/my migrations", "up"]],
    [`"migrate -database $(DATABASE_URL) up"`, ["migrate", "-database", "$(DATABASE_URL)", "up"]],
    [`["migrate", "up"]`, ["migrate", "up"]],
    [`["sh", "-c", "migrate up && echo done"]`, ["sh", "-c", "migrate up && echo done"]],
    [`[\n    "migrate",\n    "up"\n  ]`, ["migrate", "up"]],
  ])("run %s", (command, expected) => {
    expect(emittedCommand(command)).toEqual(expected);
  });

  const line = 13;
  itReportsEach([
    { name: "an unbalanced single quote", spec: spec(`"sh -c 'migrate up"`), code: "FIN3022", covers: "'migrate up", line },
    { name: "an unbalanced double quote", spec: spec(`"migrate -path \\"/db up"`), code: "FIN3022", covers: `"migrate -path \\"/db up"`, line },
    { name: "a trailing backslash", spec: spec(`"migrate up \\\\"`), code: "FIN3022", covers: `"migrate up \\\\"`, line },
    { name: "an empty command", spec: spec(`""`), code: "FIN3022", covers: `""`, line },
    { name: "a command of blanks", spec: spec(`"   "`), code: "FIN3022", covers: "   ", line },
    { name: "shell syntax without a shell", spec: spec(`"migrate up && echo done"`), code: "FIN3022", covers: "&&", line },
    { name: "a pipe without a shell", spec: spec(`"migrate up | tee /tmp/log"`), code: "FIN3022", covers: "|", line },
    { name: "an empty list", spec: spec(`[]`), code: "FIN3022", covers: "[]", line },
    { name: "a list whose program is empty", spec: spec(`["", "up"]`), code: "FIN3022", covers: `["", "up"]`, line },
  ]);

  it("FIN3022 says why the command cannot be split", () => {
    const p = compileSources({ "main.fin": spec(`"sh -c 'migrate up"`) });
    expect(p.diagnostics.map((d) => [d.code, d.message])).toEqual([["FIN3022", expect.stringContaining("never closed")]]);
  });

  it("list items are strings, separated by commas", () => {
    expect(diagnosticsOf({ "main.fin": spec(`["migrate", up]`) })).toEqual([expect.objectContaining({ code: "FIN3001", text: "up" })]);
    expect(diagnosticsOf({ "main.fin": spec(`["migrate" "up"]`) })).toEqual([expect.objectContaining({ code: "FIN3001", text: '"up"' })]);
  });
});
