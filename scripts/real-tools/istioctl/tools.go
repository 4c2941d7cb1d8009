//go:build tools

// Package tools pins istioctl as a dependency of this wrapper module (scripts/real-tools/istioctl.sh).
package tools

import _ "istio.io/istio/istioctl/cmd/istioctl"
