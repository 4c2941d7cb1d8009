import { describe, expect, it } from "vitest";
import { parse } from "../../compiler/syntax/parse.js";
import { compileSources, diagnosticsOf, PLATFORM, serviceSpec, itReportsEach } from "../helpers/compile.js";

const api = PLATFORM + serviceSpec("api");
/** The spec's line number of `needle` (1-based). */
const lineOf = (spec: string, needle: string): number => spec.split("\n").findIndex((l) => l.includes(needle)) + 1;
const spec = (body: string, head = "deployment/api"): string => `${api}override ${head} {\n${body}}\n`;

describe("override: parser", () => {
  it("reads `override <kind>/<name> for <env>` as one name, the environment as its target, and list indexes in member paths", () => {
    const { ast, diagnostics } = parse("/x.fin", 'override deployment/api for prod {\n  spec.template.spec.containers.0.imagePullPolicy "Always"\n  spec.template.spec.dnsConfig delete\n}\n');
    expect(diagnostics).toEqual([]);
    const d = ast.declarations[0]!;
    expect(d.keyword.text).toBe("override");
    expect(d.name?.text).toBe("deployment/api");
    expect(d.target?.text).toBe("prod");
    expect(d.body.members.map((m) => m.path.map((p) => p.text).join("."))).toEqual(["spec.template.spec.containers.0.imagePullPolicy", "spec.template.spec.dnsConfig"]);
  });
});

describe("override: checked against the kind's schema", () => {
  it("a valid override compiles clean (set, merge block, index, append, delete, quantities as strings)", () => {
    const s = spec(`  spec.progressDeadlineSeconds 900
  spec.template.spec.dnsPolicy "None"
  spec.template.spec.dnsConfig {
    nameservers ["1.1.1.1"]
  }
  spec.template.spec.containers.0.resources.limits.cpu 750m
  spec.template.spec.tolerations append {
    key "dedicated"
    operator "Exists"
  }
  spec.template.metadata.annotations "example.com/team" "payments"
  spec.revisionHistoryLimit delete
`);
    expect(diagnosticsOf({ "main.fin": s })).toEqual([]);
  });

  const unknownField = spec("  spec.template.spec.dnsPolicyy \"None\"\n");
  const unknownKind = spec('  spec.x "y"\n', "deploymnt/api");
  const noSlash = spec('  spec.x "y"\n', "api");
  const notAList = spec('  spec.replicas.0 3\n');
  const listWithoutIndex = spec('  spec.template.spec.containers.image "x"\n');
  const wrongType = spec('  spec.replicas "three"\n');
  const wrongEnum = spec('  spec.template.spec.dnsPolicy "Nonee"\n');
  const notInteger = spec("  spec.replicas 2Gi\n");
  const missingRequired = spec('  spec.template.spec.containers append {\n    image "r.io/sidecar:1.0.0"\n  }\n');
  const appendToScalar = spec('  spec.replicas append 3\n');
  const unknownEnv = `${api}override deployment/api for prd {\n  spec.replicas 3\n}\n`;
  itReportsEach([
    { name: "a path that is not a field of the kind's schema", spec: unknownField, code: "FIN3038", covers: "dnsPolicyy", line: lineOf(unknownField, "dnsPolicyy") },
    { name: "a kind finc cannot override", spec: unknownKind, code: "FIN3038", covers: "deploymnt", line: lineOf(unknownKind, "override") },
    { name: "an override that names no object (no kind/)", spec: noSlash, code: "FIN3038", covers: "api", line: lineOf(noSlash, "override") },
    { name: "an index into a field that is not a list", spec: notAList, code: "FIN3038", covers: "0", line: lineOf(notAList, "spec.replicas.0") },
    { name: "a list entered without an index", spec: listWithoutIndex, code: "FIN3038", covers: "image", line: lineOf(listWithoutIndex, "containers.image") },
    { name: "a string for an integer field", spec: wrongType, code: "FIN3039", covers: '"three"', line: lineOf(wrongType, "three") },
    { name: "a value outside the field's allowed values", spec: wrongEnum, code: "FIN3039", covers: '"Nonee"', line: lineOf(wrongEnum, "Nonee") },
    { name: "a quantity for an integer field", spec: notInteger, code: "FIN3039", covers: "2Gi", line: lineOf(notInteger, "2Gi") },
    { name: "an appended list element without its required keys", spec: missingRequired, code: "FIN3039", covers: '{\n    image "r.io/sidecar:1.0.0"\n  }', line: lineOf(missingRequired, "append") },
    { name: "append on a field that is not a list", spec: appendToScalar, code: "FIN3039", covers: "append", line: lineOf(appendToScalar, "append") },
    { name: "an override for an environment the platform does not have", spec: unknownEnv, code: "FIN2008", covers: "prd", line: lineOf(unknownEnv, "prd") },
  ]);

  it("FIN3038's hint suggests the closest field and FIN3039's names the allowed values", () => {
    const p = compileSources({ "main.fin": spec("  spec.template.spec.dnsPolicyy \"None\"\n  spec.template.spec.restartPolicy \"Sometimes\"\n") });
    const [unknown, badEnum] = p.diagnostics;
    expect(unknown?.code).toBe("FIN3038");
    expect(unknown?.hint).toContain("Did you mean 'dnsPolicy'?");
    expect(badEnum?.code).toBe("FIN3039");
    expect(badEnum?.message).toBe(`'spec.template.spec.restartPolicy' of a Deployment expects one of "Always", "OnFailure", "Never", found "Sometimes".`);
  });
});

describe("override: identity fields are not patchable", () => {
  const rename = `${api}override deployment/api {\n  metadata.name "other"\n}\n`;
  const move = `${api}override deployment/api {\n  metadata {\n    namespace "kube-system"\n  }\n}\n`;
  itReportsEach([
    { name: "renaming the object (metadata.name)", spec: rename, code: "FIN3038", covers: 'metadata.name "other"', line: 14 },
    { name: "moving the object to another namespace", spec: move, code: "FIN3038", covers: 'namespace "kube-system"', line: 15 },
  ]);
  it("labels and annotations stay patchable", () => {
    expect(diagnosticsOf({ "main.fin": `${api}override deployment/api {\n  metadata.labels.team "payments"\n}\n` })).toEqual([]);
  });
});
