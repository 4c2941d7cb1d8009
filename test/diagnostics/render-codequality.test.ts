import { describe, expect, it } from "vitest";
import { toCodeQuality } from "../../compiler/diagnostics/render-codequality.js";
import { compileSources } from "../helpers/compile.js";

const SPEC = (before: string) => `platform p {
  cloud        aws
  regions      eu-west-1 primary
  kubernetes   "1.31"
  environments dev
}
namespace apps {
  security restricted
}
${before}service api {
  namespace apps
  image    "r.io/api:1.0.0"
  port     http 8080
  replicsa 2
}
`;

function report(before = "") {
  const program = compileSources({ "main.fin": SPEC(before) });
  const dir = program.rootFiles[0]!.replace(/\/main\.fin$/, "");
  return toCodeQuality(program.diagnostics, program.getSourceFile, { cwd: dir });
}

describe("--format codequality (GitLab Code Quality)", () => {
  it("one issue per diagnostic: code, description with the hint, severity, path relative to the job's directory, 1-based lines", () => {
    const [issue, ...rest] = report();
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ type: "issue", check_name: "FIN2003", severity: "major", location: { path: "main.fin", positions: { begin: { line: 14, column: 3 }, end: { line: 14, column: 11 } } } });
    expect(issue!.description).toMatch(/^FIN2003: 'replicsa' is not a field of service\./);
    expect(issue!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it("keeps the fingerprint when lines are added above the finding, so GitLab does not call it new", () => {
    const a = report()[0]!;
    const b = report("// a comment\n// another\n")[0]!;
    expect(b.location.positions.begin.line).toBe(a.location.positions.begin.line + 2);
    expect(b.fingerprint).toBe(a.fingerprint);
  });
});
