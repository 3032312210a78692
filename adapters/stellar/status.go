package stellar

import (
	"context"
	"errors"
	"fmt"

	"github.com/stellar/go-stellar-sdk/amount"
	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/strkey"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// inspection is a contract as the network shows it now.
type inspection struct {
	status htlc.Status
	refund refundTx
	// seq is the escrow's sequence number while it is locked.
	seq int64
}

// Status reads the escrow and its history back from Horizon and checks
// them against the contract's refund transaction. Locked: the sender's
// create_account opened the escrow and it can only be claimed or refunded
// (checkEscrow); Terms come from its signers, the amount it was funded
// with and the refund. Claimed or Refunded: its history holds the refund
// (fee-bumped or not), or a transaction spending from it with the
// preimage, which is the secret. Horizon errors that are not a definite
// answer are retried every PollInterval until ctx ends.
func (r *Rail) Status(ctx context.Context, c htlc.Contract) (htlc.Status, error) {
	in, err := r.inspect(ctx, c)
	return in.status, err
}

func (r *Rail) inspect(ctx context.Context, c htlc.Contract) (inspection, error) {
	if err := ctx.Err(); err != nil {
		return inspection{}, err
	}
	refund, err := r.contractRefund(c)
	if err != nil {
		return inspection{}, err
	}
	for {
		in, err := r.inspectOnce(c, refund)
		if !isTransient(err) {
			return in, err
		}
		if werr := htlc.Wait(ctx, r.cfg.PollInterval); werr != nil {
			return inspection{}, errors.Join(fmt.Errorf("escrow %s: %w", c.Ref, werr), err)
		}
	}
}

func (r *Rail) inspectOnce(c htlc.Contract, refund refundTx) (inspection, error) {
	h := newEscrowHistory(c, refund, r.cfg.Passphrase)
	cursor := ""
	if err := r.follow(h, &cursor); err != nil {
		return inspection{}, err
	}
	switch {
	case h.seen == 0:
		return inspection{}, fmt.Errorf("%w: escrow %s has no transactions", htlc.ErrNotFound, refund.escrow)
	case h.fundErr != nil:
		return inspection{}, fmt.Errorf("%w: escrow %s: %v", htlc.ErrTermsMismatch, refund.escrow, h.fundErr)
	case h.end != nil:
		return settled(c, refund, h), nil
	case h.strayMerge != nil:
		return inspection{}, h.strayMergeErr()
	}
	return r.locked(refund, h)
}

// contractRefund is the contract's refund transaction, which must spend
// the contract's escrow.
func (r *Rail) contractRefund(c htlc.Contract) (refundTx, error) {
	if !strkey.IsValidEd25519PublicKey(c.Ref) {
		return refundTx{}, fmt.Errorf("%w: contract ref %q is not an escrow account (G...)", htlc.ErrTermsMismatch, c.Ref)
	}
	refund, err := parseRefund(c.Data[DataRefundTx], r.cfg.Passphrase)
	if err != nil {
		return refundTx{}, err
	}
	if refund.escrow != c.Ref {
		return refundTx{}, fmt.Errorf("%w: the refund transaction spends %s, the contract's escrow is %s", htlc.ErrTermsMismatch, refund.escrow, c.Ref)
	}
	return refund, nil
}

// locked reads the escrow account while its history shows no settlement.
func (r *Rail) locked(refund refundTx, h *escrowHistory) (inspection, error) {
	acc, err := r.hc.AccountDetail(horizonclient.AccountRequest{AccountID: refund.escrow})
	if horizonclient.IsNotFoundError(err) {
		// Only a merge deletes an account: one that landed after the
		// history was read. The next read tells which.
		return inspection{}, &transientError{err: fmt.Errorf("%w: escrow %s is gone; its history does not say how yet", htlc.ErrNotFound, refund.escrow)}
	}
	if err != nil {
		return inspection{}, fmt.Errorf("read escrow %s: %w", refund.escrow, horizonError(err))
	}
	terms, err := checkEscrow(acc, refund, h.funded)
	if err != nil {
		return inspection{}, err
	}
	st := htlc.Status{State: htlc.StateLocked, Terms: terms}
	if h.setup != nil {
		st.TxID = h.setup.Hash
	}
	return inspection{status: st, refund: refund, seq: acc.Sequence}, nil
}

// settled is an escrow whose history holds its refund or a claim. The
// terms are what the history says: the setup's signers, the funding, the
// refund.
func settled(c htlc.Contract, refund refundTx, h *escrowHistory) inspection {
	terms := htlc.Terms{
		Hash: h.hash, Sender: refund.sender, Recipient: h.recipient,
		Amount: amount.StringFromInt64(h.funded - EscrowOverhead), Expiry: refund.expiry,
	}
	if h.setup == nil {
		// Not locked by this adapter's setup: only the contract says.
		terms.Hash, terms.Recipient = c.Terms.Hash, c.Terms.Recipient
	}
	st := htlc.Status{State: h.state, Terms: terms, TxID: h.end.Hash}
	if h.state == htlc.StateClaimed {
		secret := h.secret
		st.Secret = &secret
	}
	return inspection{status: st, refund: refund}
}
