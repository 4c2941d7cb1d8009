# Shared by scripts/real-tools/<tool>.sh (sourced, not run: real-tools.sh skips lib.sh by name).
# go_tool NAME VERSION PACKAGE@VERSION: `go install` into $FINC_TOOLS_BIN unless NAME.version says VERSION.
go_tool() {
  local name=$1 version=$2 pkg=$3
  if [ -x "$FINC_TOOLS_BIN/$name" ] && [ "$(cat "$FINC_TOOLS_BIN/$name.version" 2>/dev/null)" = "$version" ]; then
    echo "$name $version: cached"; return 0
  fi
  GOBIN="$FINC_TOOLS_BIN" CGO_ENABLED=0 go install -trimpath -ldflags="-s -w" "$pkg" || return 1
  echo "$version" >"$FINC_TOOLS_BIN/$name.version"
}
