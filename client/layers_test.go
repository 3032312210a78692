package client

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayers checks that imports run one way only (DESIGN.md, "Layout"):
// x/ and hashlock/ at the bottom, client/ above them, relayer/, adapters/
// and indexer/ side by side above the client, cmd/ and testnet/ on top;
// monitor/ (the metrics server) and configfile/ (a tool's config.toml) are
// leaves any process may use.
func TestLayers(t *testing.T) {
	const mod = "github.com/vinhub/vinhub/"
	forbidden := []struct {
		pkgs    string
		mustNot []string
	}{
		{"x/...", []string{"client", "relayer", "adapters", "testnet", "cmd", "audit", "indexer", "monitor", "configfile"}},
		{"hashlock", []string{"x", "client", "relayer", "adapters", "testnet", "cmd"}},
		{"client", []string{"relayer", "adapters", "testnet", "cmd", "audit", "indexer"}},
		{"relayer", []string{"adapters", "testnet", "cmd"}},
		{"adapters/...", []string{"relayer", "testnet", "cmd"}},
		{"indexer/...", []string{"relayer", "adapters", "audit", "testnet", "cmd"}},
		{"monitor", []string{"x", "client", "relayer", "adapters", "indexer", "testnet", "cmd"}},
		{"configfile", []string{"x", "client", "relayer", "adapters", "indexer", "audit", "monitor", "testnet", "cmd"}},
	}
	for _, f := range forbidden {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../"+f.pkgs).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", f.pkgs, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			rel, ok := strings.CutPrefix(dep, mod)
			if !ok {
				continue
			}
			for _, layer := range f.mustNot {
				if rel == layer || strings.HasPrefix(rel, layer+"/") {
					t.Errorf("%s depends on %s: an import runs up the layers", f.pkgs, dep)
				}
			}
		}
	}
}
