import { diag } from "../../diagnostics/messages.js";
import { labelValueProblem } from "../label-syntax.js";
import { single } from "../readers.js";
import { field } from "./field-spec.js";

/** `cost-center "<id>"` on a namespace (and on the platform as every namespace's default): the label finc.dev/cost-center. */
export const costCenterField = field({
  doc:
    "The cost center billed for a namespace's workloads (mission area 15): the label `finc.dev/cost-center: <id>` on the Namespace and on every pod template in it, so OpenCost (and the clouds' split cost data) can aggregate by it. On the platform it is the default of every namespace. The id is a Kubernetes label value (at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit).",
  syntax: '"<id>"',
  example: '"cc-4410"',
  read: (ctx) =>
    single(ctx, (r) => {
      const s = r.string('the cost center id, e.g. "cc-4410"');
      if (!s) return undefined;
      const why = s.value === "" ? "it is empty" : labelValueProblem(s.value);
      if (why) {
        ctx.report(diag("FIN3001", s.range, { field: ctx.field, expected: "a label value (letters, digits, '-', '_', '.'; at most 63)", found: `"${s.value}"`, hint: `It becomes the label finc.dev/cost-center, and ${why}.` }));
        return undefined;
      }
      return s.value;
    }),
});
