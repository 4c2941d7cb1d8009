import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { PipelineRead, PipelineTool } from "../semantic/schema/pipeline-field.js";

/** A generated CI workflow (emit/pipeline): where the spec is and the order environments are promoted in. */
export interface PipelineModel {
  readonly tool: PipelineTool;
  /** The spec's path relative to the repository root (default `.`). */
  readonly spec: string;
  /** Environments in promotion order; empty: the workflow checks and builds but deploys nothing. */
  readonly promote: readonly string[];
  /** Where each promoted environment is named (FIN4071 points at it). */
  readonly promoteRanges: readonly SourceRange[];
  readonly origin: SourceRange;
}

export interface PlatformPipeline {
  readonly pipeline?: PipelineModel;
}

export function lowerPlatformPipeline(v: FieldValues): PlatformPipeline {
  const p = v.get<PipelineRead>("pipeline");
  if (!p) return {};
  return { pipeline: { tool: p.tool, spec: p.spec ?? ".", promote: p.promote.map((e) => e.name), promoteRanges: p.promote.map((e) => e.range), origin: p.range } };
}
