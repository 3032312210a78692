package stellar

import (
	"context"
	"fmt"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/txnbuild"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// Claim merges the escrow into this rail's account, the recipient,
// signing with its key and with the secret as the hashX signature, which
// publishes the secret.
func (r *Rail) Claim(ctx context.Context, c htlc.Contract, s hashlock.Secret) (string, error) {
	return r.ClaimPreimage(ctx, c, s[:])
}

// ClaimPreimage is Claim for a preimage of any length, as a user may type
// it: one that is not 32 bytes (ErrSecretLength) or does not hash to the
// lock (ErrWrongSecret) is refused before anything is sent.
func (r *Rail) ClaimPreimage(ctx context.Context, c htlc.Contract, preimage []byte) (string, error) {
	secret, err := hashlock.Verify(c.Terms.Hash, preimage)
	if err != nil {
		return "", fmt.Errorf("claim escrow %s: %w", c.Ref, err)
	}
	in, err := r.inspect(ctx, c)
	if err != nil {
		return "", fmt.Errorf("claim: %w", err)
	}
	if final := in.status.Settled(); final != nil {
		return "", fmt.Errorf("claim escrow %s: %w", c.Ref, final)
	}
	terms := in.status.Terms
	switch {
	case terms.Hash != c.Terms.Hash:
		return "", fmt.Errorf("%w: escrow %s is locked under %s, the contract says %s", htlc.ErrTermsMismatch, c.Ref, terms.Hash, c.Terms.Hash)
	case terms.Recipient != r.Account():
		return "", fmt.Errorf("claim escrow %s: %w: it pays %s, this key is %s", c.Ref, ErrNotRecipient, terms.Recipient, r.Account())
	}
	l, err := r.latestLedger()
	if err != nil {
		return "", fmt.Errorf("claim escrow %s: %w", c.Ref, err)
	}
	if !l.closeTime.Before(terms.Expiry) {
		return "", fmt.Errorf("%w: escrow %s expired at %s, the latest ledger closed at %s", htlc.ErrExpired, c.Ref, stamp(terms.Expiry), stamp(l.closeTime))
	}
	tx, err := buildClaim(in, r.key, secret, r.cfg.BaseFee, r.cfg.Passphrase)
	if err != nil {
		return "", fmt.Errorf("claim escrow %s: %w", c.Ref, err)
	}
	resp, err := r.submit(tx)
	if err != nil {
		return "", r.refused(ctx, c, "claim", err)
	}
	return resp.Hash, nil
}

// buildClaim is the claim: the refund's sequence number, valid only
// before the refund is (maxTime = expiry - 1s), merging the escrow into
// key's account, signed by key and by the preimage.
func buildClaim(in inspection, key *keypair.Full, secret hashlock.Secret, fee int64, passphrase string) (*txnbuild.Transaction, error) {
	tx, err := mergeTx(in.refund.escrow, in.seq, key.Address(), in.refund.claimBounds(), fee)
	if err != nil {
		return nil, fmt.Errorf("build claim: %w", err)
	}
	if tx.SequenceNumber() != in.refund.seq {
		return nil, fmt.Errorf("claim sequence %d is not the refund's %d", tx.SequenceNumber(), in.refund.seq)
	}
	if tx, err = tx.Sign(passphrase, key); err != nil {
		return nil, fmt.Errorf("sign claim: %w", err)
	}
	if tx, err = tx.SignHashX(secret[:]); err != nil {
		return nil, fmt.Errorf("sign claim with the preimage: %w", err)
	}
	return tx, nil
}

// Refund submits the contract's pre-authorized refund, which merges the
// escrow back to the sender. Anyone may submit it; it applies only from
// the expiry on (ErrNotExpired before) and only if the claim has not
// (ErrClaimed).
func (r *Rail) Refund(ctx context.Context, c htlc.Contract) (string, error) {
	in, err := r.inspect(ctx, c)
	if err != nil {
		return "", fmt.Errorf("refund: %w", err)
	}
	if final := in.status.Settled(); final != nil {
		return "", fmt.Errorf("refund escrow %s: %w", c.Ref, final)
	}
	l, err := r.latestLedger()
	if err != nil {
		return "", fmt.Errorf("refund escrow %s: %w", c.Ref, err)
	}
	if l.closeTime.Before(in.refund.expiry) {
		return "", fmt.Errorf("%w: escrow %s can be refunded from %s; the latest ledger closed at %s, %s to go",
			htlc.ErrNotExpired, c.Ref, stamp(in.refund.expiry), stamp(l.closeTime), in.refund.expiry.Sub(l.closeTime))
	}
	resp, err := r.hc.SubmitTransactionXDR(in.refund.envelope)
	if err != nil {
		return "", r.refused(ctx, c, "refund", withCodes(err))
	}
	return resp.Hash, nil
}
