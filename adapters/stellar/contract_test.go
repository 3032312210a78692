package stellar

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/txnbuild"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// TestTamperedContract: a counterparty that reads the escrow with Status
// and matches it against the agreed terms finds every difference, and a
// contract or escrow that would let the sender take the funds back early
// is refused outright.
func TestTamperedContract(t *testing.T) {
	n := startNet(t)
	leg := n.lock(t, "25.0000000", 10*time.Minute)
	in, err := leg.seller.inspect(n.ctx, leg.contract)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := hashlock.NewSecret()
	matches := []struct {
		name   string
		agreed func(*htlc.Terms)
		field  string
	}{
		{"amount", func(a *htlc.Terms) { a.Amount = "30.0000000" }, "amount"},
		{"hash", func(a *htlc.Terms) { a.Hash = other.Hash() }, "hash"},
		{"expiry", func(a *htlc.Terms) { a.Expiry = a.Expiry.Add(time.Minute) }, "expiry"},
		{"recipient", func(a *htlc.Terms) { a.Recipient = keypair.MustRandom().Address() }, "recipient"},
	}
	for _, tc := range matches {
		t.Run("agreed "+tc.name+" differs", func(t *testing.T) {
			agreed := leg.terms
			tc.agreed(&agreed)
			st, err := leg.seller.Status(n.ctx, leg.contract)
			if err != nil {
				t.Fatal(err)
			}
			if err := agreed.Match(st.Terms); !errors.Is(err, htlc.ErrTermsMismatch) || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("Match: %v, want a mismatch on %s", err, tc.field)
			}
		})
	}

	refund := func(sender string, expiry time.Time) string {
		r, err := buildRefund(leg.contract.Ref, in.seq, sender, expiry, fee, n.sim.Passphrase())
		if err != nil {
			t.Fatal(err)
		}
		return r.envelope
	}
	signedRefund := func() string {
		tx, err := mergeTx(leg.contract.Ref, in.seq, leg.buyer.Account(), txnbuild.NewTimebounds(leg.terms.Expiry.Unix(), 0), fee)
		if err != nil {
			t.Fatal(err)
		}
		tx, _ = tx.Sign(n.sim.Passphrase(), leg.buyer.key)
		s, _ := tx.Base64()
		return s
	}
	contracts := []struct {
		name   string
		tamper func(*htlc.Contract)
		want   string
	}{
		{"refund to someone else", func(c *htlc.Contract) {
			c.Data = map[string]string{DataRefundTx: refund(leg.seller.Account(), leg.terms.Expiry)}
		}, "not by the sender " + leg.seller.Account()},
		{"refund valid earlier", func(c *htlc.Contract) {
			c.Data = map[string]string{DataRefundTx: refund(leg.buyer.Account(), leg.terms.Expiry.Add(-time.Minute))}
		}, "pre-auth signer"},
		{"refund carrying a signature", func(c *htlc.Contract) { c.Data = map[string]string{DataRefundTx: signedRefund()} }, "signatures"},
		{"no refund", func(c *htlc.Contract) { c.Data = nil }, "missing"},
		{"refund is not XDR", func(c *htlc.Contract) { c.Data = map[string]string{DataRefundTx: "AAAA"} }, "XDR"},
		{"ref is another account", func(c *htlc.Contract) { c.Ref = leg.buyer.Account() }, "spends"},
	}
	for _, tc := range contracts {
		t.Run(tc.name, func(t *testing.T) {
			c := leg.contract
			tc.tamper(&c)
			if _, err := leg.seller.Status(n.ctx, c); !errors.Is(err, htlc.ErrTermsMismatch) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Status: %v, want a mismatch mentioning %q", err, tc.want)
			}
		})
	}
}

// TestCrookedEscrow: escrows a dishonest sender could set up by hand are
// refused by Status, so the counterparty never locks its own leg.
func TestCrookedEscrow(t *testing.T) {
	n := startNet(t)
	buyer, seller := n.party(t), n.party(t)
	secret, _ := hashlock.NewSecret()
	expiry := n.clock.Now().Add(10 * time.Minute)
	noExtra := func(string) []txnbuild.Operation { return nil }
	cases := []struct {
		name string
		// fund creates the escrow; nil: the sender, as Lock does.
		fund  func(escrow string) error
		extra func(escrow string) []txnbuild.Operation
		want  string
	}{
		{"sender keeps a key", nil, func(escrow string) []txnbuild.Operation {
			return []txnbuild.Operation{&txnbuild.SetOptions{SourceAccount: escrow, Signer: &txnbuild.Signer{Address: buyer.Account(), Weight: 2}}}
		}, "unexpected signer " + buyer.Account()},
		{"master key left on", nil, func(escrow string) []txnbuild.Operation {
			return []txnbuild.Operation{&txnbuild.SetOptions{SourceAccount: escrow, MasterWeight: txnbuild.NewThreshold(1)}}
		}, "master key weight is 1"},
		{"low thresholds", nil, func(escrow string) []txnbuild.Operation {
			return []txnbuild.Operation{&txnbuild.SetOptions{SourceAccount: escrow, LowThreshold: txnbuild.NewThreshold(1)}}
		}, "thresholds are 1/2/2"},
		{"hashX alone can claim", nil, func(escrow string) []txnbuild.Operation {
			h := secret.Hash()
			hashX, _ := strkey.Encode(strkey.VersionByteHashX, h[:])
			return []txnbuild.Operation{&txnbuild.SetOptions{SourceAccount: escrow, Signer: &txnbuild.Signer{Address: hashX, Weight: 2}}}
		}, "unexpected signer"},
		{"sender takes funds back before the lock", nil, func(escrow string) []txnbuild.Operation {
			return []txnbuild.Operation{&txnbuild.Payment{SourceAccount: escrow, Destination: buyer.Account(), Amount: "4", Asset: txnbuild.NativeAsset{}}}
		}, "less than the 7.6000000 XLM it was funded with"},
		{"created by friendbot, not the sender", func(escrow string) error {
			_, err := n.sim.Fund(n.ctx, escrow)
			return err
		}, noExtra, "not by the sender " + buyer.Account()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			terms := htlc.Terms{Hash: secret.Hash(), Sender: buyer.Account(), Recipient: seller.Account(), Amount: "5.0000000", Expiry: expiry}
			c := handMadeEscrow(t, n, buyer, terms, tc.fund, tc.extra)
			if _, err := seller.Status(n.ctx, c); !errors.Is(err, htlc.ErrTermsMismatch) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Status: %v, want a mismatch mentioning %q", err, tc.want)
			}
		})
	}
}

// handMadeEscrow locks like Lock does, with the escrow created by fund
// (nil: the sender's create_account, as Lock does) and extra operations
// on the escrow at the end of the setup transaction, where the escrow's
// master key still signs for them.
func handMadeEscrow(t *testing.T, n *net, sender *Rail, terms htlc.Terms, fund func(string) error, extra func(string) []txnbuild.Operation) htlc.Contract {
	t.Helper()
	escrow := keypair.MustRandom()
	if fund == nil {
		fund = func(id string) error { return sender.fundEscrow(n.ctx, id, xlm(t, terms.Amount)+EscrowOverhead) }
	}
	if err := fund(escrow.Address()); err != nil {
		t.Fatal(err)
	}
	acc, err := sender.hc.AccountDetail(horizonclient.AccountRequest{AccountID: escrow.Address()})
	if err != nil {
		t.Fatal(err)
	}
	refund, err := buildRefund(escrow.Address(), acc.Sequence, terms.Sender, terms.Expiry, fee, n.sim.Passphrase())
	if err != nil {
		t.Fatal(err)
	}
	ops, err := setupOps(escrow.Address(), terms, refund)
	if err != nil {
		t.Fatal(err)
	}
	if err := sender.submitWithEscrow(escrow, append(ops, extra(escrow.Address())...)); err != nil {
		t.Fatal(err)
	}
	return htlc.Contract{Rail: Name, Ref: escrow.Address(), Terms: terms, Data: map[string]string{DataRefundTx: refund.envelope}}
}
