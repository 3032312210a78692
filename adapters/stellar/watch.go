package stellar

import (
	"context"
	"errors"
	"fmt"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// WatchSecret polls the escrow's transactions until one reveals the
// secret (any transaction spending from the escrow with the preimage, as
// Status reads it) and returns it, or until the refund applies
// (ErrRefunded). Horizon errors that are not a definite answer are
// retried every PollInterval until ctx ends.
func (r *Rail) WatchSecret(ctx context.Context, c htlc.Contract) (hashlock.Secret, error) {
	refund, err := r.contractRefund(c)
	if err != nil {
		return hashlock.Secret{}, err
	}
	h := newEscrowHistory(c, refund, r.cfg.Passphrase)
	cursor := ""
	for {
		err := r.follow(h, &cursor)
		switch {
		case err != nil && !isTransient(err):
			return hashlock.Secret{}, fmt.Errorf("watch escrow %s: %w", c.Ref, err)
		case h.state == htlc.StateClaimed:
			return h.secret, nil
		case h.state == htlc.StateRefunded:
			return hashlock.Secret{}, fmt.Errorf("%w: escrow %s went back to %s in %s", htlc.ErrRefunded, c.Ref, refund.sender, h.end.Hash)
		case h.strayMerge != nil:
			return hashlock.Secret{}, fmt.Errorf("watch: %w", h.strayMergeErr())
		}
		if werr := htlc.Wait(ctx, r.cfg.PollInterval); werr != nil {
			return hashlock.Secret{}, errors.Join(fmt.Errorf("watch escrow %s: %w", c.Ref, werr), err)
		}
	}
}
