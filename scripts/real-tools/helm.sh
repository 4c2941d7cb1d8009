set -euo pipefail
source "$(dirname "$0")/lib.sh"
# Helm 3 (the chart finc writes is apiVersion v2, Helm 3 and 4 both read it); test/helm/real-helm.test.ts.
go_tool helm v3.19.0 helm.sh/helm/v3/cmd/helm@v3.19.0
