import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where scripts/real-tools.sh puts the upstream tools it builds (same default as the script). */
export const REAL_TOOLS_BIN = join(process.env.FINC_TOOLS_DIR ?? join(homedir(), ".cache/finc-tools"), "bin");

/** The path of a tool scripts/real-tools.sh built, or undefined when it is not there. */
export function realTool(name: string): string | undefined {
  const path = join(REAL_TOOLS_BIN, name);
  return existsSync(path) ? path : undefined;
}

/** The reason a test that needs the tool prints when it skips. */
export function realToolSkipped(name: string): string {
  return `skipped: ${name} is not in ${REAL_TOOLS_BIN} (run scripts/real-tools.sh to build it; .ci/run does)`;
}
