#!/usr/bin/env bash
# Installs (or reuses) what test/vscode-e2e needs: code-server (a real VS Code served to a browser),
# ripgrep and Chromium. Idempotent: a finished install leaves $DIR/.ready holding the version, and a
# second run only checks. Prints what it did; exits non-zero only when something is still missing.
#
#   scripts/vscode-e2e-setup.sh        then  npm run test:vscode
#
# Nothing may be downloaded at install time except through the npm registry, so code-server is
# installed with --ignore-scripts and its postinstall.sh is done here by hand:
#   - lib/vscode: `npm install --omit=dev` (its own shrinkwrap), scripts off, then the native modules
#     the server loads are compiled against this Node's own headers (node-gyp would fetch them);
#   - @vscode/ripgrep's postinstall downloads rg from GitHub: we link Debian's /usr/bin/rg instead;
#   - node_modules.asar -> node_modules and the bin/ script links postinstall.sh makes;
#   - lib/vscode/extensions' npm install only brings TypeScript for the built-in TS/JS extension: skipped.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}" # 4.100.x is the last line whose engines say node 20
DIR="${FINC_CODE_SERVER_DIR:-${FINC_TOOLS_DIR:-$HOME/.cache/finc-tools}/code-server}"
CS="$DIR/node_modules/code-server"
start=$(date +%s)
say() { echo "vscode-e2e-setup: $*"; }

apt_install() { # apt_install COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && { say "have $1 ($(command -v "$1"))"; return 0; }
  say "installing $2 with apt"
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$2" >/dev/null 2>&1 ||
    { $SUDO apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$2" >/dev/null; }
  command -v "$1" >/dev/null 2>&1 || { say "could not install $2"; return 1; }
}
apt_install rg ripgrep
apt_install chromium chromium

if [ "$(cat "$DIR/.ready" 2>/dev/null)" = "$VERSION" ] && [ -f "$CS/out/node/entry.js" ]; then
  say "code-server $VERSION cached in $DIR ($(( $(date +%s) - start )) s)"
  exit 0
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || say "warning: code-server $VERSION wants Node 20, this is $(node -v)"
# The headers of the running Node, so node-gyp builds offline.
NODEDIR=$(node -p 'require("path").resolve(process.execPath, "..", "..")')
[ -f "$NODEDIR/include/node/node.h" ] || { say "no Node headers in $NODEDIR/include/node: cannot build code-server's native modules"; exit 1; }
export npm_config_nodedir="$NODEDIR"

case "$DIR" in /|"$HOME"|"$HOME"/) say "refusing to reinstall into $DIR"; exit 1 ;; esac
rm -rf "$DIR" && mkdir -p "$DIR" # a half-finished install is started over
echo '{"private":true}' >"$DIR/package.json"
say "npm install code-server@$VERSION --ignore-scripts (into $DIR)"
(cd "$DIR" && npm install --no-audit --no-fund --ignore-scripts --omit=dev "code-server@$VERSION" >/dev/null)

say "npm install in lib/vscode (scripts off)"
(cd "$CS/lib/vscode" && npm install --no-audit --no-fund --ignore-scripts --omit=dev >/dev/null)

# Native modules: argon2 (code-server's password hashing, imported at start-up) and what the
# VS Code server and extension host load. Windows-only ones are left out; kerberos (proxy auth,
# needs libkrb5-dev's headers) fails here without harm to the editor.
say "building native modules against $NODEDIR"
(cd "$DIR" && npm_config_build_from_source=true nice -n 10 npm rebuild argon2 >/dev/null 2>&1) || true
(cd "$DIR" && node -e "require('argon2')" >/dev/null 2>&1) && say "  built argon2" || { say "argon2 does not load: code-server cannot start"; exit 1; }
# npm rebuild's exit code is no guide (node-pty's `prepare` wants tsc even when pty.node built): a
# module counts as built when it loads.
for m in @vscode/spdlog node-pty native-watchdog kerberos @parcel/watcher; do
  (cd "$CS/lib/vscode" && nice -n 10 npm rebuild "$m" >/dev/null 2>&1) || true
  if (cd "$CS/lib/vscode" && node -e "require('$m')" >/dev/null 2>&1); then say "  built $m"; else say "  warning: $m does not load"; fi
done

say "linking @vscode/ripgrep to $(command -v rg)"
mkdir -p "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin"
ln -sf "$(command -v rg)" "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"

# The rest of postinstall.sh's vscode_install.
(cd "$CS/lib/vscode" && rm -rf node_modules.asar && ln -s node_modules node_modules.asar)
(cd "$CS/lib/vscode/bin/remote-cli" && ln -sf code-linux.sh code-server)
(cd "$CS/lib/vscode/bin/helpers" && ln -sf browser-linux.sh browser.sh)

echo "$VERSION" >"$DIR/.ready"
say "code-server $VERSION installed in $DIR ($(( $(date +%s) - start )) s)"
