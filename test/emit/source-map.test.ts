import { expect, it } from "vitest";
import { resolve } from "node:path";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { REPO, STDLIB } from "../helpers/compile.js";
import { lookupPointer } from "../../compiler/cli/source-map-file.js";
import { readFileSync } from "node:fs";

const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples/payments")] });
const outputs = buildOutputs(program, {});

/** The text of the spec line a source-map range starts on. */
function lineBehind(output: string, pointer: string): string {
  const entry = outputs.sourceMap[output];
  expect(entry, output).toBeDefined();
  const range = entry!.fields[pointer];
  expect(range, `${output}#${pointer}`).toBeDefined();
  const text = readFileSync(range!.file, "utf8");
  const lineStart = text.lastIndexOf("\n", range!.start - 1) + 1;
  const lineEnd = text.indexOf("\n", range!.start);
  return text.slice(lineStart, lineEnd).trim();
}

it("a Deployment's replicas point at the environment override that set them", () => {
  expect(lineBehind("prod/payments/deployment-api.yaml", "/spec/replicas")).toBe("api.replicas 6 to 30 at cpu 60%");
  expect(lineBehind("dev/payments/deployment-api.yaml", "/spec/replicas")).toBe("api.replicas        1 to 2");
});

it("a value inherited from a pattern points into the stdlib file", () => {
  const range = outputs.sourceMap["staging/payments/deployment-api.yaml"]!.fields["/spec/replicas"]!;
  expect(range.file).toBe(resolve(REPO, "stdlib/fintech/payment-api.fin"));
  expect(lineBehind("staging/payments/deployment-api.yaml", "/spec/replicas")).toBe("replicas 3 to 12 at cpu 70%");
});

it("a container's memory limit points at the service's memory line", () => {
  expect(lineBehind("prod/payments/deployment-api.yaml", "/spec/template/spec/containers/0/resources/limits/memory")).toBe("memory  512Mi to 1Gi");
  expect(lineBehind("prod/payments/deployment-ledger.yaml", "/spec/template/spec/containers/0/resources/limits/memory")).toBe("memory 512Mi");
});

it("a NetworkPolicy peer points at the calls line that declared it", () => {
  // Compared without the alignment `finc fmt` gives the block (it widens when a longer field joins).
  expect(lineBehind("prod/payments/networkpolicy-payments-traffic.yaml", "/spec/egress")?.replace(/\s+/g, " ")).toBe("calls ledger, fraud, ledger-db");
});

it("a ConfigMap key points at the config line, and lookups fall back to the closest mapped ancestor", () => {
  expect(lineBehind("prod/payments/configmap-api-config.yaml", "/data/LOG_LEVEL")).toBe('config  LOG_LEVEL enum debug info warn error = info, PAYMENTS_URL url = "http://payments:8080"');
  const loc = { file: "x", line: 1, column: 1, endLine: 1, endColumn: 2 };
  const entry = { spec: loc, fields: { "/spec/egress": { ...loc, line: 7 } } };
  expect(lookupPointer(entry, "/spec/egress/0/to/0")?.location.line).toBe(7);
  expect(lookupPointer(entry, "/spec")?.pointer).toBe("/spec/egress");
  expect(lookupPointer(entry, "/metadata")).toBeUndefined();
});
