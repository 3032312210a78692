package e2e

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/testnet"
)

// TestFourValidatorHubSurvivesOneDown passes a proposal on a four-validator
// hub, kills one validator and checks the other three keep committing, then
// that the killed one catches up after a restart.
func TestFourValidatorHubSurvivesOneDown(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds and starts real nodes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	nw := startNetwork(ctx, t, testnet.NetworkSpec{
		Dir: t.TempDir(), HubValidators: 4, NoDealers: true, BlockTime: 500 * time.Millisecond,
		VotingPeriod: 4 * time.Second, HubBinary: binaries(t).hub,
	})
	hub := nw.Hub
	require.Len(t, hub.Nodes, 4)
	require.Empty(t, nw.Dealers)
	var vals struct {
		Validators []struct {
			Status string `json:"status"`
		} `json:"validators"`
	}
	require.NoError(t, hub.Node(0).Query(ctx, &vals, "staking", "validators"))
	require.Len(t, vals.Validators, 4)
	for _, v := range vals.Validators {
		require.Equal(t, "BOND_STATUS_BONDED", v.Status)
	}
	_, err := hub.PassProposal(ctx, "register late motors", "vehicle", "register-dealer", "late-motors", "Late Motors")
	require.NoError(t, err, "all four validators vote a proposal through")
	require.Equal(t, []string{"late-motors"}, dealerIDs(ctx, t, hub))

	require.NoError(t, hub.Node(3).Kill())
	h, err := hub.Node(1).Height(ctx)
	require.NoError(t, err)
	_, err = hub.Node(3).Height(ctx)
	require.Error(t, err, "killed node must be down")
	downCtx, cancelDown := context.WithTimeout(ctx, time.Minute)
	defer cancelDown()
	require.NoError(t, hub.Node(1).WaitHeight(downCtx, h+3), "three of four validators must keep committing")
	require.NoError(t, hub.WaitHeight(downCtx, h+3), "every running node follows")

	require.NoError(t, hub.Node(3).Restart())
	require.NoError(t, hub.Node(3).WaitHeight(downCtx, h+4), "a restarted validator catches up")
}

// TestNetworkHubAndTwoDealers starts a hub and two dealer chains with one
// call and checks what a relayer needs: funded relayer keys with mnemonics,
// the dealers registered on both ends, and the genesis edits applied.
func TestNetworkHubAndTwoDealers(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds and starts real nodes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bins := binaries(t)
	setTimeout := func(appState map[string]any) error {
		appState["vehicle"].(map[string]any)["params"].(map[string]any)["packet_timeout"] = "20s"
		return nil
	}
	nw := startNetwork(ctx, t, testnet.NetworkSpec{
		Dir: t.TempDir(), BlockTime: 500 * time.Millisecond,
		HubBinary: bins.hub, DealerBinary: bins.dealer,
		HubGenesisEdit: setTimeout, DealerGenesisEdit: setTimeout,
	})
	require.Equal(t, testnet.HubChainID, nw.Hub.ID())
	require.Len(t, nw.Dealers, 2)
	require.Equal(t, []string{"dealer-a", "dealer-b"}, []string{nw.Dealers[0].ID(), nw.Dealers[1].ID()})
	require.Len(t, nw.Logs(), 3)
	for _, log := range nw.Logs() {
		require.FileExists(t, log)
	}

	for _, c := range nw.Chains() {
		words := strings.Fields(c.Mnemonics[testnet.RelayerKey])
		require.Len(t, words, 24, "%s relayer mnemonic", c.ID())
		requireFunded(ctx, t, c, testnet.RelayerKey)
		var params struct {
			Params struct {
				PacketTimeout string `json:"packet_timeout"`
			} `json:"params"`
		}
		require.NoError(t, c.Node(0).Query(ctx, &params, "vehicle", "params"))
		require.Equal(t, "20s", params.Params.PacketTimeout, c.ID())
	}
	for _, d := range nw.Dealers {
		requireFunded(ctx, t, d, d.ReporterKey)
		require.Equal(t, []string{d.DealerID}, dealerIDs(ctx, t, d))
	}
	require.Equal(t, []string{nw.Dealers[0].DealerID, nw.Dealers[1].DealerID}, dealerIDs(ctx, t, nw.Hub))

	require.NoError(t, nw.Stop())
	require.NoError(t, nw.Stop(), "Stop is idempotent")
	for _, c := range nw.Chains() {
		_, err := c.Node(0).Height(ctx)
		require.Error(t, err, "%s must be down after Stop", c.ID())
	}
}

// startNetwork starts a network that is stopped when the test ends, showing
// the node logs if it failed.
func startNetwork(ctx context.Context, t *testing.T, spec testnet.NetworkSpec) *testnet.Network {
	t.Helper()
	nw, err := testnet.StartNetwork(ctx, spec)
	if nw != nil {
		t.Cleanup(func() {
			require.NoError(t, nw.Stop())
			if t.Failed() {
				for _, log := range nw.Logs() {
					logTail(t, log)
				}
			}
		})
	}
	require.NoError(t, err)
	return nw
}

// requireFunded checks that a key of node 0's keyring holds some of the chain's denom.
func requireFunded(ctx context.Context, t *testing.T, c *testnet.Chain, key string) {
	t.Helper()
	addr, err := c.Node(0).KeyAddress(ctx, key)
	require.NoError(t, err)
	var res struct {
		Balances []struct {
			Denom  string `json:"denom"`
			Amount string `json:"amount"`
		} `json:"balances"`
	}
	require.NoError(t, c.Node(0).Query(ctx, &res, "bank", "balances", addr))
	for _, b := range res.Balances {
		if b.Denom == c.Node(0).Denom {
			amount, ok := new(big.Int).SetString(b.Amount, 10)
			require.True(t, ok, b.Amount)
			require.Equal(t, 1, amount.Sign(), "%s: %s has %s", c.ID(), key, b.Amount)
			return
		}
	}
	t.Fatalf("%s: %s (%s) holds no %s: %+v", c.ID(), key, addr, c.Node(0).Denom, res.Balances)
}

// dealerIDs lists the dealers registered on a chain.
func dealerIDs(ctx context.Context, t *testing.T, c *testnet.Chain) []string {
	t.Helper()
	var res struct {
		Dealers []struct {
			ID string `json:"id"`
		} `json:"dealers"`
	}
	require.NoError(t, c.Node(0).Query(ctx, &res, "vehicle", "dealers"))
	ids := make([]string, len(res.Dealers))
	for i, d := range res.Dealers {
		ids[i] = d.ID
	}
	return ids
}
