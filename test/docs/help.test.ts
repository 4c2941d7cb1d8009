import { expect, it } from "vitest";
import { run } from "../../compiler/cli/main.js";
import { DEFAULT_TARGETS } from "../../compiler/emit/default-targets.js";

/** `finc --help` said the default targets were kubernetes,istio,ingress,backup; `finc build` emits seven. */
it("`finc --help` names the targets `finc build` emits without --target", async () => {
  let out = "";
  const code = await run(["--help"], { out: (t) => (out += t), err: () => {}, cwd: "/", color: false });
  expect(code).toBe(0);
  const listed = /--target LIST .*\(default: ([a-z,-]+)\)/.exec(out)?.[1]?.split(",");
  expect(listed).toEqual(["kubernetes", "istio", "ingress", "backup", "observability", "autoscaling", "rollouts", "admission", "runtime-security", "audit", "encryption", "gitops", "chaos", "supply-chain", "scanning", "nodepools", "pipeline", "smoke-tests", "drills"]);
  expect(listed).toEqual([...DEFAULT_TARGETS]);
});
