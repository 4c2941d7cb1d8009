import { pciScoped } from "../../model/cluster-security.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type Emitter } from "../output.js";
import { toYaml, type JsonValue } from "../shared/yaml.js";
import { falcoRules } from "./falco-rules.js";

/** Falco's namespace as its chart is usually installed (`helm install falco falcosecurity/falco -n falco`). */
export const FALCO_NAMESPACE = "falco";
export const FALCO_RULES_CONFIGMAP = "finc-falco-rules";
/** The key of the rules file in the ConfigMap: mounted into /etc/falco/rules.d, which Falco loads. */
export const FALCO_RULES_FILE = "finc-rules.yaml";

/**
 * The platform's Falco rules under `compliance pci-dss`, as a ConfigMap in each environment
 * (`falco/configmap-finc-falco-rules.yaml`): a cluster-ready document, so it is delivered, validated
 * and reviewed with the rest of the environment (GitOps syncs a rule change; Falco's
 * `watch_config_files` reloads it). The chart mounts it through `mounts.volumes`/`volumeMounts`
 * (README). Chart values would be no Kubernetes object: every top-level directory of a build
 * holds cluster-ready documents (test/cli/output-layout.test.ts).
 */
export const runtimeSecurityEmitter: Emitter = {
  id: "runtime-security",
  emit(model) {
    if (!pciScoped(model)) return { documents: [], diagnostics: [] };
    const origin = model.platform.fields["compliance"] ?? model.platform.origin;
    return {
      diagnostics: [],
      documents: [
        document(`${FALCO_NAMESPACE}/configmap-${FALCO_RULES_CONFIGMAP}.yaml`, {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: metadata(FALCO_RULES_CONFIGMAP, FALCO_NAMESPACE, labels(model, FALCO_RULES_CONFIGMAP, "runtime-security")),
          data: { [FALCO_RULES_FILE]: toYaml(falcoRules(model) as unknown as JsonValue) },
        }, origin, { "/data": origin }),
      ],
    };
  },
};
