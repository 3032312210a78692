package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeNode answers CometBFT's status call while up, and counts calls.
type fakeNode struct {
	up    atomic.Bool
	calls atomic.Int32
}

func (n *fakeNode) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	n.calls.Add(1)
	var call struct {
		ID json.RawMessage `json:"id"`
	}
	_ = json.NewDecoder(req.Body).Decode(&call)
	if !n.up.Load() {
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return
	}
	_, _ = fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":{"node_info":{"network":"hub"},"sync_info":{"latest_block_height":"7","latest_block_time":"2026-01-01T00:00:00Z"}}}`, call.ID)
}

// TestRPCFailsOverAndBack: with the primary down, calls go to the backup;
// once the primary answers again, calls go back to it.
func TestRPCFailsOverAndBack(t *testing.T) {
	var primary, backup fakeNode
	backup.up.Store(true)
	ps, bs := httptest.NewServer(&primary), httptest.NewServer(&backup)
	defer ps.Close()
	defer bs.Close()
	failBack := 300 * time.Millisecond
	rpc, err := newRPC(Config{ID: "hub", RPC: ps.URL, BackupRPCs: []string{bs.URL}}, 5, slog.New(slog.NewTextHandler(io.Discard, nil)), failBack)
	require.NoError(t, err)
	ctx := context.Background()

	st, err := rpc.Status(ctx)
	require.NoError(t, err, "the backup answers while the primary is down")
	require.Equal(t, int64(7), st.SyncInfo.LatestBlockHeight)
	require.Equal(t, int32(1), backup.calls.Load())

	_, err = rpc.Status(ctx)
	require.NoError(t, err)
	require.Equal(t, int32(1), primary.calls.Load(), "the backup in use is asked first, not the dead primary")

	primary.up.Store(true)
	time.Sleep(failBack)
	_, err = rpc.Status(ctx)
	require.NoError(t, err)
	require.Equal(t, int32(2), primary.calls.Load(), "tried again and answering: back on the primary")
	_, err = rpc.Status(ctx)
	require.NoError(t, err)
	require.Equal(t, int32(3), primary.calls.Load())
	require.Equal(t, int32(2), backup.calls.Load())
}

// TestRPCAllEndpointsDown: the error of the last endpoint comes back.
func TestRPCAllEndpointsDown(t *testing.T) {
	var primary, backup fakeNode
	ps, bs := httptest.NewServer(&primary), httptest.NewServer(&backup)
	defer ps.Close()
	defer bs.Close()
	rpc, err := NewRPC(Config{ID: "hub", RPC: ps.URL, BackupRPCs: []string{bs.URL}}, 5, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	_, err = rpc.Status(context.Background())
	require.Error(t, err)
	require.Equal(t, int32(1), primary.calls.Load())
	require.Equal(t, int32(1), backup.calls.Load())
}
