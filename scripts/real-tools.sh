#!/usr/bin/env bash
# Builds (or reuses) the pinned upstream tools the tests judge finc's output with, and prints what
# it has. One script per tool in scripts/real-tools/<tool>.sh; each builds into $FINC_TOOLS_BIN
# only when the pinned version is missing, and never fails the run: a tool that cannot be built
# is reported here, and the tests that need it say that they skipped.
#
#   scripts/real-tools.sh            build what is missing, then list
#   scripts/real-tools.sh --list     only list
set -uo pipefail
cd "$(dirname "$0")/.."
export FINC_TOOLS_DIR="${FINC_TOOLS_DIR:-$HOME/.cache/finc-tools}"
export FINC_TOOLS_BIN="$FINC_TOOLS_DIR/bin"
mkdir -p "$FINC_TOOLS_BIN" "$FINC_TOOLS_DIR/logs"
export PATH="/usr/local/go/bin:$PATH"

if [ "${1:-}" != "--list" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "real-tools: no Go toolchain; no upstream tool can be built (tests that need one will skip)"
  else
    for script in scripts/real-tools/*.sh; do
      [ "$(basename "$script")" = lib.sh ] && continue
      tool=$(basename "$script" .sh)
      start=$(date +%s)
      if bash "$script" >"$FINC_TOOLS_DIR/logs/$tool.log" 2>&1; then
        echo "real-tools: $tool ready ($(( $(date +%s) - start )) s)"
      else
        echo "real-tools: $tool could not be built ($(( $(date +%s) - start )) s); last lines of $FINC_TOOLS_DIR/logs/$tool.log:"
        tail -5 "$FINC_TOOLS_DIR/logs/$tool.log" | sed 's/^/  /'
      fi
    done
  fi
fi

for f in "$FINC_TOOLS_BIN"/*; do
  [ -x "$f" ] && [ -f "$f.version" ] && echo "real-tools: have $(basename "$f") $(cat "$f.version")"
done
exit 0
