set -euo pipefail
source "$(dirname "$0")/lib.sh"
go_tool kubeconform v0.7.0 github.com/yannh/kubeconform/cmd/kubeconform@v0.7.0
