# Shared by scripts/real-tools/<tool>.sh (sourced, not run: real-tools.sh skips lib.sh by name).
# go_tool NAME VERSION PACKAGE@VERSION: `go install` into $FINC_TOOLS_BIN unless NAME.version says VERSION.
go_tool() {
  local name=$1 version=$2 pkg=$3
  if [ -x "$FINC_TOOLS_BIN/$name" ] && [ "$(cat "$FINC_TOOLS_BIN/$name.version" 2>/dev/null)" = "$version" ]; then
    echo "$name $version: cached"; return 0
  fi
  GOBIN="$FINC_TOOLS_BIN" CGO_ENABLED=0 go install -p 2 -trimpath -ldflags="-s -w" "$pkg" || return 1
  echo "$version" >"$FINC_TOOLS_BIN/$name.version"
}

# go_module_tool NAME VERSION DIR PACKAGE [LDFLAGS]: `go build` PACKAGE inside the wrapper module DIR (for
# tools whose module cannot be `go install`ed by itself, e.g. k8s.io/kubernetes and its staging replaces).
go_module_tool() {
  local name=$1 version=$2 dir=$3 pkg=$4 ldflags=${5:-}
  if [ -x "$FINC_TOOLS_BIN/$name" ] && [ "$(cat "$FINC_TOOLS_BIN/$name.version" 2>/dev/null)" = "$version" ]; then
    echo "$name $version: cached"; return 0
  fi
  (cd "$dir" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags="-s -w $ldflags" -o "$FINC_TOOLS_BIN/$name.tmp" "$pkg") || return 1
  mv "$FINC_TOOLS_BIN/$name.tmp" "$FINC_TOOLS_BIN/$name"
  echo "$version" >"$FINC_TOOLS_BIN/$name.version"
}
