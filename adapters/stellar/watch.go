package stellar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/xdr"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// ErrNoPreimage: a transaction without a signature that could be the
// preimage of the hash.
var ErrNoPreimage = errors.New("no hashX signature for the hash lock in the transaction")

// SecretFromEnvelope takes the secret out of a claim: the decorated
// signature whose hint is the hash's last 4 bytes holds the preimage. The
// network would not have applied a claim with a wrong preimage, but it is
// checked against h anyway (length and hash), as every rail does.
func SecretFromEnvelope(envelopeXDR string, h htlc.Hash) (htlc.Secret, error) {
	var env xdr.TransactionEnvelope
	if err := xdr.SafeUnmarshalBase64(envelopeXDR, &env); err != nil {
		return htlc.Secret{}, fmt.Errorf("claim envelope: %w", err)
	}
	err := ErrNoPreimage
	for _, sig := range env.Signatures() {
		if !bytes.Equal(sig.Hint[:], h[len(h)-4:]) {
			continue
		}
		s, verr := htlc.Verify(h, sig.Signature)
		if verr == nil {
			return s, nil
		}
		err = verr
	}
	return htlc.Secret{}, err
}

// WatchSecret polls the escrow's transactions until one reveals the
// secret (the claim, whose hashX signature is the preimage) and returns
// it, or until the refund applies (ErrRefunded). Horizon errors are
// retried every PollInterval until ctx ends.
func (r *Rail) WatchSecret(ctx context.Context, c htlc.Contract) (htlc.Secret, error) {
	refund, err := r.contractRefund(c)
	if err != nil {
		return htlc.Secret{}, err
	}
	cursor := ""
	for {
		page, err := r.hc.Transactions(horizonclient.TransactionRequest{ForAccount: c.Ref, Cursor: cursor, Limit: pageLimit})
		if err == nil {
			for _, tx := range page.Embedded.Records {
				cursor = tx.PT
				if tx.Hash == refund.hashHex() {
					return htlc.Secret{}, fmt.Errorf("%w: escrow %s went back to %s in %s", htlc.ErrRefunded, c.Ref, refund.sender, tx.Hash)
				}
				if s, serr := SecretFromEnvelope(tx.EnvelopeXdr, c.Terms.Hash); serr == nil {
					return s, nil
				}
			}
			if len(page.Embedded.Records) == pageLimit {
				continue
			}
		}
		if herr := horizonclient.GetError(err); herr != nil && herr.Problem.Status == http.StatusBadRequest {
			return htlc.Secret{}, fmt.Errorf("watch escrow %s: %w", c.Ref, err)
		}
		if werr := sleep(ctx, r.cfg.PollInterval); werr != nil {
			return htlc.Secret{}, errors.Join(fmt.Errorf("watch escrow %s: %w", c.Ref, werr), err)
		}
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
