// Command etcd for test/cluster: the same entry point as the etcd repository's root main package,
// which cannot be `go install`ed by itself (its go.mod replaces its sibling modules with ../ paths).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
