import type { DatabaseModel } from "../../model/platform-model.js";

/** Names of generated objects, in one place so every emitter agrees on them. */
export const names = {
  configMap: (service: string) => `${service}-config`,
  secret: (workload: string) => `${workload}-secrets`,
  /** The Secret a SealedSecret decrypts into: the name `kubeseal --name` must be given. */
  sealedSecret: (workload: string) => `${workload}-sealed`,
  dbCredentials: (db: string) => `${db}-credentials`,
  registrySecret: "registry-credentials",
  secretStore: (store: string) => store,
  networkPolicy: (workload: string) => `${workload}-traffic`,
  dbHost: (db: DatabaseModel) => `${db.name}.${db.namespace}.svc.cluster.local`,
};
