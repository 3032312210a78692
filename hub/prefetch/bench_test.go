package prefetch

import (
	"testing"

	"github.com/cosmos/iavl"
	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
)

// BenchmarkLoad is the prefetcher's CPU per key in a tree of 200,000 keys
// whose node cache holds a tenth of it, against proving the key (what it
// did before: a proof loads as many nodes, then builds the proof): go test
// -run XXX -bench Load -benchtime 20000x
// ./hub/prefetch. Half the keys exist (a summary rewritten), half are new
// (a history entry inserted). The cache warms as keys are walked, so the
// two compare only at the same -benchtime count.
func BenchmarkLoad(b *testing.B) {
	const n = 200_000
	db, id := committedTree(b, n)
	for _, bc := range []struct {
		name string
		load func(p *Prefetcher, tree storetypes.KVStore, it item) error
	}{
		{"walk", (*Prefetcher).load},
		{"proof", func(_ *Prefetcher, tree storetypes.KVStore, it item) error {
			_, err := tree.(storetypes.Queryable).Query(&storetypes.RequestQuery{Path: "/key", Data: it.key, Height: it.version, Prove: true})
			return err
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			stat := &iavl.Statistics{}
			store := reloadWithCache(b, db, id, 40_000, stat)
			p := prefetcherOf(b, store, treeKeys)
			tree := p.view(id.Version)
			require.NotNil(b, tree)
			b.ResetTimer()
			for i := range b.N {
				// Odd keys are new; the stride visits the tree at random.
				key := treeKey(uint64(i*7919) % (2 * n))
				require.NoError(b, bc.load(p, tree, item{version: id.Version, key: key}))
			}
			b.ReportMetric(float64(stat.GetCacheMissCnt())/float64(b.N), "node-reads/key")
		})
	}
}
