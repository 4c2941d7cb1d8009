import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The real-VS-Code test runs alone: `npm run test:vscode` (test/vscode-e2e/vitest.config.ts).
    exclude: [...configDefaults.exclude, "test/vscode-e2e/**"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
