package htlc

import (
	"context"
	"errors"
	"fmt"

	"github.com/vinhub/vinhub/hashlock"
)

// Completion is what Complete did.
type Completion struct {
	Secret  hashlock.Secret `json:"secret"`
	ClaimTx string          `json:"claim_tx"`
}

// Complete is the responder's (or a relayer's) half of a swap: it waits
// until the watched contract is claimed, takes the secret from that claim
// and claims the other contract with it. The secret is checked against the
// claimed contract's hash before it is used.
func Complete(ctx context.Context, watched Rail, w Contract, claimOn Rail, c Contract) (Completion, error) {
	if w.Terms.Hash != c.Terms.Hash {
		return Completion{}, fmt.Errorf("%w: the watched %s contract is locked under %s, the %s one under %s",
			ErrTermsMismatch, watched.Name(), w.Terms.Hash, claimOn.Name(), c.Terms.Hash)
	}
	secret, err := watched.WatchSecret(ctx, w)
	if err != nil {
		return Completion{}, fmt.Errorf("watch %s contract %s: %w", watched.Name(), w.Ref, err)
	}
	if _, err := hashlock.Verify(c.Terms.Hash, secret[:]); err != nil {
		return Completion{}, fmt.Errorf("secret read from %s: %w", watched.Name(), err)
	}
	tx, err := claimOn.Claim(ctx, c, secret)
	if errors.Is(err, ErrClaimed) {
		// Someone (a relayer, the recipient by hand) was first: the
		// recipient has the funds either way.
		st, serr := claimOn.Status(ctx, c)
		if serr == nil && st.State == StateClaimed {
			return Completion{Secret: secret, ClaimTx: st.TxID}, nil
		}
	}
	if err != nil {
		return Completion{Secret: secret}, fmt.Errorf("claim %s contract %s: %w", claimOn.Name(), c.Ref, err)
	}
	return Completion{Secret: secret, ClaimTx: tx}, nil
}
