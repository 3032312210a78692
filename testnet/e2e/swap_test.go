package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/adapters/swap"
	"github.com/vinhub/vinhub/testnet"
)

const (
	buyerKey   = "car-buyer"
	swapWindow = 25 * time.Second
)

// TestSwaps trades a car's title on a real hub node against lumens on the
// Stellar simulator and against bitcoin on a real btcd simnet, through
// `vinrelay swap` run by two parties from their own homes: both legs
// complete when the initiator claims, and each side gets its own leg back
// when the initiator never claims.
func TestSwaps(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds and starts a real node and btcd")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	bins := binaries(t)
	dir := t.TempDir()
	spec := testnet.DemoChainSpec(bins.hub, filepath.Join(dir, "hub"))
	spec.Keys = append(append(spec.Keys, buyerKey), testnet.FinanceDemoKeys...)
	spec.Roles = testnet.FinanceDemoRoles
	spec.GenesisEdit = testnet.ShortSwapLocks
	hub := startChain(ctx, t, spec)
	node := hub.Node(0)
	_, err := testnet.RunVehicleDemo(ctx, node, testWriter{t})
	require.NoError(t, err)
	say := func(f string, a ...any) { t.Logf("==> "+f, a...) }
	require.NoError(t, testnet.RegisterDemoCar(ctx, node, testnet.DemoOwner, say))

	sellerBTC, err := btcec.NewPrivateKey()
	require.NoError(t, err)
	buyerBTC, err := btcec.NewPrivateKey()
	require.NoError(t, err)
	rails, err := testnet.StartSwapRails(ctx, dir, sellerBTC)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, rails.Stop()) })
	seller, err := rails.NewParty(ctx, bins.relayer, filepath.Join(dir, "seller"), "seller", node, hub.Mnemonics[testnet.DemoOwner], sellerBTC)
	require.NoError(t, err)
	buyer, err := rails.NewParty(ctx, bins.relayer, filepath.Join(dir, "buyer"), "buyer", node, hub.Mnemonics[buyerKey], buyerBTC)
	require.NoError(t, err)
	sa, err := seller.Accounts(ctx)
	require.NoError(t, err)
	ba, err := buyer.Accounts(ctx)
	require.NoError(t, err)

	owner := func() string {
		var a struct {
			Asset struct{ Owner string } `json:"asset"`
		}
		require.NoError(t, node.Query(ctx, &a, "asset", "asset", "1"))
		return a.Asset.Owner
	}
	lumens := func(acc string) int64 {
		v, err := rails.Lumens(acc)
		require.NoError(t, err)
		return v
	}
	status := func(p *testnet.SwapParty, doc string) []swap.LegStatus {
		out, err := p.Swap(ctx, "status", doc)
		require.NoError(t, err)
		var legs []swap.LegStatus
		require.NoError(t, json.Unmarshal([]byte(out), &legs), out)
		require.Len(t, legs, 2)
		for _, l := range legs {
			require.Empty(t, l.Error, "%s leg", l.Rail)
		}
		return legs
	}
	// settled reads both legs of doc through p and checks they are in state.
	settled := func(p *testnet.SwapParty, doc, state string) []swap.LegStatus {
		legs := status(p, doc)
		for _, l := range legs {
			require.Equal(t, state, l.Status.State.String(), "%s leg", l.Rail)
		}
		return legs
	}
	// paysBuyer checks that output 0 of txid pays the buyer more than atLeast satoshis.
	paysBuyer := func(txid string, atLeast int64, what string) {
		sats, addr, err := rails.Satoshis(txid, 0)
		require.NoError(t, err)
		want, err := rails.BitcoinAddress(buyerBTC)
		require.NoError(t, err)
		require.Equal(t, want, addr, what)
		require.Greater(t, sats, atLeast, what)
	}
	const xlm = 10_000_000 // stroops

	t.Run("title for lumens: the seller's claim on Stellar gives the buyer the title on the hub", func(t *testing.T) {
		sellerXLM, buyerXLM := lumens(sa["stellar"]), lumens(ba["stellar"])
		doc := filepath.Join(dir, "title-for-lumens.json")
		require.NoError(t, testnet.RunSwap(ctx, seller, buyer,
			testnet.SwapLeg{Rail: "hub", Amount: "asset:1"}, testnet.SwapLeg{Rail: "stellar", Amount: "250"}, swapWindow, doc, say))
		require.Equal(t, ba["hub"], owner(), "the buyer holds the title")
		require.GreaterOrEqual(t, lumens(sa["stellar"])-sellerXLM, int64(250*xlm), "the seller got at least the price")
		require.Greater(t, buyerXLM-lumens(ba["stellar"]), int64(250*xlm), "the buyer paid the price and fees")
		for _, l := range settled(buyer, doc, "claimed") {
			require.NotNil(t, l.Status.Secret)
		}
	})

	t.Run("nobody claims: the lumens and the title go back to their senders", func(t *testing.T) {
		sellerXLM := lumens(sa["stellar"])
		doc := filepath.Join(dir, "abandoned-lumens.json")
		early, err := testnet.RunAbandonedSwap(ctx, buyer, seller,
			testnet.SwapLeg{Rail: "hub", Amount: "asset:1"}, testnet.SwapLeg{Rail: "stellar", Amount: "100"}, swapWindow, doc, say)
		require.NoError(t, err)
		require.ErrorContains(t, early, "not expired")
		require.Equal(t, ba["hub"], owner(), "the title went back to its owner")
		require.Less(t, sellerXLM-lumens(sa["stellar"]), int64(xlm), "the seller got its 100 XLM back, less fees")
		settled(seller, doc, "refunded")
	})

	t.Run("bitcoin for the title: the buyer's claim on the hub gives the seller the bitcoin", func(t *testing.T) {
		doc := filepath.Join(dir, "btc-for-title.json")
		require.NoError(t, testnet.RunSwap(ctx, seller, buyer,
			testnet.SwapLeg{Rail: "bitcoin", Amount: "150000"}, testnet.SwapLeg{Rail: "hub", Amount: "asset:1"}, swapWindow, doc, say))
		require.Equal(t, sa["hub"], owner(), "the seller (who paid bitcoin) holds the title")
		legs := settled(seller, doc, "claimed")
		paysBuyer(legs[0].Status.TxID, 149_000, "the claim pays the buyer 150000 sat less the claim fee")
	})

	t.Run("nobody claims: the title and the bitcoin go back to their senders", func(t *testing.T) {
		doc := filepath.Join(dir, "abandoned-btc.json")
		early, err := testnet.RunAbandonedSwap(ctx, buyer, seller,
			testnet.SwapLeg{Rail: "bitcoin", Amount: "50000"}, testnet.SwapLeg{Rail: "hub", Amount: "asset:1"}, swapWindow, doc, say)
		require.NoError(t, err)
		require.ErrorContains(t, early, "not expired")
		require.Equal(t, sa["hub"], owner(), "the title went back to the seller")
		legs := settled(buyer, doc, "refunded")
		paysBuyer(legs[0].Status.TxID, 49_000, "the refund pays the buyer back 50000 sat less the fee")
	})

	t.Run("terms not agreed, or changed by the counterparty, are refused", func(t *testing.T) {
		doc := filepath.Join(dir, "tampered.json")
		_, err := seller.Swap(ctx, "plan", "--initiator-rail", "hub", "--initiator-sender", sa["hub"], "--initiator-recipient", ba["hub"],
			"--initiator-amount", "100stake", "--responder-rail", "stellar", "--responder-sender", ba["stellar"],
			"--responder-recipient", sa["stellar"], "--responder-amount", "50", "--window", swapWindow.String(), "--out", doc)
		require.NoError(t, err)
		_, err = seller.Swap(ctx, "initiate", doc)
		require.NoError(t, err)
		_, err = buyer.Swap(ctx, "participate", doc)
		require.ErrorContains(t, err, "pass --give and --get")
		_, err = buyer.Swap(ctx, "participate", "--give", "5", "--get", "100stake", doc)
		require.ErrorContains(t, err, "the document has you give 50.0000000 on stellar; you agreed 5.0000000")
		_, err = buyer.Swap(ctx, "participate", "--give", "50", "--get", "100stake", doc)
		require.NoError(t, err)

		// The seller now lowers what it pays in the document it sends back.
		var raw map[string]any
		bz, err := os.ReadFile(doc)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(bz, &raw))
		raw["initiator"].(map[string]any)["terms"].(map[string]any)["amount"] = "1stake"
		bz, err = json.Marshal(raw)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(doc, bz, 0o644))
		_, err = buyer.Swap(ctx, "watch", "--timeout", "5s", doc)
		require.ErrorContains(t, err, "differs from what you agreed")
		require.ErrorContains(t, err, "amount is 1stake in the received document, agreed 100stake")
	})
}

// startChain initialises and starts a single-node chain (keeping its key
// mnemonics), stopped when the test ends.
func startChain(ctx context.Context, t *testing.T, spec testnet.ChainSpec) *testnet.Chain {
	t.Helper()
	spec.Validators = 1
	c, err := testnet.InitChain(ctx, spec)
	require.NoError(t, err)
	require.NoError(t, c.Start())
	t.Cleanup(func() {
		c.Stop()
		if t.Failed() {
			logTail(t, c.Node(0).LogPath())
		}
	})
	require.NoError(t, c.WaitHeight(ctx, 2))
	return c
}
