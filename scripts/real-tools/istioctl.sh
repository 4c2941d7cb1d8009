set -euo pipefail
source "$(dirname "$0")/lib.sh"
# istioctl of Istio 1.26.0 (the Istio CRDs in ../shared/schemas are of 2025-05, i.e. 1.26; finc needs
# Istio >= 1.20, >= 1.24 for ambient: compiler/model/install-assumptions.ts). Istio tags its releases
# "1.26.0", not "v1.26.0", so the module proxy serves the tag as the pseudo-version below
# (`go list -m istio.io/istio@1.26.0`). istio's go.mod has no replace directive: plain go install works.
# Used by test/mesh/istioctl-analyze.test.ts.
go_tool istioctl 1.26.0 istio.io/istio/istioctl/cmd/istioctl@v0.0.0-20250506181944-c2e9871f340c
