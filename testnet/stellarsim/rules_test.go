package stellarsim

import (
	"slices"
	"testing"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stellar/go-stellar-sdk/txnbuild"
)

func pay(to, lumens string) txnbuild.Operation {
	return &txnbuild.Payment{Destination: to, Amount: lumens, Asset: txnbuild.NativeAsset{}}
}

// TestTransactionRules submits one transaction per case from a fresh
// account a (10,000 XLM) and checks the result codes Horizon returns, and
// what moved.
func TestTransactionRules(t *testing.T) {
	n := startNet(t)
	type parties struct{ a, b *keypair.Full }
	now := func() int64 { return n.clock.Now().Unix() }
	cases := []struct {
		name  string
		tx    func(t *testing.T, p parties) *txnbuild.Transaction
		want  []string
		moved int64 // what b gained
	}{
		{"payment applies", func(t *testing.T, p parties) *txnbuild.Transaction {
			return n.sign(t, n.build(t, p.a.Address(), txOpts{}, pay(p.b.Address(), "10")), p.a)
		}, []string{"tx_success"}, xlm("10")},
		{"sequence number skips one", func(t *testing.T, p parties) *txnbuild.Transaction {
			return n.sign(t, n.build(t, p.a.Address(), txOpts{seqDelta: 1}, pay(p.b.Address(), "10")), p.a)
		}, []string{"tx_bad_seq"}, 0},
		{"sequence number reused", func(t *testing.T, p parties) *txnbuild.Transaction {
			return n.sign(t, n.build(t, p.a.Address(), txOpts{seqDelta: -1}, pay(p.b.Address(), "10")), p.a)
		}, []string{"tx_bad_seq"}, 0},
		{"signed for another network", func(t *testing.T, p parties) *txnbuild.Transaction {
			tx, err := n.build(t, p.a.Address(), txOpts{}, pay(p.b.Address(), "10")).Sign(network.TestNetworkPassphrase, p.a)
			if err != nil {
				t.Fatal(err)
			}
			return tx
		}, []string{"tx_bad_auth"}, 0},
		{"unsigned", func(t *testing.T, p parties) *txnbuild.Transaction {
			return n.build(t, p.a.Address(), txOpts{}, pay(p.b.Address(), "10"))
		}, []string{"tx_bad_auth"}, 0},
		{"signed by someone else", func(t *testing.T, p parties) *txnbuild.Transaction {
			return n.sign(t, n.build(t, p.a.Address(), txOpts{}, pay(p.b.Address(), "10")), p.b)
		}, []string{"tx_bad_auth"}, 0},
		{"extra signature", func(t *testing.T, p parties) *txnbuild.Transaction {
			return n.sign(t, n.build(t, p.a.Address(), txOpts{}, pay(p.b.Address(), "10")), p.a, p.b)
		}, []string{"tx_bad_auth_extra"}, 0},
		{"fee under the base fee", func(t *testing.T, p parties) *txnbuild.Transaction {
			return n.sign(t, n.build(t, p.a.Address(), txOpts{baseFee: 99}, pay(p.b.Address(), "10")), p.a)
		}, []string{"tx_insufficient_fee"}, 0},
		{"fee for one of two operations", func(t *testing.T, p parties) *txnbuild.Transaction {
			tx := n.build(t, p.a.Address(), txOpts{baseFee: 50}, pay(p.b.Address(), "1"), pay(p.b.Address(), "1"))
			return n.sign(t, tx, p.a)
		}, []string{"tx_insufficient_fee"}, 0},
		{"no source account", func(t *testing.T, p parties) *txnbuild.Transaction {
			ghost := keypair.MustRandom()
			return n.sign(t, n.build(t, ghost.Address(), txOpts{}, pay(p.b.Address(), "10")), ghost)
		}, []string{"tx_no_source_account"}, 0},
		{"before min time", func(t *testing.T, p parties) *txnbuild.Transaction {
			b := txnbuild.NewTimebounds(now()+60, 0)
			return n.sign(t, n.build(t, p.a.Address(), txOpts{bounds: &b}, pay(p.b.Address(), "10")), p.a)
		}, []string{"tx_too_early"}, 0},
		{"after max time", func(t *testing.T, p parties) *txnbuild.Transaction {
			b := txnbuild.NewTimebounds(0, now()-1)
			return n.sign(t, n.build(t, p.a.Address(), txOpts{bounds: &b}, pay(p.b.Address(), "10")), p.a)
		}, []string{"tx_too_late"}, 0},
		{"within time bounds", func(t *testing.T, p parties) *txnbuild.Transaction {
			b := txnbuild.NewTimebounds(now()-1, now()+60)
			return n.sign(t, n.build(t, p.a.Address(), txOpts{bounds: &b}, pay(p.b.Address(), "10")), p.a)
		}, []string{"tx_success"}, xlm("10")},
		{"operation source did not sign", func(t *testing.T, p parties) *txnbuild.Transaction {
			op := &txnbuild.Payment{Destination: p.a.Address(), Amount: "10", Asset: txnbuild.NativeAsset{}, SourceAccount: p.b.Address()}
			return n.sign(t, n.build(t, p.a.Address(), txOpts{}, op), p.a)
		}, []string{"tx_failed", "op_bad_auth"}, 0},
		{"operation source signed", func(t *testing.T, p parties) *txnbuild.Transaction {
			op := &txnbuild.Payment{Destination: p.a.Address(), Amount: "10", Asset: txnbuild.NativeAsset{}, SourceAccount: p.b.Address()}
			return n.sign(t, n.build(t, p.a.Address(), txOpts{}, op), p.a, p.b)
		}, []string{"tx_success"}, -xlm("10")},
		{"no destination", func(t *testing.T, p parties) *txnbuild.Transaction {
			return n.sign(t, n.build(t, p.a.Address(), txOpts{}, pay(keypair.MustRandom().Address(), "10")), p.a)
		}, []string{"tx_failed", "op_no_destination"}, 0},
		{"payment into the reserve", func(t *testing.T, p parties) *txnbuild.Transaction {
			return n.sign(t, n.build(t, p.a.Address(), txOpts{}, pay(p.b.Address(), "9999.5")), p.a)
		}, []string{"tx_failed", "op_underfunded"}, 0},
		{"payment down to the reserve", func(t *testing.T, p parties) *txnbuild.Transaction {
			return n.sign(t, n.build(t, p.a.Address(), txOpts{}, pay(p.b.Address(), "9998.9999900")), p.a)
		}, []string{"tx_success"}, xlm("9998.99999")},
		{"credit asset without trust lines", func(t *testing.T, p parties) *txnbuild.Transaction {
			op := &txnbuild.Payment{Destination: p.b.Address(), Amount: "1", Asset: txnbuild.CreditAsset{Code: "USD", Issuer: p.b.Address()}}
			return n.sign(t, n.build(t, p.a.Address(), txOpts{}, op), p.a)
		}, []string{"tx_failed", "op_src_no_trust"}, 0},
		{"create account below the reserve", func(t *testing.T, p parties) *txnbuild.Transaction {
			op := &txnbuild.CreateAccount{Destination: keypair.MustRandom().Address(), Amount: "0.9999999"}
			return n.sign(t, n.build(t, p.a.Address(), txOpts{}, op), p.a)
		}, []string{"tx_failed", "op_low_reserve"}, 0},
		{"create existing account", func(t *testing.T, p parties) *txnbuild.Transaction {
			op := &txnbuild.CreateAccount{Destination: p.b.Address(), Amount: "1"}
			return n.sign(t, n.build(t, p.a.Address(), txOpts{}, op), p.a)
		}, []string{"tx_failed", "op_already_exists"}, 0},
		{"all or nothing", func(t *testing.T, p parties) *txnbuild.Transaction {
			tx := n.build(t, p.a.Address(), txOpts{}, pay(p.b.Address(), "10"), pay(keypair.MustRandom().Address(), "1"))
			return n.sign(t, tx, p.a)
		}, []string{"tx_failed", "op_success", "op_no_destination"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := parties{a: n.funded(t), b: n.funded(t)}
			before := n.balance(t, p.b.Address())
			_, got := n.submit(t, tc.tx(t, p))
			if !slices.Equal(got, tc.want) {
				t.Fatalf("result codes %v, want %v", got, tc.want)
			}
			if moved := n.balance(t, p.b.Address()) - before; moved != tc.moved {
				t.Fatalf("b gained %d stroops, want %d", moved, tc.moved)
			}
		})
	}
}

// TestFeesAndSequence: an applied transaction pays the base fee per
// operation and consumes its sequence number even when an operation
// fails; a refused one changes nothing.
func TestFeesAndSequence(t *testing.T) {
	n := startNet(t)
	a, b := n.funded(t), n.funded(t)
	seq0, bal0 := n.account(t, a.Address()).Sequence, n.balance(t, a.Address())
	check := func(step string, seq, bal int64) {
		t.Helper()
		acc := n.account(t, a.Address())
		if acc.Sequence != seq || n.balance(t, a.Address()) != bal {
			t.Fatalf("%s: seq %d balance %d, want %d and %d", step, acc.Sequence, n.balance(t, a.Address()), seq, bal)
		}
	}
	n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, pay(b.Address(), "1"), pay(b.Address(), "2")), a))
	check("two payments", seq0+1, bal0-xlm("3")-200)

	_, codes := n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, pay(keypair.MustRandom().Address(), "1")), a))
	if codes[0] != "tx_failed" {
		t.Fatalf("payment to nobody: %v", codes)
	}
	check("failed operation", seq0+2, bal0-xlm("3")-300)

	n.submit(t, n.build(t, a.Address(), txOpts{}, pay(b.Address(), "1")))
	check("unsigned", seq0+2, bal0-xlm("3")-300)
}
