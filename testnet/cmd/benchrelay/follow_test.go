package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/testnet"
)

// TestSummarize: lag counts until the hub is seen at the load's last
// height, catch-up runs from then to the first sample that has it indexed,
// rows are those written from the baseline to that sample.
func TestSummarize(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int, hub, indexed, lag, rows int64) followSample {
		return followSample{IndexSample: testnet.IndexSample{At: t0.Add(time.Duration(ms) * time.Millisecond),
			Indexed: indexed, Chain: indexed + lag, Lag: lag, Rows: rows}, hub: hub}
	}
	samples := []followSample{
		at(0, 10, 10, 0, 500), // baseline
		at(100, 11, 10, 1, 500),
		at(200, 12, 10, 2, 500),
		at(300, 12, 11, 1, 600),
		at(400, 13, 12, 1, 700), // hub at the load's last height 13
		at(500, 13, 12, 1, 700),
		at(700, 14, 13, 1, 800), // indexed 13
		at(800, 14, 14, 0, 850),
	}
	r := summarize(samples, 13)
	require.Equal(t, []int64{0, 1, 1, 1, 2}, r.lags)
	require.Equal(t, 300*time.Millisecond, r.catchUp)
	require.Equal(t, int64(300), r.rows)
	require.InDelta(t, 300/0.7, r.rowsPerSec, 1e-9)

	// Indexed in the very sample that first saw the hub there.
	r = summarize([]followSample{at(0, 5, 5, 0, 0), at(100, 6, 6, 0, 10)}, 6)
	require.Zero(t, r.catchUp)
	require.Equal(t, []int64{0, 0}, r.lags)
}
