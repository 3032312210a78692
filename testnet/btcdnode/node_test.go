package btcdnode

import (
	"context"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil"
)

func TestNode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real btcd")
	}
	for _, net := range []string{"simnet", "regtest"} {
		t.Run(net, func(t *testing.T) { testNode(t, net) })
	}
}

func testNode(t *testing.T, net string) {
	params, err := netParams(net)
	if err != nil {
		t.Fatal(err)
	}
	key, err := btcec.NewPrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	addr, err := btcutil.NewAddressWitnessPubKeyHash(btcutil.Hash160(key.PubKey().SerializeCompressed()), params)
	if err != nil {
		t.Fatal(err)
	}
	n := ForTest(t, Options{Net: net, MiningAddr: addr.EncodeAddress()})

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := n.ActivateSegwit(ctx); err != nil {
		t.Fatal(err)
	}
	height, err := n.Client().GetBlockCount()
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 * int64(params.MinerConfirmationWindow); height < want-1 {
		t.Fatalf("segwit active at height %d, %s needs about %d", height, net, want)
	}
	mtp, err := n.MedianTime()
	if err != nil {
		t.Fatal(err)
	}
	if lead := time.Until(mtp); lead > 0 {
		t.Fatalf("median time past is %s ahead of the clock after activation", lead)
	}

	stop := n.AutoMine(20 * time.Millisecond)
	time.Sleep(200 * time.Millisecond)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Generate(11); err != nil {
		t.Fatal(err)
	}
	after, err := n.Client().GetBlockCount()
	if err != nil {
		t.Fatal(err)
	}
	if after <= height+11 {
		t.Fatalf("AutoMine mined nothing: height %d, then %d after 11 more", height, after)
	}
	// Blocks from Generate carry the wall clock again.
	if mtp, err = n.MedianTime(); err != nil || time.Since(mtp) > 5*time.Second {
		t.Fatalf("median time past %s after mining on the clock: %v", mtp, err)
	}

	// The coinbases pay the mining address: the address index finds them.
	txs, err := n.Client().SearchRawTransactions(addr, 0, 1, false, nil)
	if err != nil || len(txs) != 1 {
		t.Fatalf("searchrawtransactions %s: %d txs, %v", addr, len(txs), err)
	}

	// MineBlock's own block becomes the tip (adapters/bitcoin mines
	// transactions with it).
	hash, err := n.MineBlock()
	if err != nil {
		t.Fatal(err)
	}
	if best, err := n.Client().GetBestBlockHash(); err != nil || !best.IsEqual(hash) {
		t.Fatalf("tip %s after MineBlock mined %s: %v", best, hash, err)
	}

	n.Stop()
	select {
	case <-n.Done():
	default:
		t.Fatal("Stop returned while btcd still runs")
	}
	if _, err := n.Client().GetBlockCount(); err == nil {
		t.Fatal("RPC still answers after Stop")
	}
}

func TestStartRefusesUnknownNet(t *testing.T) {
	_, err := Start(context.Background(), Options{Dir: t.TempDir(), Net: "mainnet"})
	if err == nil {
		t.Fatal("Start on mainnet: no error")
	}
}
