import { describe, expect, it } from "vitest";
import { diagnosticsOf, itReportsEach } from "../helpers/compile.js";
import { parseNodeSelector } from "../../compiler/semantic/schema/scheduling-fields.js";

const platform = (extra = "", cloud = "aws") => `platform p {
  cloud        ${cloud}
  environments dev, prod
${extra}}
namespace apps {}
`;
const svc = (extra: string, kind = "service", name = "api") =>
  `${kind} ${name} {\n  image "r.io/${name}:1.0.0"\n${kind === "service" ? "  port http 8080\n" : ""}${extra}\n}\n`;
// The service's field lines start on line 8 (6 platform/namespace lines, the declaration, image, port).
const FIRST = 9;

describe("FIN4088: node selectors and scheduler names Kubernetes would reject", () => {
  itReportsEach([
    { name: "a requirement with no operator the selector syntax knows, at that requirement", spec: platform() + svc('  on nodes "role=payments, disk ~ ssd"'), code: "FIN4088", covers: "disk ~ ssd", line: FIRST },
    { name: "a label key that is no qualified name", spec: platform() + svc('  on nodes "-role=payments"'), code: "FIN4088", covers: "-role=payments", line: FIRST },
    { name: "a label value that is no label value", spec: platform() + svc('  prefer nodes "disk in (ssd,fast!)"'), code: "FIN4088", covers: "disk in (ssd,fast!)", line: FIRST },
    { name: "a stray comma", spec: platform() + svc('  on nodes "role=payments,"'), code: "FIN4088", covers: ",", line: FIRST },
    { name: "a finc.dev/ key (PCI placement belongs to the node pools)", spec: platform() + svc('  on nodes "finc.dev/pci-dss=false"'), code: "FIN4088", covers: "finc.dev/pci-dss=false", line: FIRST },
    { name: "a scheduler name with upper case", spec: platform() + svc('  scheduler "Batch_Scheduler"'), code: "FIN4088", covers: '"Batch_Scheduler"', line: FIRST },
  ]);

  const resident = platform('  regions eu-west-1, us-east-1\n').replace("namespace apps {}", "namespace apps {\n  residency eu\n}");
  itReportsEach([
    { name: "a region the namespace's residency excludes (every required term must hold)", spec: resident + svc('  on nodes "topology.kubernetes.io/region=us-east-1"'), code: "FIN4088", covers: 'on nodes "topology.kubernetes.io/region=us-east-1"', line: FIRST + 3 },
    { name: "a label both required and refused", spec: platform() + svc('  on nodes "gpu"\n  on nodes "!gpu"'), code: "FIN4088", covers: 'on nodes "!gpu"', line: FIRST + 1 },
    { name: "two values of one label", spec: platform() + svc('  on nodes "role=a, role=b"'), code: "FIN4088", covers: 'on nodes "role=a, role=b"', line: FIRST },
  ]);

  it("a requirement compatible with residency and the others says nothing", () => {
    expect(diagnosticsOf({ "main.fin": resident + svc('  on nodes "topology.kubernetes.io/region in (eu-west-1,us-east-1), role notin (batch)"\n  on nodes "role"') }).filter((d) => d.code === "FIN4088")).toEqual([]);
  });

  it("reads the selector forms Kubernetes defines", () => {
    expect(parseNodeSelector("a=1, b==2, c!=3, d in (x, y), e notin (z), f, !g")).toEqual([
      { key: "a", operator: "In", values: ["1"] },
      { key: "b", operator: "In", values: ["2"] },
      { key: "c", operator: "NotIn", values: ["3"] },
      { key: "d", operator: "In", values: ["x", "y"] },
      { key: "e", operator: "NotIn", values: ["z"] },
      { key: "f", operator: "Exists" },
      { key: "g", operator: "DoesNotExist" },
    ]);
  });

  it("accepts a valid selector and scheduler without a diagnostic", () => {
    expect(diagnosticsOf({ "main.fin": platform() + svc('  on nodes "node.kubernetes.io/instance-type in (m6i.large,m6i.xlarge)"\n  scheduler "batch-scheduler"\n  replicas 3\n  spread hard across zones') })).toEqual([]);
  });
});

describe("FIN4089: a hard spread with nothing to spread, or that cannot be met", () => {
  itReportsEach([
    { name: "hard across zones on a single replica", spec: platform() + svc("  replicas 1\n  spread hard across zones"), code: "FIN4089", covers: "hard across zones", line: FIRST + 1 },
    { name: "hard one-per node on a job (one pod per run)", spec: platform() + svc("  spread hard one-per node", "job"), code: "FIN4089", covers: "hard one-per node", line: 8 },
    { name: "hard across zones on cloud onprem (nodes may carry no zone label)", spec: platform("", "onprem") + svc("  replicas 3\n  spread hard across zones"), code: "FIN4089", covers: "hard across zones", line: FIRST + 1 },
    {
      name: "hard one-per zone with more replicas than the node pools' zones",
      spec: platform('  regions eu-west-1\n  account "123456789012"\n  cluster "c"\n') + 'nodepool general {\n  zones "eu-west-1a", "eu-west-1b"\n}\n' + svc("  replicas 3 to 6\n  spread hard one-per zone"),
      code: "FIN4089", covers: "hard one-per zone", line: FIRST + 7,
    },
  ]);

  it("is a warning, and soft rules or enough zones say nothing", () => {
    const d = diagnosticsOf({ "main.fin": platform() + svc("  replicas 1\n  spread soft across zones\n  spread soft one-per node") });
    expect(d).toEqual([]);
    const pools = platform('  regions eu-west-1\n  account "123456789012"\n  cluster "c"\n') + 'nodepool general {\n  zones "eu-west-1a", "eu-west-1b", "eu-west-1c"\n}\n' + svc("  replicas 3\n  spread hard one-per zone");
    expect(diagnosticsOf({ "main.fin": pools }).filter((x) => x.code === "FIN4089")).toEqual([]);
  });
});
