package swap

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// ErrWrongParty: the step is run with keys that do not belong to the party
// the document names for it.
var ErrWrongParty = errors.New("wrong party for this step")

// ErrWrongStage: the step does not fit where the swap is.
var ErrWrongStage = errors.New("swap is not at this stage")

// Rails are the adapters a party has configured, by rail name.
type Rails map[string]htlc.Rail

func (r Rails) get(name string) (htlc.Rail, error) {
	rail, ok := r[name]
	if !ok {
		return nil, fmt.Errorf("no %q rail configured: add it to the swap section of the config", name)
	}
	return rail, nil
}

// LegSpec is what the parties agree for one leg before it has expiries.
type LegSpec struct {
	Rail      string
	Sender    string
	Recipient string
	Amount    string
	Finality  time.Duration
	LateClaim time.Duration
}

// NewPlan builds the document for a swap starting at now: the responder's
// leg runs for window (at least the minimum the finalities need) and the
// initiator's for the safety margin more.
func NewPlan(now time.Time, initiator, responder LegSpec, relayerDelay, window time.Duration) (Swap, error) {
	if initiator.Rail == responder.Rail {
		return Swap{}, fmt.Errorf("both legs are on %s: a swap crosses two rails", initiator.Rail)
	}
	p := htlc.SafePlan(now,
		htlc.Leg{Rail: initiator.Rail, Finality: initiator.Finality, LateClaim: initiator.LateClaim},
		htlc.Leg{Rail: responder.Rail, Finality: responder.Finality, LateClaim: responder.LateClaim}, relayerDelay, window)
	s := Swap{
		Version:      Version,
		RelayerDelay: Duration(relayerDelay),
		Initiator:    newLeg(initiator, p.Initiator.Expiry),
		Responder:    newLeg(responder, p.Responder.Expiry),
	}
	for _, l := range []Leg{s.Initiator, s.Responder} {
		t := l.Terms
		t.Hash = hashlock.Hash{1} // checked once drawn; everything else now
		if err := t.Check(); err != nil {
			return s, fmt.Errorf("%s leg: %w", l.Rail, err)
		}
	}
	return s, s.Plan().Check(now)
}

func newLeg(spec LegSpec, expiry time.Time) Leg {
	return Leg{
		Rail:      spec.Rail,
		Finality:  Duration(spec.Finality),
		LateClaim: Duration(spec.LateClaim),
		Terms:     htlc.Terms{Sender: spec.Sender, Recipient: spec.Recipient, Amount: spec.Amount, Expiry: expiry},
	}
}

// Initiate locks the initiator's leg under secret's hash. The caller saves
// the secret before calling it, so a crash after the lock never loses it.
func Initiate(ctx context.Context, s *Swap, rails Rails, secret hashlock.Secret, relayerDelay time.Duration, now time.Time) error {
	if !s.Hash.IsZero() || s.Initiator.Contract != nil {
		return fmt.Errorf("%w: already initiated under hash %s", ErrWrongStage, s.Hash)
	}
	rail, err := ownLeg(rails, s.Initiator, "sender")
	if err != nil {
		return err
	}
	if err := s.planFor(rails, relayerDelay).Check(now); err != nil {
		return fmt.Errorf("plan a new swap: %w", err)
	}
	s.Hash = secret.Hash()
	s.Initiator.Terms.Hash, s.Responder.Terms.Hash = s.Hash, s.Hash
	c, err := rail.Lock(ctx, s.Initiator.Terms)
	keepContract(&s.Initiator, c)
	if err != nil {
		return fmt.Errorf("lock the initiator's leg on %s: %w", rail.Name(), err)
	}
	return nil
}

// Participate verifies the initiator's leg on its rail (locked, exactly the
// agreed terms, payable to this party) and that the expiries are still
// safe by this party's own finalities and relayer delay, then locks the
// responder's leg under the same hash.
func Participate(ctx context.Context, s *Swap, rails Rails, relayerDelay time.Duration, now time.Time) error {
	if s.Initiator.Contract == nil || s.Hash.IsZero() {
		return fmt.Errorf("%w: the initiator has not locked its leg yet (run swap initiate first)", ErrWrongStage)
	}
	if s.Responder.Contract != nil {
		return fmt.Errorf("%w: the responder's leg is already locked (%s)", ErrWrongStage, s.Responder.Contract.Ref)
	}
	rail, err := ownLeg(rails, s.Responder, "sender")
	if err != nil {
		return err
	}
	if _, err := ownLeg(rails, s.Initiator, "recipient"); err != nil {
		return err
	}
	if err := verifyLocked(ctx, rails, s.Hash, s.Initiator); err != nil {
		return err
	}
	if err := s.planFor(rails, relayerDelay).Check(now); err != nil {
		return fmt.Errorf("too late to participate: %w", err)
	}
	c, err := rail.Lock(ctx, s.Responder.Terms)
	keepContract(&s.Responder, c)
	if err != nil {
		return fmt.Errorf("lock the responder's leg on %s: %w", rail.Name(), err)
	}
	return nil
}

// keepContract records a lock's contract even when Lock also returned an
// error (say, it was broadcast but not confirmed in time): funds may be
// locked behind it, and the document is how they are refunded.
func keepContract(l *Leg, c htlc.Contract) {
	if c.Ref != "" {
		l.Contract = &c
	}
}

// Claim takes the leg payable to this party. secret may be nil for the
// responder: it is then read from the initiator's claim on the other leg.
func Claim(ctx context.Context, s *Swap, rails Rails, secret *hashlock.Secret) (string, error) {
	mine, other, err := legToClaim(rails, s)
	if err != nil {
		return "", err
	}
	if err := verifyLocked(ctx, rails, s.Hash, *mine); err != nil {
		return "", err
	}
	if secret == nil {
		found, err := revealed(ctx, rails, *other)
		if err != nil {
			return "", err
		}
		secret = &found
	}
	rail, _ := rails.get(mine.Rail)
	if left := time.Until(mine.Terms.Expiry); left < rail.Finality() {
		// A claim landing after the expiry fails but still publishes the
		// secret: the counterparty could then take its own leg back and
		// this one too.
		return "", fmt.Errorf("%w: the %s leg expires in %s, less than the rail's finality %s: a claim now could land too late and still publish the secret",
			htlc.ErrExpired, mine.Rail, left.Round(time.Second), rail.Finality())
	}
	tx, err := rail.Claim(ctx, *mine.Contract, *secret)
	if err != nil {
		return "", fmt.Errorf("claim on %s: %w", rail.Name(), err)
	}
	return tx, nil
}

// Refund takes back this party's own leg after its expiry.
func Refund(ctx context.Context, s *Swap, rails Rails) (string, error) {
	for _, l := range []Leg{s.Initiator, s.Responder} {
		rail, err := ownLeg(rails, l, "sender")
		if err != nil || l.Contract == nil {
			continue
		}
		tx, err := rail.Refund(ctx, *l.Contract)
		if err != nil {
			return "", fmt.Errorf("refund on %s: %w", rail.Name(), err)
		}
		return tx, nil
	}
	return "", fmt.Errorf("%w: no locked leg in this document is sent by your keys", ErrWrongParty)
}

// WatchResult is how a watch ended: the secret seen on the other leg and
// this party's claim with it, or this party's own leg refunded because the
// counterparty let it expire unclaimed.
type WatchResult struct {
	Secret  *hashlock.Secret `json:"secret,omitempty"`
	ClaimTx string           `json:"claim_tx,omitempty"`
	// Refunded is set when this party's own leg came back; RefundTx is
	// empty if the rail refunded it by itself (the hub's end-block refund).
	Refunded bool   `json:"refunded,omitempty"`
	RefundTx string `json:"refund_tx,omitempty"`
}

// Watch waits until the other leg is claimed and claims this party's leg
// with the secret that claim revealed. If this party sent the watched leg
// (it is the responder), it also refunds that leg as soon as it expires:
// Stellar and Bitcoin take a late claim until the refund is final, so
// waiting would let the initiator claim it after this party's own claim
// window had closed. retry paces refund attempts.
func Watch(ctx context.Context, s *Swap, rails Rails, retry time.Duration) (WatchResult, error) {
	mine, other, err := legToClaim(rails, s)
	if err != nil {
		return WatchResult{}, err
	}
	if other.Contract == nil {
		return WatchResult{}, fmt.Errorf("%w: the %s leg is not locked yet", ErrWrongStage, other.Rail)
	}
	if err := verifyLocked(ctx, rails, s.Hash, *mine); err != nil {
		return WatchResult{}, err
	}
	watched, err := rails.get(other.Rail)
	if err != nil {
		return WatchResult{}, err
	}
	rail, _ := rails.get(mine.Rail)
	complete := func(ctx context.Context) (WatchResult, error) {
		done, err := htlc.Complete(ctx, watched, *other.Contract, rail, *mine.Contract)
		res := WatchResult{ClaimTx: done.ClaimTx}
		if done.Secret != (hashlock.Secret{}) {
			res.Secret = &done.Secret
		}
		return res, err
	}
	if _, err := ownLeg(rails, *other, "sender"); err != nil {
		return complete(ctx)
	}
	untilExpiry, cancel := context.WithDeadline(ctx, other.Terms.Expiry)
	res, err := complete(untilExpiry)
	cancel()
	if err == nil || ctx.Err() != nil || (untilExpiry.Err() == nil && !errors.Is(err, htlc.ErrRefunded)) {
		return res, err
	}
	return refundWatched(ctx, watched, *other.Contract, retry, complete)
}

// refundWatched refunds this party's own expired leg, retrying while the
// rail says it is too early (Bitcoin's median time lags) or does not
// answer. If a late claim got there first, the secret is out: it claims
// with it instead.
func refundWatched(ctx context.Context, rail htlc.Rail, c htlc.Contract, retry time.Duration,
	complete func(context.Context) (WatchResult, error)) (WatchResult, error) {
	for {
		tx, err := rail.Refund(ctx, c)
		switch {
		case err == nil:
			return WatchResult{Refunded: true, RefundTx: tx}, nil
		case errors.Is(err, htlc.ErrRefunded):
			return WatchResult{Refunded: true}, nil
		case errors.Is(err, htlc.ErrClaimed):
			return complete(ctx)
		}
		if werr := htlc.Wait(ctx, retry); werr != nil {
			return WatchResult{}, fmt.Errorf("refund the expired %s leg %s: %w (last attempt: %v)", rail.Name(), c.Ref, werr, err)
		}
	}
}

// LegStatus is one leg as its rail reports it.
type LegStatus struct {
	Rail   string       `json:"rail"`
	Ref    string       `json:"ref,omitempty"`
	Status *htlc.Status `json:"status,omitempty"`
	Error  string       `json:"error,omitempty"`
}

// Status reads both legs from the rails this party has configured.
func Status(ctx context.Context, s *Swap, rails Rails) []LegStatus {
	var out []LegStatus
	for _, l := range []Leg{s.Initiator, s.Responder} {
		ls := LegStatus{Rail: l.Rail}
		switch rail, err := rails.get(l.Rail); {
		case l.Contract == nil:
			ls.Error = "not locked yet"
		case err != nil:
			ls.Ref, ls.Error = l.Contract.Ref, err.Error()
		default:
			ls.Ref = l.Contract.Ref
			st, err := rail.Status(ctx, *l.Contract)
			if err != nil {
				ls.Error = err.Error()
			} else {
				ls.Status = &st
			}
		}
		out = append(out, ls)
	}
	return out
}

// planFor is the document's plan judged with the larger of the document's
// and this party's own finalities and relayer delay: whoever wrote the
// plan cannot shrink the margin the other party relies on.
func (s Swap) planFor(rails Rails, relayerDelay time.Duration) htlc.Plan {
	p := s.Plan()
	p.RelayerDelay = max(p.RelayerDelay, relayerDelay)
	for _, leg := range []*htlc.Leg{&p.Initiator, &p.Responder} {
		if rail, ok := rails[leg.Rail]; ok {
			leg.Finality = max(leg.Finality, rail.Finality())
			leg.LateClaim = max(leg.LateClaim, rail.LateClaim(p.RelayerDelay))
		}
	}
	return p
}

// ownLeg returns the rail of leg l if this party's key there is the leg's
// sender or recipient (as role says).
func ownLeg(rails Rails, l Leg, role string) (htlc.Rail, error) {
	rail, err := rails.get(l.Rail)
	if err != nil {
		return nil, err
	}
	want := l.Terms.Sender
	if role == "recipient" {
		want = l.Terms.Recipient
	}
	if rail.Account() != want {
		return nil, fmt.Errorf("%w: the %s leg's %s is %s, your %s key is %s", ErrWrongParty, l.Rail, role, want, l.Rail, rail.Account())
	}
	return rail, nil
}

// legToClaim finds the leg payable to this party and the other one.
func legToClaim(rails Rails, s *Swap) (mine, other *Leg, err error) {
	if _, err := ownLeg(rails, s.Responder, "recipient"); err == nil {
		mine, other = &s.Responder, &s.Initiator
	} else if _, err := ownLeg(rails, s.Initiator, "recipient"); err == nil {
		mine, other = &s.Initiator, &s.Responder
	} else {
		return nil, nil, fmt.Errorf("%w: neither leg of this swap is payable to your keys", ErrWrongParty)
	}
	if mine.Contract == nil {
		return nil, nil, fmt.Errorf("%w: the %s leg payable to you is not locked yet", ErrWrongStage, mine.Rail)
	}
	return mine, other, nil
}

// verifyLocked reads a leg from its rail and checks it is still locked
// under the swap's hash with exactly the agreed terms.
func verifyLocked(ctx context.Context, rails Rails, h hashlock.Hash, l Leg) error {
	rail, err := rails.get(l.Rail)
	if err != nil {
		return err
	}
	if l.Terms.Hash != h || l.Contract.Terms.Hash != h {
		return fmt.Errorf("%w: the %s leg is not locked under the swap's hash %s", htlc.ErrTermsMismatch, l.Rail, h)
	}
	if err := l.Terms.Match(l.Contract.Terms); err != nil {
		return fmt.Errorf("the %s contract in the document: %w", l.Rail, err)
	}
	st, err := rail.Status(ctx, *l.Contract)
	if err != nil {
		return fmt.Errorf("read the %s leg %s: %w", l.Rail, l.Contract.Ref, err)
	}
	if err := l.Terms.Match(st.Terms); err != nil {
		return fmt.Errorf("the %s leg %s: %w", l.Rail, l.Contract.Ref, err)
	}
	switch st.State {
	case htlc.StateLocked:
		return nil
	case htlc.StateClaimed:
		return fmt.Errorf("the %s leg %s: %w", l.Rail, l.Contract.Ref, htlc.ErrClaimed)
	case htlc.StateRefunded:
		return fmt.Errorf("the %s leg %s: %w", l.Rail, l.Contract.Ref, htlc.ErrRefunded)
	}
	return fmt.Errorf("the %s leg %s is %s", l.Rail, l.Contract.Ref, st.State)
}

// revealed reads the secret from a claimed leg.
func revealed(ctx context.Context, rails Rails, l Leg) (hashlock.Secret, error) {
	rail, err := rails.get(l.Rail)
	if err != nil || l.Contract == nil {
		return hashlock.Secret{}, fmt.Errorf("no secret given and the %s leg cannot be read: %v", l.Rail, err)
	}
	st, err := rail.Status(ctx, *l.Contract)
	if err != nil {
		return hashlock.Secret{}, fmt.Errorf("read the %s leg for its secret: %w", l.Rail, err)
	}
	if st.State != htlc.StateClaimed || st.Secret == nil {
		return hashlock.Secret{}, fmt.Errorf("%w: the %s leg is %s, no secret revealed yet (pass --secret, or use swap watch)", ErrWrongStage, l.Rail, st.State)
	}
	return hashlock.Verify(l.Terms.Hash, st.Secret[:])
}
