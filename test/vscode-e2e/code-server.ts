// Starts a throw-away code-server (installed by scripts/vscode-e2e-setup.sh) with the packaged
// .vsix installed: its own user data, extensions and config in a temp dir, auth off, 127.0.0.1 only.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { freePort } from "../helpers/free-port.js";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

export const CODE_SERVER_VERSION = "4.100.3";
const cacheDir = process.env.FINC_CODE_SERVER_DIR ?? path.join(process.env.FINC_TOOLS_DIR ?? path.join(os.homedir(), ".cache/finc-tools"), "code-server");
const entry = path.join(cacheDir, "node_modules/code-server/out/node/entry.js");
export const CHROMIUM = "/usr/bin/chromium";

/** Why the end-to-end test cannot run here, or undefined when code-server and Chromium are installed. */
export function missingSetup(): string | undefined {
  const ready = existsSync(path.join(cacheDir, ".ready")) ? readFileSync(path.join(cacheDir, ".ready"), "utf8").trim() : "";
  if (ready !== CODE_SERVER_VERSION || !existsSync(entry)) return `code-server ${CODE_SERVER_VERSION} is not installed in ${cacheDir}; run scripts/vscode-e2e-setup.sh`;
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not found; run scripts/vscode-e2e-setup.sh`;
  return undefined;
}

export interface CodeServer {
  readonly url: string;
  /** Everything code-server printed, for failure messages. */
  readonly log: () => string;
  stop(): Promise<void>;
}

/** code-server's own arguments that keep it inside `home` (no ~/.config, no update check, no telemetry). */
function isolation(home: string): string[] {
  return [
    "--config", path.join(home, "config.yaml"),
    "--user-data-dir", path.join(home, "user-data"),
    "--extensions-dir", path.join(home, "extensions"),
    "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override",
  ];
}

/** User settings that keep the workbench quiet and predictable for the screenshots. */
const settings = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "chat.commandCenter.enabled": false,
  "editor.minimap.enabled": false,
  "editor.quickSuggestions": { other: false, comments: false, strings: false },
  "editor.wordBasedSuggestions": "off", // the completion list is then the language server's alone
  "editor.hover.delay": 100,
  "window.commandCenter": false,
};

/** Installs `vsix` and serves `folder`; resolves once code-server listens. */
export async function startCodeServer(home: string, vsix: string): Promise<CodeServer> {
  mkdirSync(path.join(home, "user-data/User"), { recursive: true });
  writeFileSync(path.join(home, "config.yaml"), "auth: none\ncert: false\n");
  writeFileSync(path.join(home, "user-data/User/settings.json"), JSON.stringify(settings, null, 2));
  // No VSCODE_* of a surrounding editor may leak into the server or its extension host.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VSCODE_")));

  const installed = await promisify(execFile)(process.execPath, [entry, ...isolation(home), "--install-extension", vsix], { env, timeout: 120_000 });
  if (!/successfully installed/.test(installed.stdout + installed.stderr)) throw new Error(`installing ${vsix} failed:\n${installed.stdout}${installed.stderr}`);

  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [entry, ...isolation(home), "--auth", "none", "--bind-addr", `127.0.0.1:${port}`], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so stop() also ends the file watcher and extension host it forks
  });
  let log = `$ code-server --install-extension\n${installed.stdout}${installed.stderr}\n`;
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within 60 s:\n${log}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes("HTTP server listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}):\n${log}`));
    });
  });
  await listening;
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const group = (signal: NodeJS.Signals): void => {
          try {
            process.kill(-child.pid!, signal);
          } catch {
            // already gone
          }
        };
        child.once("exit", () => {
          group("SIGTERM"); // forks that outlive the server
          resolve();
        });
        group("SIGTERM");
        setTimeout(() => group("SIGKILL"), 5_000).unref();
      }),
  };
}
