package relayer

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/monitor"
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

// TestMetricsServe: vinrelay serves docs/relayer.md's series at /metrics
// (with the Go and process collectors) and /healthz: 200 ok while every
// feed progressed within stale, 503 naming the late chain, then the halt.
func TestMetricsServe(t *testing.T) {
	m := NewMetrics()
	m.Relayed.WithLabelValues("hub-a", "hub", "recv").Inc()
	m.progress("hub")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, err := m.Serve(ctx, "127.0.0.1:0", time.Hour)
	require.NoError(t, err)
	get := func(path string) (int, string) {
		code, body, err := monitor.Get(addr.String(), path)
		require.NoError(t, err)
		return code, body
	}
	code, body := get("/metrics")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `vinrelay_packets_relayed_total{chain="hub",kind="recv",path="hub-a"} 1`)
	require.Contains(t, body, "go_goroutines ")
	require.Contains(t, body, "process_cpu_seconds_total ")
	code, body = get("/healthz")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "ok\n", body)

	m.progressMu.Lock()
	m.lastProgress["hub"] = time.Now().Add(-2 * time.Hour)
	m.progressMu.Unlock()
	code, body = get("/healthz")
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.Contains(t, body, "hub (no block processed since ")
	m.halt("path hub-a: conflicting header")
	_, body = get("/healthz")
	require.Equal(t, "halted: path hub-a: conflicting header\n", body)
}
