package e2e

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/testnet"
)

// TestDealerNode starts the reference dealer chain, which has no validator
// gate, keeps a dealer's own copy of a record through its CLI, and holds it
// pending for the hub until a route to the hub is set.
func TestDealerNode(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds and starts a real node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	node := startNode(ctx, t, testnet.ChainSpec{
		Binary: binaries(t).dealer, ChainID: "dealer-acme", Home: filepath.Join(t.TempDir(), "dealer"),
		Dealers: []testnet.DealerSpec{{ID: "acme", Name: "Acme Motors", ReporterKeys: []string{"clerk"}}},
	})
	h, err := node.Height(ctx)
	require.NoError(t, err)
	require.NoError(t, node.WaitHeight(ctx, h+2), "dealer chain must keep producing blocks")

	res, err := node.Tx(ctx, "clerk", "vehicle", "record", "acme", testnet.DemoVIN, "service", "12000",
		"--at", "2026-01-05T08:00:00Z", "--description", "first service")
	require.NoError(t, err)
	require.Zero(t, res.Code, res.RawLog)
	var s struct {
		Summary testnet.Summary `json:"summary"`
	}
	require.NoError(t, node.Query(ctx, &s, "vehicle", "summary", testnet.DemoVIN))
	require.Equal(t, "1", s.Summary.RecordCount)
	require.Equal(t, "12000", s.Summary.LatestOdometerKm)

	// No IBC link to the hub yet: the record waits, pending, with nothing lost.
	var count struct {
		Pending string `json:"pending"`
	}
	require.NoError(t, node.Query(ctx, &count, "vehicle", "pending-count"))
	require.Equal(t, "1", count.Pending)
	var sync struct {
		State struct {
			Status string `json:"status"`
		} `json:"state"`
	}
	require.NoError(t, node.Query(ctx, &sync, "vehicle", "sync-status", "1"))
	require.Equal(t, "SYNC_STATUS_PENDING", sync.State.Status)
	_, err = node.Tx(ctx, "clerk", "vehicle", "resend-pending")
	require.ErrorContains(t, err, "no route to the hub")
}
