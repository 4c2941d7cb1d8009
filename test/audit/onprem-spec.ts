/** An onprem platform under `compliance pci-dss`: the control plane is the operator's, so finc writes its audit and encryption files. */
export const ONPREM_SPEC = `platform p {
  cloud               onprem
  storage-provisioner "csi.example.com"
  compliance          pci-dss
  mesh                istio sidecar cni
  environments        prod
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace pay { security restricted }
service api {
  image "r.io/api:1.0.0@sha256:${"a".repeat(64)}"
  port  http 8080
}
`;
