import type { PlatformModel } from "../../model/platform-model.js";
import type { Emitter, EmittedDocument } from "../output.js";
import { scaledObjectDocuments } from "./keda.js";
import { vpaDocuments } from "./vpa.js";

/**
 * Autoscaling beyond the plain HPA (mission area 7): KEDA ScaledObjects and their
 * TriggerAuthentications for `scale on …`, VerticalPodAutoscalers for `right-size`.
 * Emits nothing for a spec that uses neither.
 */
export const autoscalingEmitter: Emitter = {
  id: "autoscaling",
  emit(model: PlatformModel) {
    const documents: EmittedDocument[] = [];
    for (const s of model.services) documents.push(...scaledObjectDocuments(model, s), ...vpaDocuments(model, s));
    return { documents, diagnostics: [] };
  },
};
