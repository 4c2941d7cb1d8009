set -euo pipefail
# kube-apiserver for test/cluster (server-side dry-run). Built in the wrapper module
# scripts/real-tools/kube-apiserver/, whose go.mod pins the release and maps k8s.io/kubernetes's
# staging modules to their published versions. Cold build: see README ("How output is judged").
source "$(dirname "$0")/lib.sh"
dir="$(cd "$(dirname "$0")/kube-apiserver" && pwd)"
version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 }' "$dir/go.mod")
# The version the binary reports (`/version`, kubectl version), as Kubernetes' own build stamps it.
v=${version#v}
stamp="-X k8s.io/component-base/version.gitVersion=$version -X k8s.io/component-base/version.gitMajor=${v%%.*}"
stamp="$stamp -X k8s.io/component-base/version.gitMinor=$(echo "$v" | cut -d. -f2) -X k8s.io/component-base/version.gitTreeState=clean"
go_module_tool kube-apiserver "$version" "$dir" k8s.io/kubernetes/cmd/kube-apiserver "$stamp"
