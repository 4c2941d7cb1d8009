import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, REPO, VIRTUAL } from "../helpers/compile.js";
import { VOLUMES_SPEC } from "./spec.js";

/**
 * Golden output of the objects that files and volumes shape (the spec in spec.ts), reviewed like
 * source: the Deployment with secret-file, claim and scratch volumes, the StatefulSets with claim
 * templates, the headless Services, the claim, the ExternalSecret and the StorageClasses.
 * Only these files, so that unrelated features do not churn them. `RECORD=1` rewrites them.
 */
const GOLDEN = resolve(REPO, "test/volumes/golden");
const FILES = [
  "dev/apps/deployment-api.yaml",
  "dev/apps/externalsecret-api-secrets.yaml",
  "dev/apps/persistentvolumeclaim-api-data.yaml",
  "dev/apps/statefulset-ledger.yaml",
  "dev/apps/service-ledger-pods.yaml",
  "dev/apps/horizontalpodautoscaler-ledger.yaml",
  "dev/apps/statefulset-consumer.yaml",
  "dev/apps/service-consumer-pods.yaml",
  "dev/_cluster/storageclass-finc-fast.yaml",
  "dev/_cluster/storageclass-finc-archive.yaml",
];

describe("golden output of secret files and volumes", () => {
  const out = buildOutputs(compileSources({ "main.fin": VOLUMES_SPEC }), { root: VIRTUAL });
  for (const path of FILES) {
    it(path, () => {
      const f = out.files.find((x) => x.path === path);
      expect(f, `${path} is not produced`).toBeDefined();
      const golden = join(GOLDEN, path);
      if (process.env["RECORD"]) {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, f!.content);
      }
      expect(existsSync(golden), `missing golden file ${path}; record with RECORD=1 after review`).toBe(true);
      expect(f!.content).toBe(readFileSync(golden, "utf8"));
    });
  }
});
