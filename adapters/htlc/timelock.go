package htlc

import (
	"fmt"
	"time"
)

// Leg is one side of a swap for the timelock check.
type Leg struct {
	Rail     string
	Expiry   time.Time
	Finality time.Duration
	// LateClaim is how long after Expiry the leg may still be claimed
	// (Rail.LateClaim): the responder's leg's widens the margin.
	LateClaim time.Duration
}

// Plan is the two legs of a swap. The initiator knows the secret and its
// leg is claimed last (by the responder), so it must expire last.
type Plan struct {
	Initiator Leg
	Responder Leg
	// RelayerDelay is how long the responder (or its watcher) may take to
	// notice the secret on one rail and submit the claim on the other.
	RelayerDelay time.Duration
}

// Margin is how much later the initiator's leg must expire than the
// responder's: the initiator may claim the responder's leg at its last
// moment (its expiry, plus LateClaim on a rail that does not itself refuse
// late claims); that claim needs the responder rail's finality before the
// secret can be relied on, the watcher needs RelayerDelay to act, and its
// claim needs the initiator rail's finality before the initiator's expiry.
func (p Plan) Margin() time.Duration {
	return p.Responder.LateClaim + p.Responder.Finality + p.RelayerDelay + p.Initiator.Finality
}

// MinWindow is the least time the responder's leg must still run at now:
// its lock becoming final, the initiator noticing it, and the initiator's
// claim becoming final.
func (p Plan) MinWindow() time.Duration {
	return 2*p.Responder.Finality + p.RelayerDelay
}

// Check refuses an unsafe ordering with the numbers in the error.
func (p Plan) Check(now time.Time) error {
	if p.Initiator.Finality < 0 || p.Responder.Finality < 0 || p.RelayerDelay < 0 || p.Responder.LateClaim < 0 {
		return fmt.Errorf("%w: negative finality, late-claim window or relayer delay", ErrUnsafeTimelocks)
	}
	if left := p.Responder.Expiry.Sub(now); left < p.MinWindow() {
		return fmt.Errorf("%w: the responder's %s leg expires at %s, %s from now; it needs at least %s (2 x %s finality %s + relayer delay %s)",
			ErrUnsafeTimelocks, p.Responder.Rail, stamp(p.Responder.Expiry), left.Round(time.Second), p.MinWindow(),
			p.Responder.Rail, p.Responder.Finality, p.RelayerDelay)
	}
	gap := p.Initiator.Expiry.Sub(p.Responder.Expiry)
	if gap < p.Margin() {
		return fmt.Errorf("%w: the initiator's %s leg expires at %s and the responder's %s leg at %s: the initiator's must be later by at least %s (%s late claims %s + %s finality %s + relayer delay %s + %s finality %s), it is later by %s",
			ErrUnsafeTimelocks, p.Initiator.Rail, stamp(p.Initiator.Expiry), p.Responder.Rail, stamp(p.Responder.Expiry),
			p.Margin(), p.Responder.Rail, p.Responder.LateClaim, p.Responder.Rail, p.Responder.Finality, p.RelayerDelay,
			p.Initiator.Rail, p.Initiator.Finality, gap)
	}
	return nil
}

// SafePlan picks expiries for a swap starting at now: the responder's leg
// runs for responderWindow (at least MinWindow), the initiator's for that
// plus Margin. Both are whole seconds, as every rail keeps them.
func SafePlan(now time.Time, initiator, responder Leg, relayerDelay, responderWindow time.Duration) Plan {
	p := Plan{Initiator: initiator, Responder: responder, RelayerDelay: relayerDelay}
	if responderWindow < p.MinWindow() {
		responderWindow = p.MinWindow()
	}
	p.Responder.Expiry = now.Add(responderWindow).Truncate(time.Second).Add(time.Second)
	p.Initiator.Expiry = p.Responder.Expiry.Add(p.Margin()).Truncate(time.Second).Add(time.Second)
	return p
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
