import type { PlatformModel } from "../../model/platform-model.js";
import type { Emitter, EmittedDocument } from "../output.js";
import { namespacePlan } from "./plan.js";
import { nativeDocuments } from "./native.js";
import { kyvernoDocuments } from "./kyverno.js";
import { gatekeeperDocuments } from "./gatekeeper.js";

/**
 * Admission policies (issue 12): for each namespace of the spec, policies that hold every
 * object created there — finc's or anybody's `kubectl apply` — to the rules finc promises
 * (plan.ts), written for the platform's `policy` engine: Kubernetes' own
 * ValidatingAdmissionPolicy (default), Kyverno or OPA Gatekeeper.
 */
export const admissionEmitter: Emitter = {
  id: "admission",
  emit(model: PlatformModel) {
    const documents: EmittedDocument[] = [];
    const engine = model.platform.policy ?? "native";
    const plans = model.namespaces.map((ns) => namespacePlan(model, ns));
    if (engine === "native") for (const plan of plans) documents.push(...nativeDocuments(model, plan));
    if (engine === "kyverno") for (const plan of plans) documents.push(...kyvernoDocuments(model, plan));
    if (engine === "gatekeeper") documents.push(...gatekeeperDocuments(model, plans));
    return { documents, diagnostics: [] };
  },
};
