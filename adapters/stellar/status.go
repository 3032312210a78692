package stellar

import (
	"context"
	"fmt"

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
// them against the contract's refund transaction. Locked: the escrow
// exists and can only be claimed or refunded (checkEscrow); Terms come
// from its signers, its balance and the refund. Claimed or Refunded: the
// escrow was merged; the merge transaction tells which, and a claim's
// hashX signature is the secret.
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
	h, err := r.readHistory(c.Ref)
	if err != nil {
		return inspection{}, err
	}
	if h.merge != nil {
		return settled(c, refund, h)
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

// locked reads the escrow account while no merge has happened.
func (r *Rail) locked(refund refundTx, h escrowHistory) (inspection, error) {
	acc, err := r.hc.AccountDetail(horizonclient.AccountRequest{AccountID: refund.escrow})
	if horizonclient.IsNotFoundError(err) {
		return inspection{}, fmt.Errorf("%w: no escrow account %s and no merge in its history", htlc.ErrNotFound, refund.escrow)
	}
	if err != nil {
		return inspection{}, fmt.Errorf("read escrow %s: %w", refund.escrow, err)
	}
	terms, err := checkEscrow(acc, refund)
	if err != nil {
		return inspection{}, err
	}
	st := htlc.Status{State: htlc.StateLocked, Terms: terms}
	if h.setup != nil {
		st.TxID = h.setup.Hash
	}
	return inspection{status: st, refund: refund, seq: acc.Sequence}, nil
}

// settled reads a merged escrow from its history: the refund transaction
// merged it back to the sender, anything else was a claim and carries the
// preimage.
func settled(c htlc.Contract, refund refundTx, h escrowHistory) (inspection, error) {
	terms := htlc.Terms{Hash: h.hash, Sender: refund.sender, Recipient: h.recipient, Expiry: refund.expiry}
	if h.setup == nil {
		// Not locked by this adapter's setup: only the contract says.
		terms.Hash, terms.Recipient = c.Terms.Hash, c.Terms.Recipient
	}
	var err error
	if terms.Amount, err = mergedAmount(h.merge); err != nil {
		return inspection{}, err
	}
	st := htlc.Status{Terms: terms, TxID: h.merge.Hash}
	if h.merge.Hash == refund.hashHex() {
		st.State = htlc.StateRefunded
		return inspection{status: st, refund: refund}, nil
	}
	secret, err := SecretFromEnvelope(h.merge.EnvelopeXdr, terms.Hash)
	if err != nil {
		return inspection{}, fmt.Errorf("escrow %s was merged by %s, which is not its refund: %w", c.Ref, h.merge.Hash, err)
	}
	st.State, st.Secret = htlc.StateClaimed, &secret
	return inspection{status: st, refund: refund}, nil
}
