import type { PlatformModel } from "../../model/platform-model.js";
import type { Emitter, EmittedDocument } from "../output.js";
import { databaseDocuments } from "./database.js";
import { namespaceDocuments } from "./namespace.js";
import { networkPolicyDocuments } from "./network-policy.js";
import { clusterSecretStoreDocuments, registrySecretDocuments, secretStoreDocuments } from "./secrets.js";
import { serviceDocuments } from "./service.js";
import { storageClassDocuments } from "./storage.js";
import { priorityClassDocuments } from "./priority.js";

/** Plain Kubernetes manifests (stable APIs of 1.31+): mission areas 1 and 2. */
export const kubernetesEmitter: Emitter = {
  id: "kubernetes",
  emit(model: PlatformModel) {
    const documents: EmittedDocument[] = [...priorityClassDocuments(model), ...storageClassDocuments(model), ...clusterSecretStoreDocuments(model)];
    for (const ns of model.namespaces) {
      documents.push(...namespaceDocuments(model, ns), ...secretStoreDocuments(model, ns.name), ...registrySecretDocuments(model, ns.name));
    }
    for (const s of model.services) documents.push(...serviceDocuments(model, s));
    for (const db of model.databases) documents.push(...databaseDocuments(model, db));
    documents.push(...networkPolicyDocuments(model));
    return { documents, diagnostics: [] };
  },
};
