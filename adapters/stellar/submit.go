package stellar

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/txnbuild"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// submit sends a transaction and waits for its ledger (Horizon's submit is
// synchronous). SEP-29's memo-required check stays on: a destination that
// needs a memo is refused before anything is sent.
func (r *Rail) submit(tx *txnbuild.Transaction) (hProtocol.Transaction, error) {
	resp, err := r.hc.SubmitTransaction(tx)
	if err != nil {
		return resp, withCodes(err)
	}
	return resp, nil
}

// resultCodes are Horizon's result codes of a failed submission, if any.
func resultCodes(err error) *hProtocol.TransactionResultCodes {
	var ce *codeError
	if errors.As(err, &ce) {
		return &ce.codes
	}
	var herr *horizonclient.Error
	if !errors.As(err, &herr) {
		return nil
	}
	rc, rerr := herr.ResultCodes()
	if rerr != nil {
		return nil
	}
	return rc
}

// codeError keeps Horizon's error and says its result codes.
type codeError struct {
	err   error
	codes hProtocol.TransactionResultCodes
}

func (e *codeError) Error() string {
	return fmt.Sprintf("the network refused it (%s)", strings.Join(append([]string{e.codes.TransactionCode}, e.codes.OperationCodes...), ", "))
}

func (e *codeError) Unwrap() error { return e.err }

// withCodes puts the result codes into the error's message, where a user
// reads them; errors.As still finds the *horizonclient.Error.
func withCodes(err error) error {
	if rc := resultCodes(err); rc != nil {
		return &codeError{err: err, codes: *rc}
	}
	return err
}

// refused maps a claim or refund the network refused to the rail's errors:
// a sequence number already used or an escrow already merged means the
// other path won; time bounds mean the expiry.
func (r *Rail) refused(ctx context.Context, c htlc.Contract, action string, err error) error {
	rc := resultCodes(err)
	if rc == nil {
		return fmt.Errorf("%s escrow %s: %w", action, c.Ref, err)
	}
	switch rc.TransactionCode {
	case "tx_too_late":
		return fmt.Errorf("%w: %s escrow %s: the ledger closed after its expiry %s: %w", htlc.ErrExpired, action, c.Ref, stamp(c.Terms.Expiry), err)
	case "tx_too_early":
		return fmt.Errorf("%w: %s escrow %s: the ledger closed before its expiry %s: %w", htlc.ErrNotExpired, action, c.Ref, stamp(c.Terms.Expiry), err)
	case "tx_bad_seq", "tx_no_source_account":
		if in, ierr := r.inspect(ctx, c); ierr == nil {
			if final := in.status.Settled(); final != nil {
				return fmt.Errorf("%s escrow %s: %w: %w", action, c.Ref, final, err)
			}
		}
	}
	return fmt.Errorf("%s escrow %s: %w", action, c.Ref, err)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
