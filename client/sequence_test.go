package client

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSequencer: txs accepted one after the other take consecutive
// sequences without waiting for commits; a mismatch resyncs to what the
// chain expects; forgetting makes the next tx reload from the chain.
func TestSequencer(t *testing.T) {
	testCases := []struct {
		name      string
		malleate  func(s *sequencer)
		wantNext  uint64
		wantKnown bool
	}{
		{"loaded", func(s *sequencer) { s.load(7, 40) }, 40, true},
		{"three txs in flight", func(s *sequencer) { s.load(7, 40); s.accepted(); s.accepted(); s.accepted() }, 43, true},
		{"mismatch: the chain expects fewer (a tx was dropped)", func(s *sequencer) { s.load(7, 40); s.accepted(); s.accepted(); s.expect(41) }, 41, true},
		{"mismatch: the chain expects more (another process signed)", func(s *sequencer) { s.load(7, 40); s.expect(45); s.accepted() }, 46, true},
		{"forgotten until reloaded", func(s *sequencer) { s.load(7, 40); s.accepted(); s.forget() }, 41, false},
		{"reloaded", func(s *sequencer) { s.load(7, 40); s.forget(); s.load(7, 44) }, 44, true},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var s sequencer
			tc.malleate(&s)
			require.Equal(t, tc.wantNext, s.next)
			require.Equal(t, tc.wantKnown, s.known)
			require.Equal(t, uint64(7), s.accNum)
		})
	}
}
