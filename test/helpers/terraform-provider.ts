// One Terraform provider process shared by many `terraform validate` runs. Terraform normally
// starts the provider binary for every command, and for the AWS provider (a 700 MB binary that
// builds ~1,500 resource schemas at start-up) that is half of each validate's CPU. Started with
// `-debug`, the same binary serves every command that names it in TF_REATTACH_PROVIDERS: the
// same schemas and the same validation code answer, only the process start is shared.
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SharedProvider {
  /** The provider binary that serves (its real path). */
  readonly binary: string;
  /** Environment for a terraform command that should use this process instead of starting the binary. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The provider binary `terraform init` selected in `dir` for `source` (e.g.
 * "registry.terraform.io/hashicorp/aws"), resolved through the symlink init makes into an
 * unpacked mirror; undefined when there is not exactly one.
 */
export function initSelectedProvider(dir: string, source: string): string | undefined {
  const base = join(dir, ".terraform", "providers", source);
  try {
    const found = readdirSync(base).flatMap((version) =>
      readdirSync(join(base, version)).flatMap((platform) =>
        readdirSync(join(base, version, platform)).filter((f) => f.startsWith("terraform-provider-")).map((f) => realpathSync(join(base, version, platform, f))),
      ),
    );
    return found.length === 1 ? found[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts `binary -debug` and waits for the reattach address it prints for `source`. Its output
 * goes to a log file, not a pipe: callers run terraform with spawnSync, which blocks the event
 * loop that would drain a pipe, and a provider blocked on a full pipe never answers.
 */
export async function startSharedProvider(source: string, binary: string, timeoutMs = 60_000): Promise<SharedProvider> {
  const dir = mkdtempSync(join(tmpdir(), "finc-tf-provider-"));
  const log = join(dir, "provider.log");
  const fd = openSync(log, "a");
  // In -debug mode the plugin SDKs log at TRACE by default (15 MB per ten validates of the AWS
  // provider, a good share of its CPU); logging is all these variables change.
  const quiet = Object.fromEntries(["TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_MUX", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_HELPER_SCHEMA"].map((v) => [v, "OFF"]));
  const child = spawn(binary, ["-debug"], { stdio: ["ignore", fd, fd], env: { ...process.env, ...quiet } });
  closeSync(fd);
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const stop = () =>
    new Promise<void>((resolve) => {
      process.off("exit", kill);
      const done = () => (rmSync(dir, { recursive: true, force: true }), resolve());
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", done);
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = readFileSync(log, "utf8");
    const m = /TF_REATTACH_PROVIDERS='(\{.*\})'/.exec(out);
    if (m) {
      const config = JSON.parse(m[1]!) as Record<string, unknown>;
      if (source in config) return { binary, env: { TF_REATTACH_PROVIDERS: JSON.stringify({ [source]: config[source] }) }, stop };
    }
    if (m || child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${binary} -debug gave no reattach address for ${source}:\n${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
