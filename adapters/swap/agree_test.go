package swap

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// TestAccept: a document sent back may add the counterparty's contract
// (and with the initiator's, the hash) and nothing else.
func TestAccept(t *testing.T) {
	now := time.Now()
	seller, buyer := newParty(t), newParty(t)
	secret, _ := hashlock.NewSecret()
	own := plan(t, now, seller, buyer)
	locked := func(s *Swap) {
		s.Hash = secret.Hash()
		s.Initiator.Terms.Hash, s.Responder.Terms.Hash = s.Hash, s.Hash
		s.Initiator.Contract = &htlc.Contract{Rail: "bitcoin", Ref: "aa:0", Terms: s.Initiator.Terms}
	}
	cases := []struct {
		name     string
		malleate func(s *Swap)
		want     string
	}{
		{"unchanged", func(*Swap) {}, ""},
		{"the initiator's lock added", locked, ""},
		{"the responder's amount raised", func(s *Swap) { s.Responder.Terms.Amount = "2500.0000000" }, "amount"},
		{"the initiator's amount lowered", func(s *Swap) { s.Initiator.Terms.Amount = "1" }, "amount"},
		{"the responder's expiry moved", func(s *Swap) { s.Responder.Terms.Expiry = s.Responder.Terms.Expiry.Add(time.Hour) }, "expiry"},
		{"the recipient swapped", func(s *Swap) { s.Initiator.Terms.Recipient = s.Initiator.Terms.Sender }, "recipient"},
		{"a smaller late-claim window", func(s *Swap) { s.Responder.LateClaim = 0 }, "late-claim"},
		{"the relayer delay shrunk", func(s *Swap) { s.RelayerDelay = 0 }, "relayer delay"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			recv := own
			recv.Responder.LateClaim = Duration(time.Minute)
			o := own
			o.Responder.LateClaim = Duration(time.Minute)
			tc.malleate(&recv)
			merged, err := Accept(o, recv)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if merged.Hash != recv.Hash || (recv.Initiator.Contract != nil) != (merged.Initiator.Contract != nil) {
					t.Fatal("the merge dropped what the counterparty added")
				}
				return
			}
			if !errors.Is(err, htlc.ErrTermsMismatch) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a mismatch naming %q", err, tc.want)
			}
		})
	}
	// Once a contract and hash are known, the counterparty cannot replace them.
	o := own
	locked(&o)
	recv := o
	recv.Initiator.Contract = &htlc.Contract{Rail: "bitcoin", Ref: "bb:0"}
	if _, err := Accept(o, recv); !errors.Is(err, htlc.ErrTermsMismatch) {
		t.Fatalf("replaced contract: %v", err)
	}
	other, _ := hashlock.NewSecret()
	recv = o
	recv.Hash = other.Hash()
	if _, err := Accept(o, recv); !errors.Is(err, htlc.ErrTermsMismatch) {
		t.Fatalf("replaced hash: %v", err)
	}
}

func TestCheckConsent(t *testing.T) {
	now := time.Now()
	seller, buyer := newParty(t), newParty(t)
	s := plan(t, now, seller, buyer)
	same := func(_, a string) (string, error) { return a, nil }
	cases := []struct {
		name  string
		rails Rails
		c     Consent
		want  error
	}{
		{"the buyer as agreed", buyer.rails, Consent{Give: "250.0000000", Get: "150000", MaxLock: time.Hour}, nil},
		{"the seller as agreed", seller.rails, Consent{Give: "150000", Get: "250.0000000", MaxLock: time.Hour}, nil},
		{"the buyer would give more", buyer.rails, Consent{Give: "25.0000000", Get: "150000"}, htlc.ErrTermsMismatch},
		{"the buyer would get less", buyer.rails, Consent{Give: "250.0000000", Get: "15000"}, htlc.ErrTermsMismatch},
		{"locked longer than accepted", buyer.rails, Consent{Give: "250.0000000", Get: "150000", MaxLock: time.Minute}, htlc.ErrTermsMismatch},
		{"a stranger", newParty(t).rails, Consent{Give: "1", Get: "1"}, ErrWrongParty},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := s.CheckConsent(tc.rails, tc.c, same, now)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}
