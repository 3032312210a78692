package testnet

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
)

// swapDemoWindow is how long the responder's leg of a demo swap stays open.
const swapDemoWindow = 30 * time.Second

// RunSwapDemo starts the Stellar simulator and a btcd simnet under dir and
// has two hub accounts trade asset 1 through `vinrelay swap`: its owner
// (seller) sells it for 250 XLM, then buys it back for 150000 satoshis.
// The hub needs ShortSwapLocks in its genesis; the rails keep running
// until the returned SwapRails are stopped.
func RunSwapDemo(ctx context.Context, hub *Chain, relayBin, dir, sellerKey, buyerKey string, out io.Writer) (*SwapRails, error) {
	say := func(format string, args ...any) { fmt.Fprintf(out, "==> "+format+"\n", args...) }
	sellerBTC, err := btcec.NewPrivateKey()
	if err != nil {
		return nil, err
	}
	buyerBTC, err := btcec.NewPrivateKey()
	if err != nil {
		return nil, err
	}
	say("starting the Stellar ledger simulator and a btcd simnet on 127.0.0.1 (%s mines)", sellerKey)
	rails, err := StartSwapRails(ctx, dir, sellerBTC)
	if err != nil {
		return nil, err
	}
	node := hub.Node(0)
	seller, err := rails.NewParty(ctx, relayBin, filepath.Join(dir, "seller"), sellerKey, node, hub.Mnemonics[sellerKey], sellerBTC)
	if err != nil {
		return rails, err
	}
	buyer, err := rails.NewParty(ctx, relayBin, filepath.Join(dir, "buyer"), buyerKey, node, hub.Mnemonics[buyerKey], buyerBTC)
	if err != nil {
		return rails, err
	}
	say("%s sells asset 1 to %s for 250 XLM: %s initiates on the hub, %s pays into a Stellar escrow", sellerKey, buyerKey, sellerKey, buyerKey)
	if err := RunSwap(ctx, seller, buyer, SwapLeg{Rail: "hub", Amount: "asset:1"}, SwapLeg{Rail: "stellar", Amount: "250"},
		swapDemoWindow, filepath.Join(dir, "title-for-lumens.json"), say); err != nil {
		return rails, err
	}
	say("%s buys it back for 150000 sat: %s initiates on bitcoin, %s locks the title on the hub", sellerKey, sellerKey, buyerKey)
	if err := RunSwap(ctx, seller, buyer, SwapLeg{Rail: "bitcoin", Amount: "150000"}, SwapLeg{Rail: "hub", Amount: "asset:1"},
		swapDemoWindow, filepath.Join(dir, "btc-for-title.json"), say); err != nil {
		return rails, err
	}
	say("both swaps done; swap documents and party homes (vinrelay swap status <doc>) are in %s", dir)
	return rails, nil
}
