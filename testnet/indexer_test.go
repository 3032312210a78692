package testnet

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/indexer"
)

// TestVinindexSample reads vinindex's own registry served as vinindex
// serves it: gauges as they are, rows summed over tables; a longer name
// sharing the prefix is not counted and a value that is no number refused.
func TestVinindexSample(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := indexer.NewMetrics()
	addr, err := m.Serve(ctx, "127.0.0.1:0", 0)
	require.NoError(t, err)
	v := &Vinindex{Schema: "test", MetricsAddr: addr.String()}

	s, err := v.Sample()
	require.NoError(t, err)
	require.Zero(t, s.Rows, "no row written yet: no rows series at all")

	m.Indexed.Set(40)
	m.Chain.Set(47)
	m.Lag.Set(7)
	m.Rows.WithLabelValues("records").Add(1000)
	m.Rows.WithLabelValues("blocks").Add(47)
	s, err = v.Sample()
	require.NoError(t, err)
	require.Equal(t, IndexSample{At: s.At, Indexed: 40, Chain: 47, Lag: 7, Rows: 1047}, s)

	_, found, err := seriesSum("vinindex_lag_blocks_total 3\n", "vinindex_lag_blocks")
	require.NoError(t, err)
	require.False(t, found, "a longer name sharing the prefix is another metric")
	_, _, err = seriesSum("vinindex_lag_blocks x\n", "vinindex_lag_blocks")
	require.Error(t, err)
}
