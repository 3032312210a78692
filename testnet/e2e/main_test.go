package e2e

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/testnet"
)

type daemons struct{ hub, dealer, relayer, indexer string }

var (
	buildOnce sync.Once
	built     daemons
	buildErr  error
	binDir    string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vinhub-e2e-bin")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binaries builds vinhubd, dealerd, vinrelay and vinindex once (one go build, linked in parallel) for all tests.
func binaries(t *testing.T) daemons {
	t.Helper()
	buildOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		defer cancel()
		root, err := testnet.RepoRoot()
		if err != nil {
			buildErr = err
			return
		}
		paths, err := testnet.Build(ctx, root, binDir, "vinhubd", "dealerd", "vinrelay", "vinindex")
		if err != nil {
			buildErr = err
			return
		}
		built = daemons{hub: paths[0], dealer: paths[1], relayer: paths[2], indexer: paths[3]}
	})
	require.NoError(t, buildErr)
	return built
}

// startNode initialises and starts a single-node chain, stopped when the test ends.
func startNode(ctx context.Context, t *testing.T, spec testnet.ChainSpec) *testnet.Node {
	t.Helper()
	node, err := testnet.InitSingleNode(ctx, spec)
	require.NoError(t, err)
	require.NoError(t, node.Start())
	t.Cleanup(func() {
		node.Stop()
		if t.Failed() {
			logTail(t, filepath.Join(node.Home, "node.log"))
		}
	})
	require.NoError(t, node.WaitHeight(ctx, 2))
	return node
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

func logTail(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > 8000 {
		_, _ = f.Seek(st.Size()-8000, io.SeekStart)
	}
	bz, _ := io.ReadAll(f)
	t.Logf("node log tail:\n%s", bz)
}
