import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { single } from "../readers.js";
import { field } from "./field-spec.js";

/** The severities a scan reports at and above (Trivy's names). */
export const SCAN_SEVERITIES = ["critical", "high", "medium"] as const;
export type ScanSeverity = (typeof SCAN_SEVERITIES)[number];

/** What `scanning` reads; lowered by model/supply-chain.ts. */
export type ScanningRead = { readonly tool: "trivy"; readonly severity: ScanSeverity; readonly range: SourceRange } | { readonly tool: "none"; readonly range: SourceRange };

export const scanningField = field({
  doc:
    "Image vulnerability scanning in the cluster (PCI DSS v4.0.1 11.3.1, 6.3.1): the Trivy Operator scans the images of the platform's namespaces and writes a VulnerabilityReport per workload; finc writes its chart values per environment (`helm/trivy-operator/values-<env>.yaml`: only the platform's namespaces, findings of `severity` and above, default `high`) and, with `monitoring prometheus`, a PrometheusRule that alerts on critical (and at `high`, high) vulnerabilities from the operator's metrics. On by default under `compliance pci-dss`; `scanning none` turns it off.",
  syntax: "trivy [severity critical | high | medium] | none",
  example: "trivy severity critical",
  values: ["trivy", "none"],
  keywords: { trivy: ["severity"], severity: [...SCAN_SEVERITIES] },
  read: (ctx) =>
    single(ctx, (r): ScanningRead | undefined => {
      const start = r.peek();
      const range = { file: ctx.file, start: start?.start ?? ctx.member.start, end: ctx.member.end };
      const tool = r.oneOf(["trivy", "none"] as const, "scanner");
      if (tool === "none") return { tool, range };
      if (tool !== "trivy") return undefined;
      if (!r.accept("severity")) return { tool, severity: "high", range };
      const severity = r.oneOf(SCAN_SEVERITIES, "severity threshold");
      return severity && { tool, severity, range };
    }),
});
