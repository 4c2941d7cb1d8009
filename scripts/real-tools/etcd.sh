set -euo pipefail
# etcd for test/cluster (the storage of kube-apiserver). Built in the wrapper module
# scripts/real-tools/etcd/ (a main package calling etcdmain.Main, as etcd's own root main does).
source "$(dirname "$0")/lib.sh"
dir="$(cd "$(dirname "$0")/etcd" && pwd)"
version=$(awk '$1 == "require" && $2 == "go.etcd.io/etcd/server/v3" { print $3 }' "$dir/go.mod")
go_module_tool etcd "$version" "$dir" .
