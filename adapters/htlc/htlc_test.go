package htlc

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vinhub/vinhub/hashlock"
)

func TestTimelockPlan(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	hub := Leg{Rail: "hub", Finality: 5 * time.Second}
	xlm := Leg{Rail: "stellar", Finality: 10 * time.Second}
	safe := SafePlan(now, hub, xlm, time.Minute, 10*time.Minute)
	if err := safe.Check(now); err != nil {
		t.Fatalf("SafePlan is unsafe: %v", err)
	}
	cases := []struct {
		name     string
		malleate func(p *Plan)
		want     string
	}{
		{"safe", func(*Plan) {}, ""},
		{"equal expiries", func(p *Plan) { p.Initiator.Expiry = p.Responder.Expiry }, "later by at least 1m15s"},
		{"initiator first", func(p *Plan) { p.Initiator.Expiry = p.Responder.Expiry.Add(-time.Minute) }, "it is later by -1m0s"},
		{"margin short by a second", func(p *Plan) { p.Initiator.Expiry = p.Responder.Expiry.Add(p.Margin() - time.Second) }, "it is later by 1m14s"},
		{"responder already expired", func(p *Plan) { p.Responder.Expiry = now.Add(-time.Second) }, "needs at least 1m20s"},
		{"negative finality", func(p *Plan) { p.Responder.Finality = -1 }, "negative"},
		{"responder rail takes late claims", func(p *Plan) { p.Responder.LateClaim = time.Hour }, "stellar late claims 1h0m0s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := safe
			tc.malleate(&p)
			err := p.Check(now)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrUnsafeTimelocks) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Check: %v, want ErrUnsafeTimelocks mentioning %q", err, tc.want)
			}
		})
	}
}

func TestTermsMatch(t *testing.T) {
	s, _ := hashlock.NewSecret()
	agreed := Terms{Hash: s.Hash(), Sender: "a", Recipient: "b", Amount: "10", Expiry: time.Unix(100, 0)}
	if err := agreed.Check(); err != nil {
		t.Fatal(err)
	}
	same := agreed
	same.Expiry = time.Unix(100, 0).Add(300 * time.Millisecond)
	if err := agreed.Match(same); err != nil {
		t.Fatalf("sub-second difference: %v", err)
	}
	other := agreed
	other.Amount = "9"
	if err := agreed.Match(other); !errors.Is(err, ErrTermsMismatch) || !strings.Contains(err.Error(), "amount") {
		t.Fatalf("amount mismatch: %v", err)
	}
	self := agreed
	self.Recipient = "a"
	if err := self.Check(); !errors.Is(err, ErrInvalidTerms) {
		t.Fatalf("self swap: %v", err)
	}
}

func TestStateText(t *testing.T) {
	for _, st := range []State{StateUnknown, StateLocked, StateClaimed, StateRefunded} {
		b, _ := st.MarshalText()
		var back State
		if err := back.UnmarshalText(b); err != nil || back != st {
			t.Fatalf("%s: %v %v", b, back, err)
		}
	}
	var s State
	if err := s.UnmarshalText([]byte("spent")); err == nil {
		t.Fatal("unknown state accepted")
	}
}
