package stellar

import (
	"errors"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/txnbuild"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// pay sends lumens from r's account to dest.
func (n *net) pay(t *testing.T, r *Rail, dest, lumens string) {
	t.Helper()
	tx, err := r.senderTx(&txnbuild.Payment{Destination: dest, Amount: lumens, Asset: txnbuild.NativeAsset{}})
	if err != nil {
		t.Fatal(err)
	}
	if tx, err = tx.Sign(n.sim.Passphrase(), r.key); err != nil {
		t.Fatal(err)
	}
	if _, err := r.submit(tx); err != nil {
		t.Fatalf("pay %s XLM to %s: %v", lumens, dest, err)
	}
}

// TestDonationKeepsTheTerms: anyone can pay into a locked escrow; its
// terms stay the ones agreed (the amount is what the sender funded), so
// the recipient still claims, and the claim takes the donation too.
func TestDonationKeepsTheTerms(t *testing.T) {
	n := startNet(t)
	leg := n.lock(t, "25.0000000", 10*time.Minute)
	donor := n.party(t)
	n.pay(t, donor, leg.contract.Ref, "0.0000001")
	n.pay(t, donor, leg.contract.Ref, "3")

	st, err := leg.seller.Status(n.ctx, leg.contract)
	if err != nil || st.State != htlc.StateLocked {
		t.Fatalf("status after the donations: %v %s", err, st.State)
	}
	if err := leg.terms.Match(st.Terms); err != nil {
		t.Fatalf("the donations changed the terms: %v", err)
	}
	held := balance(t, leg.seller, leg.contract.Ref)
	if want := xlm(t, "28.0000001") + EscrowOverhead; held != want {
		t.Fatalf("escrow holds %d stroops, want %d", held, want)
	}
	before := balance(t, leg.seller, leg.seller.Account())
	if _, err := leg.seller.Claim(n.ctx, leg.contract, leg.secret); err != nil {
		t.Fatal(err)
	}
	if got := balance(t, leg.seller, leg.seller.Account()) - before; got != held-fee {
		t.Fatalf("the claim paid %d stroops, want everything the escrow held less the fee, %d", got, held-fee)
	}
	st, err = leg.buyer.Status(n.ctx, leg.contract)
	if err != nil || st.State != htlc.StateClaimed || st.Secret == nil || *st.Secret != leg.secret {
		t.Fatalf("after the claim: %v %+v", err, st)
	}
	if err := leg.terms.Match(st.Terms); err != nil {
		t.Fatalf("terms after the claim: %v", err)
	}
}

// TestSpendWithPreimage: the recipient's key and the preimage can sign
// any transaction on the escrow, not just the merge. A payment out of it
// reveals the secret as well as a claim does, and Status and WatchSecret
// both say so.
func TestSpendWithPreimage(t *testing.T) {
	n := startNet(t)
	leg := n.lock(t, "10.0000000", 10*time.Minute)
	in, err := leg.seller.inspect(n.ctx, leg.contract)
	if err != nil {
		t.Fatal(err)
	}
	watched := make(chan error, 1)
	var revealed hashlock.Secret
	go func() {
		var werr error
		revealed, werr = leg.buyer.WatchSecret(n.ctx, leg.contract)
		watched <- werr
	}()

	tx, err := txnbuild.NewTransaction(txnbuild.TransactionParams{
		SourceAccount: &txnbuild.SimpleAccount{AccountID: leg.contract.Ref, Sequence: in.seq}, IncrementSequenceNum: true,
		Operations: []txnbuild.Operation{&txnbuild.Payment{Destination: leg.seller.Account(), Amount: "1", Asset: txnbuild.NativeAsset{}}},
		BaseFee:    fee, Preconditions: txnbuild.Preconditions{TimeBounds: in.refund.claimBounds()},
	})
	if err != nil {
		t.Fatal(err)
	}
	tx, _ = tx.Sign(n.sim.Passphrase(), leg.seller.key)
	if tx, err = tx.SignHashX(leg.secret[:]); err != nil {
		t.Fatal(err)
	}
	spent, err := leg.seller.submit(tx)
	if err != nil {
		t.Fatalf("payment out of the escrow: %v", err)
	}

	st, err := leg.buyer.Status(n.ctx, leg.contract)
	if err != nil || st.State != htlc.StateClaimed || st.TxID != spent.Hash || st.Secret == nil || *st.Secret != leg.secret {
		t.Fatalf("status after the payment out: %v %+v", err, st)
	}
	if err := leg.terms.Match(st.Terms); err != nil {
		t.Fatalf("terms: %v", err)
	}
	if err := <-watched; err != nil || revealed != leg.secret {
		t.Fatalf("watch: %v, secret %s", err, revealed)
	}
	if _, err := leg.seller.Claim(n.ctx, leg.contract, leg.secret); !errors.Is(err, htlc.ErrClaimed) {
		t.Fatalf("claim after the payment out: %v", err)
	}
}

// TestFeeBumpedSettlements: anyone can wrap the pre-signed refund, or a
// claim they saw, in a fee bump; Horizon then lists it under the outer
// hash. Status and WatchSecret still know the refund by its own hash and
// read the claim's preimage from the inner signatures.
func TestFeeBumpedSettlements(t *testing.T) {
	n := startNet(t)
	stranger := keypair.MustRandom()
	if _, err := n.sim.Fund(n.ctx, stranger.Address()); err != nil {
		t.Fatal(err)
	}

	t.Run("refund", func(t *testing.T) {
		leg := n.lock(t, "40.0000000", time.Minute)
		n.expireAfter(t, leg.buyer, leg.terms.Expiry)
		before := balance(t, leg.buyer, leg.buyer.Account())
		bumped, err := n.sim.Submit(n.ctx, feeBump(t, leg.contract.Data[DataRefundTx], n.sim.Passphrase(), stranger))
		if err != nil {
			t.Fatalf("fee-bumped refund: %v", err)
		}
		if got := balance(t, leg.buyer, leg.buyer.Account()) - before; got != xlm(t, "40")+EscrowOverhead {
			t.Fatalf("the refund returned %d stroops", got)
		}
		st, err := leg.seller.Status(n.ctx, leg.contract)
		if err != nil || st.State != htlc.StateRefunded || st.TxID != bumped || st.Secret != nil {
			t.Fatalf("status: %v %+v", err, st)
		}
		if err := leg.terms.Match(st.Terms); err != nil {
			t.Fatal(err)
		}
		if _, err := leg.seller.WatchSecret(n.ctx, leg.contract); !errors.Is(err, htlc.ErrRefunded) {
			t.Fatalf("watch: %v", err)
		}
		if _, err := leg.buyer.Refund(n.ctx, leg.contract); !errors.Is(err, htlc.ErrRefunded) {
			t.Fatalf("refund again: %v", err)
		}
	})

	t.Run("claim", func(t *testing.T) {
		leg := n.lock(t, "10.0000000", time.Minute)
		in, err := leg.seller.inspect(n.ctx, leg.contract)
		if err != nil {
			t.Fatal(err)
		}
		claim, err := buildClaim(in, leg.seller.key, leg.secret, fee, n.sim.Passphrase())
		if err != nil {
			t.Fatal(err)
		}
		env, _ := claim.Base64()
		bumped, err := n.sim.Submit(n.ctx, feeBump(t, env, n.sim.Passphrase(), stranger))
		if err != nil {
			t.Fatalf("fee-bumped claim: %v", err)
		}
		st, err := leg.buyer.Status(n.ctx, leg.contract)
		if err != nil || st.State != htlc.StateClaimed || st.TxID != bumped || st.Secret == nil || *st.Secret != leg.secret {
			t.Fatalf("status: %v %+v", err, st)
		}
		if s, err := leg.buyer.WatchSecret(n.ctx, leg.contract); err != nil || s != leg.secret {
			t.Fatalf("watch: %v %s", err, s)
		}
	})
}
