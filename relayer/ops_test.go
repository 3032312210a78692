package relayer

import (
	"log/slog"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"
)

// TestOldestPendingGauge: the age of the oldest packet waiting to be
// received is exported per path and destination; 0 once none waits.
func TestOldestPendingGauge(t *testing.T) {
	r, hub, dealer := fakePath(IBCv2, DefaultConfig().Global)
	dealerSent(r, dealer, 3)
	r.mu.Lock()
	r.sent[1][2].Seen = time.Now().Add(-90 * time.Second)
	r.mu.Unlock()
	r.gauges(0)
	age := metricValue(t, r.m.OldestPending.WithLabelValues("hub-a", "hub", "recv"))
	require.InDelta(t, 90, age, 5)
	require.Zero(t, metricValue(t, r.m.OldestPending.WithLabelValues("hub-a", "hub", "ack")))

	_, err := runSteps(r, 2)
	require.NoError(t, err)
	require.Len(t, hub.received, 3)
	require.Zero(t, metricValue(t, r.m.OldestPending.WithLabelValues("hub-a", "hub", "recv")))
}

// TestObserveBalance: the wallet gauge shows the balance; below
// min_balance the low flag is set (and a warning logged), not otherwise.
func TestObserveBalance(t *testing.T) {
	testCases := []struct {
		name       string
		balance    int64
		minBalance string
		wantLow    bool
	}{
		{"no alert configured", 5, "", false},
		{"above the floor", 2_000_000, "1000000stake", false},
		{"at the floor", 1_000_000, "1000000stake", false},
		{"below the floor", 999_999, "1000000stake", true},
		{"floor in another denom is ignored", 1, "1000000uatom", false},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMetrics()
			var log syncBuffer
			low := m.observeBalance(slog.New(slog.NewTextHandler(&log, nil)), "hub", sdk.NewInt64Coin("stake", tc.balance), tc.minBalance)
			require.Equal(t, tc.wantLow, low)
			require.Equal(t, float64(tc.balance), metricValue(t, m.WalletBalance.WithLabelValues("hub", "stake")))
			want := 0.0
			if tc.wantLow {
				want = 1
			}
			require.Equal(t, want, metricValue(t, m.WalletLow.WithLabelValues("hub")))
			require.Equal(t, tc.wantLow, log.count("wallet balance low") == 1)
		})
	}
}
