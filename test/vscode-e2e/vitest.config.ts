// `npm run test:vscode`: only the end-to-end editor test, one file, generous timeouts (a cold
// code-server start and extension activation take tens of seconds on a busy 2-core machine).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../.."),
  test: {
    include: ["test/vscode-e2e/**/*.e2e.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
