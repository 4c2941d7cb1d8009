import { diag } from "../../diagnostics/messages.js";
import { PCI_AUDIT_HOT_MONTHS, PCI_AUDIT_RETAIN_MONTHS, type AuditLogModel } from "../../model/audit-model.js";
import { rangeOf, single, type TermReader } from "../readers.js";
import { field } from "./field-spec.js";
import { RANGES } from "./value-ranges.js";

/** `<n> months`: whole months, at most 10 years (RANGES.auditMonths). */
function months(r: TermReader): { value: number; range: ReturnType<typeof rangeOf> } | undefined {
  const at = r.peek();
  const n = r.count(RANGES.auditMonths);
  if (n === undefined) return undefined;
  if (!r.accept("months") && !(n === 1 && r.accept("month"))) return r.mismatch("'months' (a retention is whole months: `retain 12 months`)", r.peek());
  return { value: n, range: rangeOf(r.ctx, at!) };
}

/** `audit-log stdout [retain <n> months] [hot <n> months]` on a service (model/audit-model.ts). */
export const serviceAuditFields = {
  "audit-log": field({
    doc:
      "The service's audit trail of transactions (who did what to which account, PCI DSS 10.2): the service writes each record to stdout as one JSON line with `\"audit\": true`, and finc's Fluent Bit output ships those lines to write-once storage (on AWS an S3 bucket with Object Lock in compliance mode). " +
      `\`retain\`: how long records are kept (default ${PCI_AUDIT_RETAIN_MONTHS} months), \`hot\`: how long they stay immediately readable before moving to archive storage (default ${PCI_AUDIT_HOT_MONTHS} months). Under \`compliance pci-dss\` less than ${PCI_AUDIT_RETAIN_MONTHS}/${PCI_AUDIT_HOT_MONTHS} months is FIN4066.`,
    syntax: "stdout [retain <n> months] [hot <n> months]",
    example: "stdout retain 12 months hot 3 months",
    values: ["stdout"],
    numbers: [RANGES.auditMonths],
    keywords: { stdout: ["retain", "hot"], "#": ["months"], months: ["hot"] },
    read: (ctx) =>
      single(ctx, (r): AuditLogModel | undefined => {
        if (!r.accept("stdout")) return r.mismatch("'stdout' (audit records as JSON lines on the container's stdout)", r.peek());
        let retain: { value: number; range: ReturnType<typeof rangeOf> } | undefined;
        let hot: { value: number; range: ReturnType<typeof rangeOf> } | undefined;
        if (r.accept("retain") && !(retain = months(r))) return undefined;
        if (r.accept("hot") && !(hot = months(r))) return undefined;
        const retainMonths = retain?.value ?? PCI_AUDIT_RETAIN_MONTHS;
        const hotMonths = hot?.value ?? Math.min(PCI_AUDIT_HOT_MONTHS, retainMonths);
        if (hotMonths > retainMonths) {
          ctx.report(diag("FIN4067", hot?.range ?? retain!.range, {
            message: `audit-log keeps records ${hotMonths} months immediately readable but only ${retainMonths} months in all: the hot period is part of the retention.`,
            hint: `Make \`hot\` at most \`retain\`: \`audit-log stdout retain ${Math.max(retainMonths, hotMonths)} months hot ${Math.min(retainMonths, hotMonths)} months\`.`,
          }));
          return undefined;
        }
        return { sink: "stdout", retainMonths, hotMonths, ...(retain ? { retainRange: retain.range } : {}), ...(hot ? { hotRange: hot.range } : {}) };
      }),
  }),
};
