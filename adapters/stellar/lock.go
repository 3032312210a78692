package stellar

import (
	"context"
	"errors"
	"fmt"

	"github.com/stellar/go-stellar-sdk/amount"
	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/txnbuild"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// Lock creates and funds a fresh escrow account with Amount +
// EscrowOverhead, then in a second transaction installs its signers (see
// the package doc) and disables its master key, whose secret is dropped.
// If the second step fails, the escrow is merged back to the sender.
func (r *Rail) Lock(ctx context.Context, t htlc.Terms) (htlc.Contract, error) {
	stroops, err := r.checkTerms(t)
	if err != nil {
		return htlc.Contract{}, err
	}
	l, err := r.latestLedger()
	if err != nil {
		return htlc.Contract{}, fmt.Errorf("lock: %w", err)
	}
	if need := (2+escrowSigners)*l.baseReserve + r.cfg.BaseFee; need > EscrowOverhead {
		return htlc.Contract{}, fmt.Errorf("lock: this network's base reserve of %s XLM needs %s XLM in the escrow, more than its fixed overhead of %s",
			amount.StringFromInt64(l.baseReserve), amount.StringFromInt64(need), amount.StringFromInt64(EscrowOverhead))
	}
	if !t.Expiry.After(l.closeTime) {
		return htlc.Contract{}, fmt.Errorf("%w: expiry %s is not after the latest ledger's close time %s", htlc.ErrInvalidTerms, stamp(t.Expiry), stamp(l.closeTime))
	}
	escrow, err := keypair.Random()
	if err != nil {
		return htlc.Contract{}, fmt.Errorf("lock: escrow key: %w", err)
	}
	if err := r.fundEscrow(ctx, escrow.Address(), stroops+EscrowOverhead); err != nil {
		return htlc.Contract{}, fmt.Errorf("lock: fund escrow %s: %w", escrow.Address(), err)
	}
	refund, err := r.setupEscrow(ctx, escrow, t)
	c := htlc.Contract{Rail: Name, Ref: escrow.Address(), Terms: t, Data: map[string]string{DataRefundTx: refund.envelope}}
	if err == nil {
		return c, nil
	}
	// A submission that timed out may still have applied.
	if st, serr := r.Status(ctx, c); serr == nil && st.State == htlc.StateLocked && t.Match(st.Terms) == nil {
		return c, nil
	}
	return htlc.Contract{}, r.unwind(escrow, refund, fmt.Errorf("lock: set up escrow %s: %w", escrow.Address(), err))
}

// checkTerms refuses what this rail cannot lock and returns the amount in
// stroops.
func (r *Rail) checkTerms(t htlc.Terms) (int64, error) {
	if err := t.Check(); err != nil {
		return 0, err
	}
	switch {
	case t.Sender != r.Account():
		return 0, fmt.Errorf("%w: sender %s is not this rail's account %s", htlc.ErrInvalidTerms, t.Sender, r.Account())
	case !strkey.IsValidEd25519PublicKey(t.Recipient):
		return 0, fmt.Errorf("%w: recipient %q is not a G... account", htlc.ErrInvalidTerms, t.Recipient)
	case t.Expiry.Nanosecond() != 0:
		return 0, fmt.Errorf("%w: expiry %s is not a whole second; Stellar time bounds are seconds", htlc.ErrInvalidTerms, t.Expiry.Format("15:04:05.000"))
	}
	return ParseAmount(t.Amount)
}

func (r *Rail) fundEscrow(ctx context.Context, escrow string, stroops int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := r.senderTx(&txnbuild.CreateAccount{Destination: escrow, Amount: amount.StringFromInt64(stroops)})
	if err != nil {
		return err
	}
	if tx, err = tx.Sign(r.cfg.Passphrase, r.key); err != nil {
		return err
	}
	_, err = r.submit(tx)
	return err
}

// setupEscrow pre-builds the refund at the escrow's next sequence number
// and installs the signers, thresholds and master weight 0. The sender
// pays the fee; the operations act on the escrow, whose master key signs
// for the last time.
func (r *Rail) setupEscrow(ctx context.Context, escrow *keypair.Full, t htlc.Terms) (refundTx, error) {
	if err := ctx.Err(); err != nil {
		return refundTx{}, err
	}
	acc, err := r.hc.AccountDetail(horizonclient.AccountRequest{AccountID: escrow.Address()})
	if err != nil {
		return refundTx{}, fmt.Errorf("read escrow: %w", err)
	}
	refund, err := buildRefund(escrow.Address(), acc.Sequence, t.Sender, t.Expiry, r.cfg.BaseFee, r.cfg.Passphrase)
	if err != nil {
		return refundTx{}, err
	}
	ops, err := setupOps(escrow.Address(), t, refund)
	if err != nil {
		return refundTx{}, err
	}
	return refund, r.submitWithEscrow(escrow, ops)
}

// setupOps are the lock's operations on the escrow: its three signers,
// then master weight 0 and thresholds 2.
func setupOps(escrow string, t htlc.Terms, refund refundTx) ([]txnbuild.Operation, error) {
	hashX, err := strkey.Encode(strkey.VersionByteHashX, t.Hash[:])
	if err != nil {
		return nil, err
	}
	signer := func(key string, w txnbuild.Threshold) txnbuild.Operation {
		return &txnbuild.SetOptions{SourceAccount: escrow, Signer: &txnbuild.Signer{Address: key, Weight: w}}
	}
	th := txnbuild.Threshold(escrowThreshold)
	return []txnbuild.Operation{
		signer(t.Recipient, weightRecipient),
		signer(hashX, weightHashX),
		signer(refund.preAuthSigner(), weightRefund),
		&txnbuild.SetOptions{
			SourceAccount: escrow, MasterWeight: txnbuild.NewThreshold(0),
			LowThreshold: &th, MediumThreshold: &th, HighThreshold: &th,
		},
	}, nil
}

// submitWithEscrow sends ops from the sender's account, signed by the
// sender and the escrow.
func (r *Rail) submitWithEscrow(escrow *keypair.Full, ops []txnbuild.Operation) error {
	tx, err := r.senderTx(ops...)
	if err != nil {
		return err
	}
	if tx, err = tx.Sign(r.cfg.Passphrase, r.key, escrow); err != nil {
		return err
	}
	_, err = r.submit(tx)
	return err
}

// senderTx builds a transaction from this rail's account at its next
// sequence number.
func (r *Rail) senderTx(ops ...txnbuild.Operation) (*txnbuild.Transaction, error) {
	acc, err := r.hc.AccountDetail(horizonclient.AccountRequest{AccountID: r.Account()})
	if err != nil {
		return nil, fmt.Errorf("read sender %s: %w", r.Account(), err)
	}
	return txnbuild.NewTransaction(txnbuild.TransactionParams{
		SourceAccount: &acc, IncrementSequenceNum: true, Operations: ops, BaseFee: r.cfg.BaseFee,
		Preconditions: txnbuild.Preconditions{TimeBounds: txnbuild.NewInfiniteTimeout()},
	})
}

// unwind merges a funded escrow whose setup failed back to the sender,
// with the escrow's master key while it still works. If that fails too,
// the master key is handed to Config.KeepEscrowKey (never to the error,
// which the CLI prints): with it MergeEscrow can still bring the funds back;
// if the setup applied after all, the refund transaction does after expiry.
func (r *Rail) unwind(escrow *keypair.Full, refund refundTx, cause error) error {
	err := r.mergeEscrow(escrow)
	if err == nil {
		return errors.Join(cause, fmt.Errorf("the escrow was merged back to %s", r.Account()))
	}
	stuck := fmt.Errorf("merging escrow %s back to %s failed too (%w); %s", escrow.Address(), r.Account(), err, r.keepEscrowKey(escrow))
	if refund.envelope != "" {
		stuck = fmt.Errorf("%w; if the setup applied after all, submit this refund after the expiry: %s", stuck, refund.envelope)
	}
	return errors.Join(cause, stuck)
}

// keepEscrowKey hands a stuck escrow's seed to the keeper and says what the
// operator must do, without the seed.
func (r *Rail) keepEscrowKey(escrow *keypair.Full) string {
	if r.cfg.KeepEscrowKey == nil {
		return "no KeepEscrowKey is configured, so its master key was dropped: if the setup never applied, the funds stay in the escrow"
	}
	where, err := r.cfg.KeepEscrowKey(escrow.Address(), escrow.Seed())
	if err != nil {
		return fmt.Sprintf("keeping its master key failed (%v): if the setup never applied, the funds stay in the escrow", err)
	}
	return fmt.Sprintf("its master key was kept in %s: once Horizon answers, merge the escrow back with it (vinrelay swap merge-escrow %s)", where, escrow.Address())
}

// MergeEscrow merges an escrow whose setup never applied (its master key
// still signs) into this rail's account, with the seed KeepEscrowKey kept.
func (r *Rail) MergeEscrow(ctx context.Context, seed string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	escrow, err := keypair.ParseFull(seed)
	if err != nil {
		return errors.New("stellar: the escrow key is not a Stellar secret seed (S...)")
	}
	if err := r.mergeEscrow(escrow); err != nil {
		return fmt.Errorf("merge escrow %s into %s: %w", escrow.Address(), r.Account(), err)
	}
	return nil
}

// mergeEscrow merges the escrow into this rail's account, signed by the
// escrow's master key.
func (r *Rail) mergeEscrow(escrow *keypair.Full) error {
	acc, err := r.hc.AccountDetail(horizonclient.AccountRequest{AccountID: escrow.Address()})
	if err != nil {
		return err
	}
	tx, err := mergeTx(escrow.Address(), acc.Sequence, r.Account(), txnbuild.NewInfiniteTimeout(), r.cfg.BaseFee)
	if err != nil {
		return err
	}
	if tx, err = tx.Sign(r.cfg.Passphrase, escrow); err != nil {
		return err
	}
	_, err = r.submit(tx)
	return err
}
