package stellar

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/amount"
	"github.com/stellar/go-stellar-sdk/keypair"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// TestLockRefusals: terms this rail cannot lock are refused before
// anything is sent.
func TestLockRefusals(t *testing.T) {
	n := startNet(t)
	buyer, seller := n.party(t), n.party(t)
	before := balance(t, buyer, buyer.Account())
	secret, _ := hashlock.NewSecret()
	good := htlc.Terms{
		Hash: secret.Hash(), Sender: buyer.Account(), Recipient: seller.Account(),
		Amount: "25.0000000", Expiry: n.clock.Now().Add(time.Hour),
	}
	cases := []struct {
		name  string
		terms func(*htlc.Terms)
	}{
		{"someone else's account as sender", func(t *htlc.Terms) { t.Sender = seller.Account() }},
		{"recipient is not a G... account", func(t *htlc.Terms) { t.Recipient = "SB" + keypair.MustRandom().Address()[2:] }},
		{"recipient is the sender", func(t *htlc.Terms) { t.Recipient = t.Sender }},
		{"amount not written with 7 decimals", func(t *htlc.Terms) { t.Amount = "25" }},
		{"zero amount", func(t *htlc.Terms) { t.Amount = "0.0000000" }},
		{"negative amount", func(t *htlc.Terms) { t.Amount = "-1.0000000" }},
		{"amount is not a number", func(t *htlc.Terms) { t.Amount = "lots" }},
		{"more than 7 decimals", func(t *htlc.Terms) { t.Amount = "1.00000001" }},
		{"no hash", func(t *htlc.Terms) { t.Hash = hashlock.Hash{} }},
		{"expiry already passed", func(t *htlc.Terms) { t.Expiry = n.clock.Now().Add(-time.Second) }},
		{"expiry not a whole second", func(t *htlc.Terms) { t.Expiry = t.Expiry.Add(300 * time.Millisecond) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			terms := good
			tc.terms(&terms)
			if _, err := buyer.Lock(n.ctx, terms); !errors.Is(err, htlc.ErrInvalidTerms) {
				t.Fatalf("Lock: %v, want ErrInvalidTerms", err)
			}
		})
	}
	if after := balance(t, buyer, buyer.Account()); after != before {
		t.Fatalf("refused locks cost %d stroops", before-after)
	}
	good.Amount = "10000.0000000"
	_, err := buyer.Lock(n.ctx, good)
	if rc := resultCodes(err); rc == nil || len(rc.OperationCodes) != 1 || rc.OperationCodes[0] != "op_underfunded" {
		t.Fatalf("locking more than the buyer has: %v", err)
	}
}

func TestNormalizeAmount(t *testing.T) {
	for in, want := range map[string]string{"25": "25.0000000", "25.5": "25.5000000", "0.0000001": "0.0000001"} {
		if got, err := NormalizeAmount(in); err != nil || got != want {
			t.Errorf("NormalizeAmount(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "-3", "1e3", "", "1.00000001"} {
		if _, err := NormalizeAmount(in); !errors.Is(err, htlc.ErrInvalidTerms) {
			t.Errorf("NormalizeAmount(%q): %v, want ErrInvalidTerms", in, err)
		}
	}
}

// TestLockUnwinds: when the escrow is funded but its setup fails (here the
// sender cannot pay the setup's fee), the escrow is merged back and the
// sender is out two fees.
func TestLockUnwinds(t *testing.T) {
	n := startNet(t)
	buyer, seller := n.party(t), n.party(t)
	before := balance(t, buyer, buyer.Account())
	// What is left above the buyer's reserve after funding: 200 stroops,
	// short of the setup's four operations.
	left := before - fee - 2*5_000_000 - EscrowOverhead - 200
	secret, _ := hashlock.NewSecret()
	_, err := buyer.Lock(n.ctx, htlc.Terms{
		Hash: secret.Hash(), Sender: buyer.Account(), Recipient: seller.Account(),
		Amount: amount.StringFromInt64(left), Expiry: n.clock.Now().Add(time.Hour),
	})
	if rc := resultCodes(err); rc == nil || rc.TransactionCode != "tx_insufficient_balance" || !strings.Contains(err.Error(), "merged back") {
		t.Fatalf("lock: %v", err)
	}
	if after := balance(t, buyer, buyer.Account()); before-after != 2*fee {
		t.Fatalf("the failed lock cost %d stroops, want the create and the merge fees", before-after)
	}
}
