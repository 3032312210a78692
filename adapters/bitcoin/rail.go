package bitcoin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// Name is the rail's name in contracts and plans.
const Name = "bitcoin"

var _ htlc.Rail = (*Rail)(nil)

// Name is "bitcoin".
func (r *Rail) Name() string { return Name }

// Finality is Config.Finality: how long Config.Confirmations take.
func (r *Rail) Finality() time.Duration { return r.finality }

// Claim spends the contract to the recipient's P2WPKH address (less the
// fee), publishing the secret in the witness.
func (r *Rail) Claim(ctx context.Context, c htlc.Contract, s hashlock.Secret) (string, error) {
	return r.ClaimPreimage(ctx, c, s[:])
}

// ClaimPreimage is Claim for a preimage as the user typed it. Nothing is
// broadcast unless the preimage is 32 bytes hashing to the contract's
// lock, the contract is locked and not yet spent, this rail's key is the
// recipient, and the expiry has not come. The script would still take a
// late claim until someone refunds, but the swap's timelock check assumes
// nobody claims after the expiry, so this rail does not either; "now" is
// the later of the wall clock and the chain's median time past.
func (r *Rail) ClaimPreimage(ctx context.Context, c htlc.Contract, preimage []byte) (string, error) {
	if _, err := hashlock.SecretFromBytes(preimage); err != nil {
		return "", err
	}
	cs, err := r.state(ctx, c)
	if err != nil {
		return "", err
	}
	if _, err := hashlock.Verify(cs.terms.Hash, preimage); err != nil {
		return "", err
	}
	if err := r.spendable(cs, cs.terms.Recipient, "recipient"); err != nil {
		return "", err
	}
	now, err := r.chainNow(ctx)
	if err != nil {
		return "", err
	}
	if !now.Before(cs.expiry()) {
		return "", fmt.Errorf("%w: it is %s (the later of the clock and the chain's median time past), the contract expired at %s", htlc.ErrExpired, stamp(now), stamp(cs.expiry()))
	}
	tx, err := claimSpend(cs.out, cs.terms.Amount, cs.script, preimage, p2wpkhScript(r.pub)).sign(r.key, r.feeRate)
	if err != nil {
		return "", err
	}
	return r.broadcastSpend(ctx, c, "claim", tx)
}

// Refund spends the contract back to the sender's P2WPKH address once the
// chain's median time past is after the locktime (BIP-113: only then will
// a block take a transaction with that nLockTime).
func (r *Rail) Refund(ctx context.Context, c htlc.Contract) (string, error) {
	cs, err := r.state(ctx, c)
	if err != nil {
		return "", err
	}
	if err := r.spendable(cs, cs.terms.Refunder, "sender"); err != nil {
		return "", err
	}
	mtp, err := r.MedianTime(ctx)
	if err != nil {
		return "", err
	}
	if !mtp.After(cs.expiry()) {
		return "", notExpired(mtp, cs.expiry())
	}
	tx, err := refundSpend(cs.out, cs.terms.Amount, cs.script, cs.terms.LockTime, p2wpkhScript(r.pub)).sign(r.key, r.feeRate)
	if err != nil {
		return "", err
	}
	id, err := r.broadcastSpend(ctx, c, "refund", tx)
	if err != nil && strings.Contains(err.Error(), "not finalized") {
		return "", fmt.Errorf("%w (%w)", notExpired(mtp, cs.expiry()), err)
	}
	return id, err
}

func notExpired(mtp, expiry time.Time) error {
	return fmt.Errorf("%w: the chain's median time past is %s; a refund is final only once it is after the locktime %s",
		htlc.ErrNotExpired, stamp(mtp), stamp(expiry))
}

// broadcastSpend sends a claim or refund and waits for its confirmations.
// When the node refuses it, the contract is read again: a spend that lost
// the race to the other branch reports ErrClaimed or ErrRefunded. The id
// is returned whenever the node may have the spend.
func (r *Rail) broadcastSpend(ctx context.Context, c htlc.Contract, what string, tx *wire.MsgTx) (string, error) {
	id := tx.TxHash().String()
	err := r.send(ctx, tx)
	if !isRefusal(err) {
		werr := r.waitConfirmed(ctx, tx)
		if werr == nil {
			return id, nil
		}
		if !isRefusal(werr) {
			return id, fmt.Errorf("bitcoin: %s %s: %w", what, id, errors.Join(err, werr))
		}
		err = werr
	}
	if cs, serr := r.state(ctx, c); serr == nil && cs.Settled() != nil {
		return "", cs.Settled()
	}
	return "", fmt.Errorf("bitcoin: the node refuses the %s: %w", what, err)
}

// WatchSecret polls the contract until a claim reveals the secret;
// htlc.ErrRefunded if it is refunded instead. Only ctx and a final answer
// (see isFinal: wrong terms, no such output, a spend the script cannot
// take) end it early: node errors (a node restarting refuses connections)
// and a funding transaction the node has not seen yet are retried.
func (r *Rail) WatchSecret(ctx context.Context, c htlc.Contract) (hashlock.Secret, error) {
	var last error
	for {
		cs, err := r.state(ctx, c)
		switch {
		case err == nil && cs.State == htlc.StateClaimed:
			return *cs.Secret, nil
		case err == nil && cs.State == htlc.StateRefunded:
			return hashlock.Secret{}, cs.Settled()
		case isFinal(err):
			return hashlock.Secret{}, err
		case err != nil && ctx.Err() == nil:
			last = err
		}
		if perr := htlc.Wait(ctx, r.poll); perr != nil {
			return hashlock.Secret{}, withLast(fmt.Errorf("watch bitcoin contract %s: %w", c.Ref, perr), last)
		}
	}
}
