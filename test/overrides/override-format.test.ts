import { describe, expect, it } from "vitest";
import { formatSource } from "../../compiler/format/format.js";

describe("override: finc fmt", () => {
  it("keeps `kind/name`, `for <env>`, list indexes, append and map keys as written, and is idempotent", () => {
    const text = 'override deployment/api for prod {\n    spec.template.spec.containers.0.imagePullPolicy   "Always"\n  spec.template.spec.tolerations append {\n  key "x"\n  }\n  spec.template.metadata.annotations "example.com/team" "payments"\n}\n';
    const out = formatSource(text)!.text;
    expect(out).toBe('override deployment/api for prod {\n  spec.template.spec.containers.0.imagePullPolicy "Always"\n  spec.template.spec.tolerations append {\n    key "x"\n  }\n  spec.template.metadata.annotations "example.com/team" "payments"\n}\n');
    expect(formatSource(out)!.changed).toBe(false);
  });
});
