package swap

import (
	"fmt"
	"time"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// Accept merges a document received from the counterparty into this
// party's own copy. Everything agreed must be unchanged; the counterparty
// may only add what it locked (its contract, and with the initiator's
// contract the hash). Without this, whoever sends the document back could
// rewrite the amounts or expiries the other party is about to rely on.
func Accept(own, received Swap) (Swap, error) {
	if own.Version != received.Version || own.RelayerDelay != received.RelayerDelay {
		return own, fmt.Errorf("%w: the received document changes the version or the relayer delay", htlc.ErrTermsMismatch)
	}
	merged := own
	if merged.Hash.IsZero() {
		merged.Hash = received.Hash
	} else if received.Hash != own.Hash {
		return own, fmt.Errorf("%w: the received document has hash %s, yours %s", htlc.ErrTermsMismatch, received.Hash, own.Hash)
	}
	for _, pair := range []struct {
		name      string
		own, recv *Leg
	}{{"initiator", &merged.Initiator, &received.Initiator}, {"responder", &merged.Responder, &received.Responder}} {
		if err := acceptLeg(pair.own, *pair.recv); err != nil {
			return own, fmt.Errorf("the %s leg: %w", pair.name, err)
		}
		pair.own.Terms.Hash = merged.Hash
	}
	return merged, nil
}

func acceptLeg(own *Leg, recv Leg) error {
	if own.Rail != recv.Rail || own.Finality != recv.Finality || own.LateClaim != recv.LateClaim {
		return fmt.Errorf("%w: rail, finality or late-claim window changed", htlc.ErrTermsMismatch)
	}
	agreed, got := own.Terms, recv.Terms
	agreed.Hash, got.Hash = hashlock.Hash{}, hashlock.Hash{}
	if err := agreed.Compare(got, "in the received document"); err != nil {
		return err
	}
	switch {
	case recv.Contract == nil:
	case own.Contract == nil:
		own.Contract = recv.Contract
	case own.Contract.Ref != recv.Contract.Ref:
		return fmt.Errorf("%w: contract %s, yours is %s", htlc.ErrTermsMismatch, recv.Contract.Ref, own.Contract.Ref)
	}
	return nil
}

// Consent is what a party says it agreed to, checked the first time it
// acts on a document it did not write: the amount it gives (on the leg it
// sends), the amount it gets, and the longest it will lock its own leg.
type Consent struct {
	Give, Get string
	MaxLock   time.Duration
}

// CheckConsent refuses a document that does not have this party give and
// get what it agreed, or that locks its leg for longer than MaxLock.
// normalize writes an amount the way a rail's terms do.
func (s Swap) CheckConsent(rails Rails, c Consent, normalize func(rail, amount string) (string, error), now time.Time) error {
	var gives, gets *Leg
	for _, l := range []*Leg{&s.Initiator, &s.Responder} {
		if _, err := ownLeg(rails, *l, "sender"); err == nil {
			gives = l
		}
		if _, err := ownLeg(rails, *l, "recipient"); err == nil {
			gets = l
		}
	}
	if gives == nil || gets == nil || gives == gets {
		return fmt.Errorf("%w: your keys must send one leg and receive the other", ErrWrongParty)
	}
	for _, want := range []struct {
		what, amount string
		leg          *Leg
	}{{"give", c.Give, gives}, {"get", c.Get, gets}} {
		amount, err := normalize(want.leg.Rail, want.amount)
		if err != nil {
			return fmt.Errorf("--%s: %w", want.what, err)
		}
		if amount != want.leg.Terms.Amount {
			return fmt.Errorf("%w: the document has you %s %s on %s; you agreed %s", htlc.ErrTermsMismatch,
				want.what, want.leg.Terms.Amount, want.leg.Rail, amount)
		}
	}
	if lock := gives.Terms.Expiry.Sub(now); c.MaxLock > 0 && lock > c.MaxLock {
		return fmt.Errorf("%w: your %s leg would stay locked until %s (%s), longer than the %s you accept", htlc.ErrTermsMismatch,
			gives.Rail, gives.Terms.Expiry.UTC().Format(time.RFC3339), lock.Round(time.Second), c.MaxLock)
	}
	return nil
}
