import { relative } from "node:path";
import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { SpecLine } from "../emit/compliance-report/report.js";
import type { Program } from "../program.js";

/** Spec ranges as `file:line` an auditor can open: paths relative to where finc ran, lines 1-based. */
export function specLineLocator(program: Program, cwd: string): (r: SourceRange) => SpecLine {
  return (r) => {
    const src = program.getSourceFile(r.file);
    return { file: relative(cwd, r.file).split("\\").join("/"), line: (src?.positionOf(r.start).line ?? 0) + 1 };
  };
}
