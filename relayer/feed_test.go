package relayer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/client"
)

// fakeRPC is a CometBFT JSON-RPC endpoint serving status and
// block_results from memory; it can be down, and can fail a block's
// results a number of times (a heavy block its node is slow to serve).
type fakeRPC struct {
	mu     sync.Mutex
	height int64
	down   bool
	// failResults[h] is how many more block_results calls at h fail.
	failResults map[int64]int
	calls       map[string]int
	// txs are the committed txs tx_search looks through, oldest first.
	txs []fakeTx
}

// fakeTx is a committed tx and its events.
type fakeTx struct {
	height int64
	events []client.Event
}

// txSearch answers a tx_search newest first, filtered by the query's
// packet_sequence if it names one.
func (f *fakeRPC) txSearch(query string, page, perPage int) string {
	var match []fakeTx
	for i := len(f.txs) - 1; i >= 0; i-- {
		tx := f.txs[i]
		if i := strings.Index(query, "packet_sequence='"); i >= 0 {
			seq := strings.SplitN(query[i+len("packet_sequence='"):], "'", 2)[0]
			if tx.events[0].Attrs["packet_sequence"] != seq {
				continue
			}
		}
		match = append(match, tx)
	}
	from, to := min((page-1)*perPage, len(match)), min(page*perPage, len(match))
	var out []string
	for _, tx := range match[from:to] {
		var evs []string
		for _, ev := range tx.events {
			var attrs []string
			for k, v := range ev.Attrs {
				attrs = append(attrs, fmt.Sprintf(`{"key":%q,"value":%q,"index":true}`, k, v))
			}
			evs = append(evs, fmt.Sprintf(`{"type":%q,"attributes":[%s]}`, ev.Type, strings.Join(attrs, ",")))
		}
		out = append(out, fmt.Sprintf(`{"hash":"AB","height":"%d","index":0,"tx_result":{"code":0,"events":[%s]},"tx":""}`, tx.height, strings.Join(evs, ",")))
	}
	return fmt.Sprintf(`{"txs":[%s],"total_count":"%d"}`, strings.Join(out, ","), len(match))
}

func (f *fakeRPC) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var call struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params struct {
			Height  string `json:"height"`
			Query   string `json:"query"`
			Page    string `json:"page"`
			PerPage string `json:"per_page"`
		} `json:"params"`
	}
	if err := json.NewDecoder(req.Body).Decode(&call); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[call.Method]++
	if f.down {
		http.Error(w, "node down", http.StatusBadGateway)
		return
	}
	var result string
	switch call.Method {
	case "status":
		result = fmt.Sprintf(`{"node_info":{"network":"hub"},"sync_info":{"latest_block_height":"%d","latest_block_time":"2026-01-01T00:00:00Z"}}`, f.height)
	case "block_results":
		var h int64
		fmt.Sscan(call.Params.Height, &h)
		if f.failResults[h] > 0 {
			f.failResults[h]--
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32603,"message":"Internal error","data":"timed out building results of height %d"}}`, call.ID, h)
			return
		}
		result = fmt.Sprintf(`{"height":"%d"}`, h)
	case "tx_search":
		var page, perPage int
		fmt.Sscan(call.Params.Page, &page)
		fmt.Sscan(call.Params.PerPage, &perPage)
		result = f.txSearch(call.Params.Query, page, perPage)
	default:
		http.Error(w, "no such method", http.StatusNotFound)
		return
	}
	fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":%s}`, call.ID, result)
}

func (f *fakeRPC) set(edit func(f *fakeRPC)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	edit(f)
}

// syncBuffer is a log sink safe for the feed's goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) count(sub string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Count(s.b.String(), sub)
}

// startFakeFeed runs a feed polling every 5 ms on a fake RPC from height 1.
func startFakeFeed(t *testing.T, rpc *fakeRPC, log io.Writer, onRecover func()) (blocks func() []int64, gaps *atomic.Int32) {
	t.Helper()
	srv := httptest.NewServer(rpc)
	t.Cleanup(srv.Close)
	conn, err := rpchttp.New(srv.URL, "/websocket")
	require.NoError(t, err)
	c := &Chain{Chain: &client.Chain{Config: client.Config{ID: "hub", RPC: srv.URL}, RPC: conn}, m: NewMetrics(), log: slog.New(slog.NewTextHandler(log, nil))}
	g := DefaultConfig().Global
	g.PollInterval = client.Duration{Duration: 5 * time.Millisecond}
	g.WatchdogTimeout = client.Duration{Duration: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var got []int64
	gaps = &atomic.Int32{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = NewFeed(c, g, onRecover).Run(ctx, 1, func(b Block) {
			mu.Lock()
			got = append(got, b.Height)
			mu.Unlock()
		}, func() { gaps.Add(1) })
	}()
	t.Cleanup(func() { cancel(); <-done })
	return func() []int64 {
		mu.Lock()
		defer mu.Unlock()
		return append([]int64{}, got...)
	}, gaps
}

// TestFeedPacesUnreachableLogs: a chain down for a while is logged once,
// then at growing intervals, not at every poll; when it answers again the
// feed says so once and calls onRecover, so relay steps resume at once.
func TestFeedPacesUnreachableLogs(t *testing.T) {
	rpc := &fakeRPC{height: 2, down: true, failResults: map[int64]int{}, calls: map[string]int{}}
	var log syncBuffer
	var recovered atomic.Int32
	blocks, _ := startFakeFeed(t, rpc, &log, func() { recovered.Add(1) })
	require.Eventually(t, func() bool {
		rpc.mu.Lock()
		defer rpc.mu.Unlock()
		return rpc.calls["status"] >= 100
	}, 10*time.Second, 5*time.Millisecond, "the feed keeps probing the chain at its poll interval")
	require.LessOrEqual(t, log.count("chain unreachable"), 3, "100 failed probes, logged with backoff")
	require.Zero(t, recovered.Load())

	rpc.set(func(f *fakeRPC) { f.down = false })
	require.Eventually(t, func() bool { return len(blocks()) == 2 }, 5*time.Second, 5*time.Millisecond)
	require.Equal(t, int32(1), recovered.Load(), "onRecover once per outage")
	require.Equal(t, 1, log.count("chain reachable again"))
}

// TestFeedWaitsForHeavyBlockResults: a block whose results fail many times
// in a row (a heavy block its node is slow to serve) is waited for and
// delivered in order, not skipped for a clearing pass.
func TestFeedWaitsForHeavyBlockResults(t *testing.T) {
	rpc := &fakeRPC{height: 4, failResults: map[int64]int{3: 25}, calls: map[string]int{}}
	var log syncBuffer
	blocks, gaps := startFakeFeed(t, rpc, &log, nil)
	require.Eventually(t, func() bool { return len(blocks()) == 4 }, 10*time.Second, 5*time.Millisecond, "got %v", blocks)
	require.Equal(t, []int64{1, 2, 3, 4}, blocks())
	require.Zero(t, gaps.Load(), "no block skipped")
	require.LessOrEqual(t, log.count("block results unavailable"), 3, "25 failures, logged with backoff")
}

// TestFeedOutagePace: the log pace of an outage doubles from 1 s to a
// minute, and the outage's end reports its length and failures once.
func TestFeedOutagePace(t *testing.T) {
	var o outage
	t0 := time.Unix(1000, 0)
	require.True(t, o.fail(t0), "the first failure is logged")
	require.False(t, o.fail(t0.Add(500*time.Millisecond)))
	require.True(t, o.fail(t0.Add(time.Second)))
	require.False(t, o.fail(t0.Add(2500*time.Millisecond)))
	require.True(t, o.fail(t0.Add(3*time.Second)))
	for i := 0; i < 20; i++ {
		o.fail(t0.Add(time.Duration(i+4) * time.Minute))
	}
	require.Equal(t, outageMaxRepeat, o.every)
	lasted, failures, ok := o.end(t0.Add(time.Hour))
	require.True(t, ok)
	require.Equal(t, time.Hour, lasted)
	require.Equal(t, 25, failures)
	_, _, ok = o.end(t0.Add(time.Hour))
	require.False(t, ok, "reported once")
}

// TestReviveEndsBackoff: a worker backed off while its chain was down
// relays as soon as the feed reports the chain back, not after the backoff.
func TestReviveEndsBackoff(t *testing.T) {
	g := DefaultConfig().Global
	g.PollInterval = client.Duration{Duration: 100 * time.Millisecond}
	r, hub, dealer := fakePath(IBCv2, g)
	hub.down = true
	dealerSent(r, dealer, 3)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.Work(ctx, 0) }()
	t.Cleanup(func() { cancel(); <-done })
	for range 40 { // 2 s of blocks while the hub is down: the backoff grows past 1.6 s
		r.Wake()
		time.Sleep(50 * time.Millisecond)
	}
	hub.mu.Lock()
	hub.down = false
	hub.mu.Unlock()
	r.Revive()
	require.Eventually(t, func() bool {
		hub.mu.Lock()
		defer hub.mu.Unlock()
		return len(hub.received) == 3
	}, 500*time.Millisecond, 10*time.Millisecond, "relayed within half a second of the revival")
}
