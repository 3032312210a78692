package btcdnode

import (
	"context"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
)

func TestNode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real btcd")
	}
	key, err := btcec.NewPrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	addr, err := btcutil.NewAddressWitnessPubKeyHash(btcutil.Hash160(key.PubKey().SerializeCompressed()), &chaincfg.SimNetParams)
	if err != nil {
		t.Fatal(err)
	}
	n := ForTest(t, Options{MiningAddr: addr.EncodeAddress()})

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := n.ActivateSegwit(ctx); err != nil {
		t.Fatal(err)
	}
	height, err := n.Client().GetBlockCount()
	if err != nil {
		t.Fatal(err)
	}
	if height < 300 {
		t.Fatalf("segwit active at height %d, simnet needs 300", height)
	}
	t.Logf("segwit active at height %d after %s", height, time.Since(start).Round(time.Millisecond))

	stop := n.AutoMine(50 * time.Millisecond)
	time.Sleep(500 * time.Millisecond)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	after, err := n.Client().GetBlockCount()
	if err != nil {
		t.Fatal(err)
	}
	if after <= height {
		t.Fatalf("AutoMine mined nothing: height %d, then %d", height, after)
	}

	// The coinbase pays the mining address: the address index finds it.
	txs, err := n.Client().SearchRawTransactions(addr, 0, 1, false, nil)
	if err != nil || len(txs) != 1 {
		t.Fatalf("searchrawtransactions %s: %d txs, %v", addr, len(txs), err)
	}
	mtp, err := n.MedianTime()
	if err != nil || mtp.IsZero() {
		t.Fatalf("median time: %v %v", mtp, err)
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
