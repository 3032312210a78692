package relayer

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/client"

	channelv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
)

// clearingPath is a fake path whose dealer end answers tx_search from rpc,
// where the dealer committed n txs of one packet each (sequences 1..n).
func clearingPath(t *testing.T, n int, g GlobalConfig) (*PathRelayer, *fakeRPC) {
	t.Helper()
	rpc := &fakeRPC{failResults: map[int64]int{}, calls: map[string]int{}}
	for i := 1; i <= n; i++ {
		p := channelv2.NewPacket(uint64(i), "07-tendermint-3", "07-tendermint-0", uint64(time.Now().Add(time.Hour).Unix()), vehiclePayload)
		rpc.txs = append(rpc.txs, fakeTx{height: int64(10 + i), events: []client.Event{v2Event(eventSendPacket, p, nil)}})
	}
	srv := httptest.NewServer(rpc)
	t.Cleanup(srv.Close)
	conn, err := rpchttp.New(srv.URL, "/websocket")
	require.NoError(t, err)
	r, _, _ := fakePath(IBCv2, g)
	r.ends[1].chain = &Chain{Chain: &client.Chain{Config: client.Config{ID: "dealer-a", RPC: srv.URL}, RPC: conn}, m: r.m, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return r, rpc
}

// TestClearingSearchesOncePerPage: a clearing pass finds a backlog's
// packets with one tx_search per page of the path's txs (newest first),
// not one per sequence; a sequence the pages did not reach is searched
// for alone.
func TestClearingSearchesOncePerPage(t *testing.T) {
	r, rpc := clearingPath(t, 150, DefaultConfig().Global)
	want := append(seqRange(40, 150), 3)
	found, err := r.ends[1].findEvents(context.Background(), eventSendPacket, want)
	require.NoError(t, err)
	require.Len(t, found, len(want))
	for _, s := range want {
		require.Equal(t, s, found[s].Sequence)
		require.Equal(t, int64(10+s), found[s].Height)
	}
	require.Equal(t, 2, rpc.calls["tx_search"], "two pages of 100 txs, not %d searches", len(want))

	rpc.calls = map[string]int{}
	found, err = r.ends[1].findEvents(context.Background(), eventSendPacket, []uint64{150})
	require.NoError(t, err)
	require.Len(t, found, 1)
	require.Equal(t, 1, rpc.calls["tx_search"], "found on the first page: no more searches")
}

// TestClearLimit: a clearing pass queues at most clear_limit packets per
// direction, the lowest sequences first; 0 queues them all.
func TestClearLimit(t *testing.T) {
	for _, tc := range []struct {
		limit, want int
	}{{0, 150}, {20, 20}, {200, 150}} {
		g := DefaultConfig().Global
		g.ClearLimit = tc.limit
		r, _ := clearingPath(t, 150, g)
		require.NoError(t, r.queue(context.Background(), 1, r.ends[1], eventSendPacket, seqRange(1, 150), r.sent[1]))
		r.mu.Lock()
		got := slices.Sorted(maps.Keys(r.sent[1]))
		r.mu.Unlock()
		require.Equal(t, seqRange(1, uint64(tc.want)), got, "clear_limit %d", tc.limit)
	}
}
