import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The real-VS-Code test runs alone: `npm run test:vscode` (test/vscode-e2e/vitest.config.ts).
    exclude: [...configDefaults.exclude, "test/vscode-e2e/**"],
    // Vitest's default is one worker per core but one, so a 2-core CI machine ran every file in
    // turn; many files mostly wait on child processes (terraform, kube-apiserver, helm, a server
    // over stdio), so two files at a time on two cores keep both busy.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
