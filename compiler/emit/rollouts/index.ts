import type { PlatformModel } from "../../model/platform-model.js";
import type { Emitter, EmittedDocument } from "../output.js";
import { analysisTemplateDocuments } from "./analysis.js";
import { rolloutDocuments } from "./rollout.js";

/**
 * Progressive delivery with Argo Rollouts (mission area 10): a Rollout per service
 * with `rollout …`, its AnalysisTemplate for `while …`, and a blue-green preview
 * Service. Emits nothing for a spec without `rollout`.
 */
export const rolloutsEmitter: Emitter = {
  id: "rollouts",
  emit(model: PlatformModel) {
    const documents: EmittedDocument[] = [];
    for (const s of model.services) documents.push(...rolloutDocuments(model, s), ...analysisTemplateDocuments(model, s));
    return { documents, diagnostics: [] };
  },
};
