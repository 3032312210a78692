package client

// sequencer is the relayer account's sequence as the chain's mempool sees
// it: each tx CheckTx accepts takes the next one, so several txs can be in
// flight before any commits; a mismatch the chain reports resets it to
// what the chain expects, and anything unexplained (a tx dropped, a failed
// delivery) makes it reload from the chain before the next tx. Callers
// hold Chain.mu.
type sequencer struct {
	accNum, next uint64
	known        bool
}

// load sets the account number and sequence read from the chain.
func (s *sequencer) load(accNum, seq uint64) { s.accNum, s.next, s.known = accNum, seq, true }

// accepted: CheckTx took a tx signed with next.
func (s *sequencer) accepted() { s.next++ }

// expect resyncs to the sequence the chain says it expects.
func (s *sequencer) expect(seq uint64) { s.next = seq }

// forget makes the next tx reload the sequence from the chain.
func (s *sequencer) forget() { s.known = false }
