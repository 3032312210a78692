package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/adapters/bitcoin"
	"github.com/vinhub/vinhub/relayer/notary"
	"github.com/vinhub/vinhub/testnet/btcdnode"
)

// notaryConfirmations is how many confirmations the e2e notaries wait for.
const notaryConfirmations = 2

// bitcoinRail is a btcd simnet whose coins belong to a payer, and a
// lender's address there.
type bitcoinRail struct {
	node  *btcdnode.Node
	payer *bitcoin.Rail
	// recipient is the lender's own rail: it claims HTLCs the payer locks.
	recipient *bitcoin.Rail
	lender    string
	network   string
	// start is the tip once segwit is active: the notaries read from there.
	start int64
}

// startBitcoin runs btcd (stopped when the test ends), activates segwit
// with blocks paying the payer, and draws the lender's address.
func startBitcoin(ctx context.Context, t *testing.T, dir string) *bitcoinRail {
	t.Helper()
	payerKey, err := btcec.NewPrivateKey()
	require.NoError(t, err)
	lenderKey, err := btcec.NewPrivateKey()
	require.NoError(t, err)
	params := &chaincfg.SimNetParams
	addr := func(k *btcec.PrivateKey) btcutil.Address {
		a, err := btcutil.NewAddressWitnessPubKeyHash(btcutil.Hash160(k.PubKey().SerializeCompressed()), params)
		require.NoError(t, err)
		return a
	}
	node, err := btcdnode.Start(ctx, btcdnode.Options{Dir: dir, MiningAddr: addr(payerKey).EncodeAddress()})
	require.NoError(t, err)
	t.Cleanup(node.Stop)
	require.NoError(t, node.ActivateSegwit(ctx))
	wif, err := btcutil.NewWIF(payerKey, params, true)
	require.NoError(t, err)
	payer, err := bitcoin.New(bitcoin.Config{RPCHost: node.RPCAddr, RPCUser: node.RPCUser, RPCPass: node.RPCPass, NoTLS: true,
		Net: params.Name, Key: wif.String(), Confirmations: 1, PollInterval: 200 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(payer.Close)
	lenderWIF, err := btcutil.NewWIF(lenderKey, params, true)
	require.NoError(t, err)
	recipient, err := bitcoin.New(bitcoin.Config{RPCHost: node.RPCAddr, RPCUser: node.RPCUser, RPCPass: node.RPCPass, NoTLS: true,
		Net: params.Name, Key: lenderWIF.String(), Confirmations: 1, PollInterval: 200 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(recipient.Close)
	dial, err := bitcoin.Dial(bitcoin.Config{RPCHost: node.RPCAddr, RPCUser: node.RPCUser, RPCPass: node.RPCPass, NoTLS: true, Net: params.Name})
	require.NoError(t, err)
	defer dial.Close()
	tip, err := dial.Tip(ctx)
	require.NoError(t, err)
	return &bitcoinRail{node: node, payer: payer, recipient: recipient, lender: addr(lenderKey).EncodeAddress(), network: params.GenesisHash.String(), start: tip}
}

// watch is a notary's [[notary.bitcoin]] for the rail: the lender's
// address configured, or (followLoans) learned from the hub's active loans.
func (b *bitcoinRail) watch(followLoans bool) notary.BitcoinConfig {
	cfg := notary.BitcoinConfig{NodeConfig: bitcoin.NodeConfig{RPC: b.node.RPCAddr, RPCUser: b.node.RPCUser, RPCPass: b.node.RPCPass,
		NoTLS: true, Net: "simnet"}, Confirmations: notaryConfirmations, StartHeight: b.start, Loans: followLoans}
	if !followLoans {
		cfg.Addresses = []string{b.lender}
	}
	return cfg
}

// pay sends sats to the lender with memo while blocks are mined, and
// returns the txid once it has one confirmation.
func (b *bitcoinRail) pay(ctx context.Context, t *testing.T, sats int64, memo string) string {
	t.Helper()
	to, err := btcutil.DecodeAddress(b.lender, &chaincfg.SimNetParams)
	require.NoError(t, err)
	txid, err := b.payer.Pay(ctx, to, sats, memo)
	require.NoError(t, err)
	return txid
}
