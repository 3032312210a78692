package stellarsim

import (
	"encoding/hex"
	"slices"
	"testing"

	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stellar/go-stellar-sdk/txnbuild"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// bump wraps a signed transaction in a fee bump from payer bidding fee,
// signed by signers; built from the XDR so that the tests can make the
// ones txnbuild refuses to.
func (n *testNet) bump(t *testing.T, inner *txnbuild.Transaction, payer string, fee int64, signers ...*keypair.Full) string {
	t.Helper()
	var src xdr.MuxedAccount
	if err := src.SetAddress(payer); err != nil {
		t.Fatal(err)
	}
	env := inner.ToXDR()
	fb := xdr.FeeBumpTransaction{
		FeeSource: src, Fee: xdr.Int64(fee),
		InnerTx: xdr.FeeBumpTransactionInnerTx{Type: xdr.EnvelopeTypeEnvelopeTypeTx, V1: env.V1},
	}
	hash, err := network.HashFeeBumpTransaction(fb, n.sim.Passphrase())
	if err != nil {
		t.Fatal(err)
	}
	var sigs []xdr.DecoratedSignature
	for _, kp := range signers {
		sig, err := kp.SignDecorated(hash[:])
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, sig)
	}
	out, err := xdr.MarshalBase64(xdr.TransactionEnvelope{
		Type: xdr.EnvelopeTypeEnvelopeTypeTxFeeBump, FeeBump: &xdr.FeeBumpTransactionEnvelope{Tx: fb, Signatures: sigs},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFeeBumpApplies: a fee bump applies its inner transaction as if it
// came alone, except that the fee source pays the fee (one base fee more
// than the inner's operations); Horizon lists it under the outer hash with
// the inner one under inner_transaction, for every account involved.
func TestFeeBumpApplies(t *testing.T) {
	n := startNet(t)
	a, b, payer := n.funded(t), n.funded(t), n.funded(t)
	aBal, bBal, payerBal := n.balance(t, a.Address()), n.balance(t, b.Address()), n.balance(t, payer.Address())
	inner := n.sign(t, n.build(t, a.Address(), txOpts{}, pay(b.Address(), "5")), a)
	innerHash, _ := inner.HashHex(n.sim.Passphrase())
	env := n.bump(t, inner, payer.Address(), 1000, payer)
	got, err := n.hc.SubmitTransactionXDR(env)
	if err != nil {
		t.Fatal(err)
	}

	if n.balance(t, a.Address()) != aBal-xlm("5") || n.balance(t, b.Address()) != bBal+xlm("5") {
		t.Fatal("the inner payment did not move exactly its amount")
	}
	if paid := payerBal - n.balance(t, payer.Address()); paid != 2*DefaultBaseFee {
		t.Fatalf("the fee source paid %d stroops, want two base fees", paid)
	}
	if seq := n.account(t, a.Address()).Sequence; seq != inner.SequenceNumber() {
		t.Fatalf("inner source at sequence %d, want %d", seq, inner.SequenceNumber())
	}
	switch {
	case got.Hash == innerHash || got.InnerTransaction == nil || got.InnerTransaction.Hash != innerHash:
		t.Fatalf("hash %s, inner %+v; the inner transaction is %s", got.Hash, got.InnerTransaction, innerHash)
	case got.FeeBumpTransaction == nil || got.FeeBumpTransaction.Hash != got.Hash:
		t.Fatalf("fee_bump_transaction %+v", got.FeeBumpTransaction)
	case got.FeeAccount != payer.Address() || got.Account != a.Address() || got.MaxFee != 1000 || got.FeeCharged != 2*DefaultBaseFee:
		t.Fatalf("fee account %s, source %s, max fee %d, charged %d", got.FeeAccount, got.Account, got.MaxFee, got.FeeCharged)
	case got.EnvelopeXdr != env || !got.Successful:
		t.Fatal("envelope or success differ")
	}
	var res xdr.TransactionResult
	if err := xdr.SafeUnmarshalBase64(got.ResultXdr, &res); err != nil {
		t.Fatal(err)
	}
	pair, ok := res.Result.GetInnerResultPair()
	if !ok || res.Result.Code != xdr.TransactionResultCodeTxFeeBumpInnerSuccess || hex.EncodeToString(pair.TransactionHash[:]) != innerHash ||
		pair.Result.Result.Code != xdr.TransactionResultCodeTxSuccess {
		t.Fatalf("result %+v", res.Result)
	}
	for _, id := range []string{a.Address(), b.Address(), payer.Address()} {
		page, err := n.hc.Transactions(horizonclient.TransactionRequest{ForAccount: id, Order: horizonclient.OrderDesc, Limit: 1})
		if err != nil || len(page.Embedded.Records) != 1 || page.Embedded.Records[0].Hash != got.Hash {
			t.Fatalf("history of %s: %v", id, err)
		}
	}
	if byHash, err := n.hc.TransactionDetail(got.Hash); err != nil || byHash.InnerTransaction == nil {
		t.Fatalf("GET /transactions/%s: %v", got.Hash, err)
	}
}

// TestFeeBumpRules: the outer transaction is checked as stellar-core does
// (fee, fee source, its signatures and balance), then the inner one as
// usual except its fee. Refused bumps cost nothing; an applied one whose
// operation fails costs the fee source the fee and the inner source its
// sequence number.
func TestFeeBumpRules(t *testing.T) {
	n := startNet(t)
	b := n.funded(t)
	type parties struct{ a, payer, poor *keypair.Full }
	payment := func(t *testing.T, p parties, o txOpts, lumens string) *txnbuild.Transaction {
		return n.sign(t, n.build(t, p.a.Address(), o, pay(b.Address(), lumens)), p.a)
	}
	cases := []struct {
		name     string
		envelope func(t *testing.T, p parties) string
		want     []string
		charged  int64 // what the fee source paid
		aSeqUsed bool  // whether a's sequence number was consumed
	}{
		{"pays for another's transaction", func(t *testing.T, p parties) string {
			return n.bump(t, payment(t, p, txOpts{}, "1"), p.payer.Address(), 200, p.payer)
		}, []string{"tx_fee_bump_inner_success"}, 200, true},
		{"pays for a source that cannot pay its own fee", func(t *testing.T, p parties) string {
			tx := n.sign(t, n.build(t, p.poor.Address(), txOpts{}, &txnbuild.BumpSequence{BumpTo: 0}), p.poor)
			return n.bump(t, tx, p.payer.Address(), 200, p.payer)
		}, []string{"tx_fee_bump_inner_success"}, 200, false},
		{"bid under two base fees", func(t *testing.T, p parties) string {
			return n.bump(t, payment(t, p, txOpts{}, "1"), p.payer.Address(), 199, p.payer)
		}, []string{"tx_insufficient_fee"}, 0, false},
		{"bid per operation under the inner transaction's", func(t *testing.T, p parties) string {
			return n.bump(t, payment(t, p, txOpts{baseFee: 1000}, "1"), p.payer.Address(), 1999, p.payer)
		}, []string{"tx_insufficient_fee"}, 0, false},
		{"no fee source account", func(t *testing.T, p parties) string {
			nobody := keypair.MustRandom()
			return n.bump(t, payment(t, p, txOpts{}, "1"), nobody.Address(), 200, nobody)
		}, []string{"tx_no_source_account"}, 0, false},
		{"not signed by the fee source", func(t *testing.T, p parties) string {
			return n.bump(t, payment(t, p, txOpts{}, "1"), p.payer.Address(), 200, p.a)
		}, []string{"tx_bad_auth"}, 0, false},
		{"an extra outer signature", func(t *testing.T, p parties) string {
			return n.bump(t, payment(t, p, txOpts{}, "1"), p.payer.Address(), 200, p.payer, p.a)
		}, []string{"tx_bad_auth_extra"}, 0, false},
		{"fee source cannot pay", func(t *testing.T, p parties) string {
			return n.bump(t, payment(t, p, txOpts{}, "1"), p.poor.Address(), 200, p.poor)
		}, []string{"tx_insufficient_balance"}, 0, false},
		{"inner sequence number skips one", func(t *testing.T, p parties) string {
			return n.bump(t, payment(t, p, txOpts{seqDelta: 1}, "1"), p.payer.Address(), 200, p.payer)
		}, []string{"tx_fee_bump_inner_failed", "tx_bad_seq"}, 0, false},
		{"inner transaction unsigned", func(t *testing.T, p parties) string {
			return n.bump(t, n.build(t, p.a.Address(), txOpts{}, pay(b.Address(), "1")), p.payer.Address(), 200, p.payer)
		}, []string{"tx_fee_bump_inner_failed", "tx_bad_auth"}, 0, false},
		{"inner operation fails", func(t *testing.T, p parties) string {
			return n.bump(t, payment(t, p, txOpts{}, "1000000"), p.payer.Address(), 200, p.payer)
		}, []string{"tx_fee_bump_inner_failed", "tx_failed", "op_underfunded"}, 200, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := parties{a: n.funded(t), payer: n.funded(t), poor: keypair.MustRandom()}
			n.submit(t, n.sign(t, n.build(t, p.a.Address(), txOpts{}, &txnbuild.CreateAccount{Destination: p.poor.Address(), Amount: "1"}), p.a))
			seq, payerBal := n.account(t, p.a.Address()).Sequence, n.balance(t, p.payer.Address())
			_, got := n.submitXDR(t, tc.envelope(t, p))
			if !slices.Equal(got, tc.want) {
				t.Fatalf("codes %v, want %v", got, tc.want)
			}
			if paid := payerBal - n.balance(t, p.payer.Address()); paid != tc.charged {
				t.Fatalf("the fee source paid %d, want %d", paid, tc.charged)
			}
			if now := n.account(t, p.a.Address()).Sequence; (now != seq) != tc.aSeqUsed {
				t.Fatalf("a's sequence number went from %d to %d", seq, now)
			}
		})
	}
}

// TestFeeBumpPreAuth: a pre-authorized transaction is known by its own
// hash inside a fee bump, so anyone can pay to get it applied.
func TestFeeBumpPreAuth(t *testing.T) {
	n := startNet(t)
	a, b, payer := n.funded(t), n.funded(t), n.funded(t)
	seq := n.account(t, a.Address()).Sequence
	pre, err := txnbuild.NewTransaction(txnbuild.TransactionParams{
		SourceAccount: &txnbuild.SimpleAccount{AccountID: a.Address(), Sequence: seq + 2},
		Operations:    []txnbuild.Operation{pay(b.Address(), "3")}, BaseFee: DefaultBaseFee,
		Preconditions: txnbuild.Preconditions{TimeBounds: txnbuild.NewInfiniteTimeout()},
	})
	if err != nil {
		t.Fatal(err)
	}
	preHash, _ := pre.Hash(n.sim.Passphrase())
	preAuth := xdr.SignerKey{Type: xdr.SignerKeyTypeSignerKeyTypePreAuthTx, PreAuthTx: (*xdr.Uint256)(&preHash)}
	n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, addSigner(preAuth.Address(), 1)), a))
	if _, got := n.submitXDR(t, n.bump(t, pre, payer.Address(), 200, payer)); !slices.Equal(got, []string{"tx_fee_bump_inner_success"}) {
		t.Fatalf("fee-bumped pre-authorized transaction: %v", got)
	}
	if _, ok := n.signerWeights(t, a.Address())[preAuth.Address()]; ok {
		t.Fatal("the pre-auth signer is still there after its transaction applied")
	}
}
