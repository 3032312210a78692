package e2e

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/testnet"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// rlyPacketTimeout is the dealer chain's packet timeout in the rly test:
// short, so a timeout costs little, and long enough for a busy CI machine.
const rlyPacketTimeout = 20 * time.Second

// TestRlyRelaysVehicleRecords: the off-the-shelf Go relayer rly v2.6.0,
// with no vinrelay anywhere, links a hub and a dealer chain over a classic
// v1 vehicle channel the way an operator would (`rly tx link`), then relays
// records (each on the hub exactly once, every one SYNCED on the dealer
// chain once its ack is back) and, after a packet timed out while rly was
// stopped, the timeout (the record goes back to PENDING and the next batch
// carries it).
func TestRlyRelaysVehicleRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds rly and starts two chains")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	bins := binaries(t)
	dir := t.TempDir()
	rly, err := testnet.NewRly(ctx, filepath.Join(dir, "rly"))
	require.NoError(t, err)
	nw := startNetwork(ctx, t, testnet.NetworkSpec{
		Dir: dir, Dealers: 1, HubBinary: bins.hub, DealerBinary: bins.dealer,
		// 1 s blocks: rly starts relaying only once a chain is "in sync",
		// fewer than 2 blocks behind when its 1 s query loop starts; with
		// faster blocks it can stay 2 behind for minutes (CI, 2026-12-06)
		// while the packets time out. A voting period with room for the
		// votes on a loaded CI machine.
		BlockTime: time.Second, VotingPeriod: 8 * time.Second,
		DealerGenesisEdit: func(app map[string]any) error {
			app["vehicle"].(map[string]any)["params"].(map[string]any)["packet_timeout"] = rlyPacketTimeout.String()
			return nil
		},
	})
	hub, dealer := nw.Hub, nw.Dealers[0]
	for _, c := range nw.Chains() {
		require.NoError(t, rly.AddChain(ctx, c.Node(0), c.Mnemonics[testnet.RelayerKey]))
	}
	path, err := rly.LinkVehicle(ctx, "hub-dealer", hub.Node(0), dealer.Node(0))
	require.NoError(t, err, "rly tx link opens a vehicle channel")
	t.Logf("rly linked %+v", path)
	require.NoError(t, testnet.BindRoute(ctx, hub, dealer, dealer.DealerID, path))
	load, err := testnet.NewRecordLoad(dealer.Node(0), dealer.ReporterKey, dealer.DealerID)
	require.NoError(t, err)
	startRly(t, rly, path.Name)

	t.Log("30 records: 3 txs of 5 packets of 2 records")
	for range 3 {
		_, err := load.Send(ctx, 5, 2)
		require.NoError(t, err)
	}
	requireDelivered(ctx, t, hub, dealer, load, 2*time.Minute)
	requireLastRecord(ctx, t, dealer, load, vehicletypes.SYNC_STATUS_SYNCED, 10*time.Second)

	t.Log("a packet times out while rly is stopped; rly relays the timeout when it is back")
	require.NoError(t, rly.Stop())
	_, err = load.Send(ctx, 1, 1)
	require.NoError(t, err)
	requireLastRecord(ctx, t, dealer, load, vehicletypes.SYNC_STATUS_IN_FLIGHT, 10*time.Second)
	time.Sleep(rlyPacketTimeout + 2*time.Second)
	startRly(t, rly, path.Name)
	requireLastRecord(ctx, t, dealer, load, vehicletypes.SYNC_STATUS_PENDING, 2*time.Minute)
	_, err = load.Send(ctx, 1, 1)
	require.NoError(t, err, "the next batch carries the timed-out record")
	requireDelivered(ctx, t, hub, dealer, load, 2*time.Minute)
}

// startRly starts rly on path, stopped when the test ends, showing its log
// if the test failed.
func startRly(t *testing.T, r *testnet.Rly, path string) {
	t.Helper()
	require.NoError(t, r.Start(path))
	t.Cleanup(func() {
		r.Stop()
		if t.Failed() {
			logTail(t, r.Log())
		}
	})
}

// requireDelivered waits until every record the load sent is on the hub
// exactly once and settled on the dealer chain.
func requireDelivered(ctx context.Context, t *testing.T, hub, dealer *testnet.Chain, load *testnet.RecordLoad, within time.Duration) {
	t.Helper()
	var last error
	require.Eventually(t, func() bool {
		last = testnet.CheckDelivered(ctx, hub.Node(0), dealer.Node(0), load, load.Sent)
		return last == nil
	}, within, 500*time.Millisecond, "dealer chain %s: %v", dealer.ID(), func() error { return last })
}

// requireLastRecord waits until the load's latest record has the given sync status.
func requireLastRecord(ctx context.Context, t *testing.T, dealer *testnet.Chain, load *testnet.RecordLoad, want vehicletypes.SyncStatus, within time.Duration) {
	t.Helper()
	dq, err := dealer.Node(0).VehicleQuery()
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		st, err := dq.SyncStatus(ctx, &vehicletypes.QuerySyncStatusRequest{RecordId: uint64(load.Sent)})
		return err == nil && st.State.Status == want
	}, within, 200*time.Millisecond, "%s: record %d should be %s", dealer.ID(), load.Sent, want)
}
