import type { ServiceModel } from "../../model/platform-model.js";
import { isBatch } from "../../model/workload-kind.js";
import { pointerToken } from "../kustomize/json-patch.js";
import { splitImage, type Binding, type DocumentRule } from "./bindings.js";
import { ENVIRONMENT_LABEL } from "../kubernetes/labels.js";

/** The `app.kubernetes.io/version` label finc writes for an image (kubernetes/service.ts): its tag, when it is a plain one. */
const imageTagLabel = (image: string): string | undefined => splitImage(image).tag?.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 63);

/**
 * A job's or cron job's chart values: the same image, resources and config checksum as a
 * service's, at the pod template of its Job (`/spec/template`) or CronJob
 * (`/spec/jobTemplate/spec/template`), and a cron job's `suspend` (per environment in the spec).
 */
export function batchRules(s: ServiceModel, v: readonly string[]): DocumentRule[] {
  if (!isBatch(s)) return [];
  const cron = s.batch?.schedule !== undefined;
  const tpl = cron ? "/spec/jobTemplate/spec/template" : "/spec/template";
  const resources = (prefix: string): Binding[] =>
    ["requests", "limits"].flatMap((rl) => ["cpu", "memory"].map((r) => ({ pointer: `${prefix}/resources/${rl}/${r}`, values: [...v, "resources", rl, r], render: "scalar" as const })));
  return [{
    kind: cron ? "CronJob" : "Job",
    name: s.name,
    bindings: [
      { pointer: `${tpl}/spec/containers/0/image`, values: [...v, "image"], render: "image" },
      ...resources(`${tpl}/spec/containers/0`),
      ...resources(`${tpl}/spec/initContainers/0`),
      { pointer: `${tpl}/metadata/annotations/${pointerToken("finc.dev/config-hash")}`, values: [...v, "config"], render: "config-hash" },
      ...(cron
        ? [
            { pointer: "/spec/suspend", values: [...v, "suspend"], render: "scalar" as const },
            // The Jobs' labels follow the CronJob's own (derivedBindings binds only the top-level ones).
            { pointer: `/spec/jobTemplate/metadata/labels/${pointerToken(ENVIRONMENT_LABEL)}`, values: ["environment"], render: "scalar" as const, follows: true as const },
            ...(splitImage(s.image).tag !== undefined && imageTagLabel(s.image) === splitImage(s.image).tag
              ? [{ pointer: `/spec/jobTemplate/metadata/labels/${pointerToken("app.kubernetes.io/version")}`, values: [...v, "image", "tag"], render: "scalar" as const, follows: true as const }]
              : []),
          ]
        : []),
    ],
  }];
}
