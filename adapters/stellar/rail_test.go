package stellar

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/amount"
	"github.com/stellar/go-stellar-sdk/keypair"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// TestClaimRevealsSecret: the buyer locks, the seller checks the escrow
// against the agreed terms and claims, and the buyer's watcher reads the
// secret from the claim.
func TestClaimRevealsSecret(t *testing.T) {
	n := startNet(t)
	buyer, seller := n.party(t), n.party(t)
	buyerStart, sellerStart := balance(t, buyer, buyer.Account()), balance(t, seller, seller.Account())
	secret, _ := hashlock.NewSecret()
	agreed := htlc.Terms{
		Hash: secret.Hash(), Sender: buyer.Account(), Recipient: seller.Account(),
		Amount: "25.0000000", Expiry: n.clock.Now().Add(10 * time.Minute),
	}
	c, err := buyer.Lock(n.ctx, agreed)
	if err != nil {
		t.Fatal(err)
	}
	if got := buyerStart - balance(t, buyer, buyer.Account()); got != xlm(t, "25")+EscrowOverhead+5*fee {
		t.Fatalf("the lock cost the buyer %d stroops", got)
	}

	st, err := seller.Status(n.ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != htlc.StateLocked || st.TxID == "" {
		t.Fatalf("status %s, tx %q", st.State, st.TxID)
	}
	if err := agreed.Match(st.Terms); err != nil {
		t.Fatalf("the escrow does not match the agreed terms: %v", err)
	}

	watched := make(chan error, 1)
	var revealed hashlock.Secret
	go func() {
		var werr error
		revealed, werr = buyer.WatchSecret(n.ctx, c)
		watched <- werr
	}()
	claimTx, err := seller.Claim(n.ctx, c, secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-watched; err != nil || revealed != secret {
		t.Fatalf("watch: %v, secret %s, want %s", err, revealed, secret)
	}
	if got := balance(t, seller, seller.Account()) - sellerStart; got != xlm(t, "25")+EscrowOverhead-fee {
		t.Fatalf("the seller got %d stroops", got)
	}
	st, err = buyer.Status(n.ctx, c)
	if err != nil || st.State != htlc.StateClaimed || st.TxID != claimTx || st.Secret == nil || *st.Secret != secret {
		t.Fatalf("after the claim: %v %+v", err, st)
	}
	if err := agreed.Match(st.Terms); err != nil {
		t.Fatalf("terms read back from the history: %v", err)
	}
}

// TestRefund: refused before the expiry, applies after it, and then the
// claim is refused; the buyer is out only the fees.
func TestRefund(t *testing.T) {
	n := startNet(t)
	leg := n.lock(t, "40.0000000", time.Minute)
	buyerLocked := balance(t, leg.buyer, leg.buyer.Account())

	if _, err := leg.buyer.Refund(n.ctx, leg.contract); !errors.Is(err, htlc.ErrNotExpired) {
		t.Fatalf("refund before the expiry: %v", err)
	}
	_, early := leg.buyer.hc.SubmitTransactionXDR(leg.contract.Data[DataRefundTx])
	if mapped := leg.buyer.refused(n.ctx, leg.contract, "refund", withCodes(early)); !errors.Is(mapped, htlc.ErrNotExpired) || !strings.Contains(mapped.Error(), "tx_too_early") {
		t.Fatalf("the refund submitted by hand before the expiry: %v", mapped)
	}
	n.expireAfter(t, leg.buyer, leg.terms.Expiry)
	refundTx, err := leg.buyer.Refund(n.ctx, leg.contract)
	if err != nil {
		t.Fatal(err)
	}
	if got := balance(t, leg.buyer, leg.buyer.Account()) - buyerLocked; got != xlm(t, "40")+EscrowOverhead-fee {
		t.Fatalf("the refund returned %d stroops", got)
	}
	if _, err := leg.seller.Claim(n.ctx, leg.contract, leg.secret); !errors.Is(err, htlc.ErrRefunded) {
		t.Fatalf("claim after the refund: %v", err)
	}
	if _, err := leg.buyer.Refund(n.ctx, leg.contract); !errors.Is(err, htlc.ErrRefunded) {
		t.Fatalf("second refund: %v", err)
	}
	st, err := leg.seller.Status(n.ctx, leg.contract)
	if err != nil || st.State != htlc.StateRefunded || st.TxID != refundTx || st.Secret != nil {
		t.Fatalf("status: %v %+v", err, st)
	}
	if err := leg.terms.Match(st.Terms); err != nil {
		t.Fatal(err)
	}
	if _, err := leg.seller.WatchSecret(n.ctx, leg.contract); !errors.Is(err, htlc.ErrRefunded) {
		t.Fatalf("watch after the refund: %v", err)
	}
}

// TestClaimRefusals: bad preimages, the wrong key and a late claim are
// refused before anything is sent, and nothing moves.
func TestClaimRefusals(t *testing.T) {
	n := startNet(t)
	leg := n.lock(t, "10.0000000", time.Minute)
	escrowBefore := balance(t, leg.seller, leg.contract.Ref)
	sellerBefore := balance(t, leg.seller, leg.seller.Account())
	wrong := bytes.Repeat([]byte{9}, 32)
	cases := []struct {
		name     string
		claimer  *Rail
		preimage []byte
		want     error
	}{
		{"31-byte secret", leg.seller, leg.secret[:31], hashlock.ErrSecretLength},
		{"33-byte secret", leg.seller, append(leg.secret[:], 0), hashlock.ErrSecretLength},
		{"wrong secret", leg.seller, wrong, hashlock.ErrWrongSecret},
		{"the sender's key", leg.buyer, leg.secret[:], ErrNotRecipient},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.claimer.ClaimPreimage(n.ctx, leg.contract, tc.preimage); !errors.Is(err, tc.want) {
				t.Fatalf("claim: %v, want %v", err, tc.want)
			}
		})
	}
	n.expireAfter(t, leg.seller, leg.terms.Expiry)
	if _, err := leg.seller.Claim(n.ctx, leg.contract, leg.secret); !errors.Is(err, htlc.ErrExpired) {
		t.Fatalf("claim at the expiry: %v", err)
	}
	st, err := leg.seller.Status(n.ctx, leg.contract)
	if err != nil || st.State != htlc.StateLocked {
		t.Fatalf("after the refusals: %v %s", err, st.State)
	}
	if balance(t, leg.seller, leg.contract.Ref) != escrowBefore || balance(t, leg.seller, leg.seller.Account()) != sellerBefore {
		t.Fatal("a refused claim moved funds")
	}
}

// TestRefundAfterClaim: once claimed, the refund is refused by the rail
// and, submitted anyway, by the network.
func TestRefundAfterClaim(t *testing.T) {
	n := startNet(t)
	leg := n.lock(t, "10.0000000", time.Minute)
	if _, err := leg.seller.Claim(n.ctx, leg.contract, leg.secret); err != nil {
		t.Fatal(err)
	}
	if _, err := leg.seller.Claim(n.ctx, leg.contract, leg.secret); !errors.Is(err, htlc.ErrClaimed) {
		t.Fatalf("second claim: %v", err)
	}
	n.expireAfter(t, leg.buyer, leg.terms.Expiry)
	if _, err := leg.buyer.Refund(n.ctx, leg.contract); !errors.Is(err, htlc.ErrClaimed) {
		t.Fatalf("refund after the claim: %v", err)
	}
	_, err := leg.buyer.hc.SubmitTransactionXDR(leg.contract.Data[DataRefundTx])
	if rc := resultCodes(err); rc == nil || rc.TransactionCode != "tx_no_source_account" {
		t.Fatalf("the refund submitted by hand: %v", err)
	}
	mapped := leg.buyer.refused(n.ctx, leg.contract, "refund", withCodes(err))
	if !errors.Is(mapped, htlc.ErrClaimed) || !strings.Contains(mapped.Error(), "tx_no_source_account") {
		t.Fatalf("mapped: %v", mapped)
	}
}

// TestNetworkEnforcesTheLock: transactions this adapter would never send
// are refused by the network itself: a stranger with the right preimage,
// the recipient without it, a claim whose ledger closes after the expiry.
func TestNetworkEnforcesTheLock(t *testing.T) {
	n := startNet(t)
	leg := n.lock(t, "10.0000000", time.Minute)
	in, err := leg.seller.inspect(n.ctx, leg.contract)
	if err != nil {
		t.Fatal(err)
	}
	stranger := keypair.MustRandom()
	if _, err := n.sim.Fund(n.ctx, stranger.Address()); err != nil {
		t.Fatal(err)
	}
	byStranger, err := buildClaim(in, stranger, leg.secret, fee, n.sim.Passphrase())
	if err != nil {
		t.Fatal(err)
	}
	_, err = leg.seller.submit(byStranger)
	if rc := resultCodes(err); rc == nil || rc.TransactionCode != "tx_bad_auth" {
		t.Fatalf("stranger's claim with the preimage: %v", err)
	}

	noPreimage, err := mergeTx(in.refund.escrow, in.seq, leg.seller.Account(), in.refund.claimBounds(), fee)
	if err != nil {
		t.Fatal(err)
	}
	noPreimage, _ = noPreimage.Sign(n.sim.Passphrase(), leg.seller.key)
	_, err = leg.seller.submit(noPreimage)
	if rc := resultCodes(err); rc == nil || rc.TransactionCode != "tx_bad_auth" {
		t.Fatalf("recipient's claim without the preimage: %v", err)
	}

	late, err := buildClaim(in, leg.seller.key, leg.secret, fee, n.sim.Passphrase())
	if err != nil {
		t.Fatal(err)
	}
	n.expireAfter(t, leg.seller, leg.terms.Expiry)
	_, err = leg.seller.submit(late)
	if mapped := leg.seller.refused(n.ctx, leg.contract, "claim", err); !errors.Is(mapped, htlc.ErrExpired) || !strings.Contains(mapped.Error(), "tx_too_late") {
		t.Fatalf("claim in a ledger after the expiry: %v", mapped)
	}
	if st, err := leg.seller.Status(n.ctx, leg.contract); err != nil || st.State != htlc.StateLocked {
		t.Fatalf("after the refused claims: %v %s", err, st.State)
	}
}

func xlm(t *testing.T, lumens string) int64 {
	t.Helper()
	v, err := amount.ParseInt64(lumens)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
