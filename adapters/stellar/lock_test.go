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

// TestStuckEscrowKeepsItsSeedOutOfErrors: when the escrow can neither be set
// up nor merged back (here Horizon is gone), its master key is the way back
// to the funds. It is handed to Config.KeepEscrowKey, never put in the error
// the CLI prints; the error names the escrow and where its key was kept.
func TestStuckEscrowKeepsItsSeedOutOfErrors(t *testing.T) {
	sender := keypair.MustRandom()
	escrow := keypair.MustRandom()
	refund := refundTx{envelope: "AAAArefund"}
	cause := errors.New("lock: set up escrow: timeout")
	for _, tc := range []struct {
		name string
		keep func(escrow, seed string) (string, error)
		want []string
	}{
		{name: "kept by the caller", keep: func(string, string) (string, error) { return "the keyring as stellar/escrow-X", nil },
			want: []string{escrow.Address(), "the keyring as stellar/escrow-X", "AAAArefund"}},
		{name: "the caller could not keep it", keep: func(string, string) (string, error) { return "", errors.New("keyring locked") },
			want: []string{escrow.Address(), "keyring locked"}},
		{name: "no keeper configured", want: []string{escrow.Address(), "KeepEscrowKey"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var kept []string
			cfg := Config{HorizonURL: "http://127.0.0.1:1", Passphrase: "Standalone Network ; February 2017", Seed: sender.Seed(), HTTPTimeout: time.Second}
			if tc.keep != nil {
				cfg.KeepEscrowKey = func(e, seed string) (string, error) { kept = append(kept, e, seed); return tc.keep(e, seed) }
			}
			r, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			err = r.unwind(escrow, refund, cause)
			if err == nil || !errors.Is(err, cause) {
				t.Fatalf("unwind: %v", err)
			}
			if strings.Contains(err.Error(), escrow.Seed()) {
				t.Fatalf("the error carries the escrow's seed: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if tc.keep != nil && (len(kept) != 2 || kept[0] != escrow.Address() || kept[1] != escrow.Seed()) {
				t.Errorf("KeepEscrowKey got %q, want the escrow and its seed", kept)
			}
		})
	}
}

// TestMergeEscrow: a kept escrow seed brings the funds back once Horizon
// answers again.
func TestMergeEscrow(t *testing.T) {
	n := startNet(t)
	buyer := n.party(t)
	escrow := keypair.MustRandom()
	if err := buyer.fundEscrow(n.ctx, escrow.Address(), 50_000_000); err != nil {
		t.Fatal(err)
	}
	before := balance(t, buyer, buyer.Account())
	if err := buyer.MergeEscrow(n.ctx, escrow.Seed()); err != nil {
		t.Fatal(err)
	}
	if after := balance(t, buyer, buyer.Account()); after-before != 50_000_000-fee {
		t.Fatalf("merge brought back %d stroops, want %d", after-before, 50_000_000-fee)
	}
	if err := buyer.MergeEscrow(n.ctx, "not a seed"); err == nil || strings.Contains(err.Error(), "not a seed") {
		t.Fatalf("a bad seed: %v", err)
	}
}
