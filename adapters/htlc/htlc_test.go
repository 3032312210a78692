package htlc

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestHashRule(t *testing.T) {
	s, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	h := s.Hash()
	cases := []struct {
		name     string
		preimage []byte
		want     error
	}{
		{"right secret", s[:], nil},
		{"31 bytes", s[:31], ErrSecretLength},
		{"33 bytes", append(append([]byte{}, s[:]...), 0), ErrSecretLength},
		{"empty", nil, ErrSecretLength},
		{"wrong secret", bytes.Repeat([]byte{7}, 32), ErrWrongSecret},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Verify(h, tc.preimage)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify: %v, want %v", err, tc.want)
			}
			if tc.want == nil && got != s {
				t.Fatalf("Verify returned %s, want %s", got, s)
			}
		})
	}
}

func TestParse(t *testing.T) {
	s, _ := NewSecret()
	back, err := ParseSecret(s.String())
	if err != nil || back != s {
		t.Fatalf("ParseSecret round trip: %v %s", err, back)
	}
	if _, err := ParseSecret(s.String()[:62]); !errors.Is(err, ErrSecretLength) {
		t.Fatalf("31-byte hex secret: %v", err)
	}
	if _, err := ParseSecret("zz"); err == nil {
		t.Fatal("non-hex secret accepted")
	}
	if _, err := ParseHash(s.String() + "00"); !errors.Is(err, ErrHashLength) {
		t.Fatalf("33-byte hash: %v", err)
	}
	var h Hash
	if err := h.UnmarshalText([]byte(s.Hash().String())); err != nil || h != s.Hash() {
		t.Fatalf("hash text round trip: %v", err)
	}
}

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
	s, _ := NewSecret()
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

func FuzzParseSecret(f *testing.F) {
	f.Add("00")
	f.Add(strings.Repeat("ab", 32))
	f.Add(strings.Repeat("ab", 33))
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSecret(in)
		if err != nil {
			return
		}
		if _, err := Verify(s.Hash(), s[:]); err != nil {
			t.Fatalf("parsed secret does not verify: %v", err)
		}
	})
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
