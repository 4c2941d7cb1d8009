set -euo pipefail
source "$(dirname "$0")/lib.sh"
# istioctl of Istio 1.26.0: the Istio CRDs in ../shared/schemas are of 2025-05 (1.26); finc needs
# Istio >= 1.20, >= 1.24 for ambient (compiler/model/install-assumptions.ts). Used by
# test/mesh/istioctl-analyze.test.ts.
#
# Why a wrapper module (istioctl/ beside this script) and not `go install pkg@version`:
# - Istio tags releases "1.26.0", not "v1.26.0", so the module proxy serves the tag only as the
#   pseudo-version in istioctl/go.mod (`go list -m istio.io/istio@1.26.0`). istio's go.mod has no
#   replace directive.
# - `go install istio.io/istio/istioctl/cmd/istioctl@<that version>` fails: the checksum database
#   answers 404 for three of istio's dependencies (istio.io/client-go v1.26.0-beta.0 and
#   github.com/envoyproxy/go-control-plane/{envoy,contrib} v1.32.5-0.20250411033633-fceb350c06ca).
#   The wrapper's go.sum is istio's own go.sum at that commit (plus istio.io/istio's own lines from
#   the checksum database), so every module is still verified, against istio's recorded hashes,
#   without turning GOSUMDB off. go.mod/go.sum were then completed by `go mod tidy`.
go_module_tool istioctl 1.26.0 "$(dirname "$0")/istioctl" istio.io/istio/istioctl/cmd/istioctl
