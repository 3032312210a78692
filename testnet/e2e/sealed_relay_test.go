package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/testnet"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
)

// requireSealedRecordRelayed: a dealer chain's reporter records a sale with
// a sealed price through dealerd, reading the recipients' keys from the hub
// (--keys-node); the record crosses to the hub, where the regulator opens it
// client-side (`open-sealed --vin`), and neither chain's query outputs nor
// node logs hold the price. The relayer must be running.
func requireSealedRecordRelayed(ctx context.Context, t *testing.T, nw *testnet.Network) {
	t.Helper()
	hub, dealer := nw.Hub.Node(0), nw.Dealers[0]
	dn := dealer.Node(0)
	keyFile := filepath.Join(t.TempDir(), "regulator.json")
	pub, err := hub.Exec(ctx, "tx", "membership", "encryption-keygen", keyFile)
	require.NoError(t, err)
	regulator, err := hub.KeyAddress(ctx, testnet.DemoRegulator)
	require.NoError(t, err)
	_, err = hub.PassProposal(ctx, "regulator encryption key", "membership", "set-encryption-key", regulator, strings.TrimSpace(string(pub)))
	require.NoError(t, err)

	const price, buyer = "23400 EUR", "Max Mustermann"
	vin := vehicletestutil.VIN(777)
	res, err := dn.Tx(ctx, dealer.ReporterKey, "vehicle", "record", dealer.DealerID, vin, "ownership_transfer", "0",
		"--sealed", "sale_price="+price, "--sealed", "buyer_name="+buyer, "--keys-node", hub.RPCAddr())
	require.NoError(t, err)
	require.Zero(t, res.Code, res.RawLog)

	var hist struct {
		Records []json.RawMessage `json:"records"`
	}
	require.Eventually(t, func() bool {
		return hub.Query(ctx, &hist, "vehicle", "history", vin) == nil && len(hist.Records) == 1
	}, 2*time.Minute, time.Second, "the sealed record reaches the hub")

	out, err := hub.Exec(ctx, "query", "vehicle", "open-sealed", "--vin", vin, "--key", keyFile, "--node", hub.RPCAddr())
	require.NoError(t, err)
	require.Contains(t, string(out), "sale_price="+price, "the hub's regulator opens the dealer's record")
	require.Contains(t, string(out), "buyer_name="+buyer)

	seen := [][]byte{hist.Records[0]}
	for _, q := range []struct {
		node *testnet.Node
		args []string
	}{
		{hub, []string{"vehicle", "history", vin}},
		{hub, []string{"vehicle", "summary", vin}},
		{dn, []string{"vehicle", "history", vin}},
		{dn, []string{"vehicle", "vehicle-sync-status", vin}},
	} {
		bz, err := q.node.Exec(ctx, append(append([]string{"query"}, q.args...), "--node", q.node.RPCAddr(), "-o", "json")...)
		require.NoError(t, err, q.args)
		seen = append(seen, bz)
	}
	for _, n := range []*testnet.Node{hub, dn} {
		bz, err := os.ReadFile(n.LogPath())
		require.NoError(t, err)
		seen = append(seen, bz)
	}
	for i, bz := range seen {
		require.NotContains(t, string(bz), price, "output %d shows the sealed price", i)
		require.NotContains(t, string(bz), buyer, "output %d shows the sealed buyer", i)
	}
	require.Contains(t, string(seen[0]), "commitments", "outsiders see the commitments")
}
