package audit_test

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/audit"
)

// slowProver answers through the chain after a pause, counting the reads
// in flight at once.
type slowProver struct {
	*chain
	inFlight, most atomic.Int32
}

func (p *slowProver) Prove(ctx context.Context, store string, key []byte, height int64) (audit.Read, error) {
	n := p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	for {
		most := p.most.Load()
		if n <= most || p.most.CompareAndSwap(most, n) {
			break
		}
	}
	time.Sleep(2 * time.Millisecond)
	return p.chain.Prove(ctx, store, key, height)
}

// TestFetchConcurrent: the objects an index lists are read concurrently,
// never more than a few at a time, and the evidence is the same as read one
// by one: every record proven, in history order.
func TestFetchConcurrent(t *testing.T) {
	c := newChain(t)
	for i := range 40 {
		c.record(t, car, uint64(1_000+i), start.Add(time.Duration(i-40)*time.Hour))
	}
	h := c.commit()
	p := &slowProver{chain: c}
	ev, err := audit.Fetch(context.Background(), p, car, c.state(h))
	require.NoError(t, err)
	require.Greater(t, p.most.Load(), int32(1), "reads overlap")
	require.LessOrEqual(t, p.most.Load(), int32(8), "reads in flight are bounded")
	f := audit.Verify(c.appHashes[h], ev)
	require.False(t, f.Contradicted(), "%+v", f.Facts)
	require.Len(t, f.Records, 40)
	for i, rec := range f.Records {
		require.EqualValues(t, 1_000+i, rec.Input.OdometerKm)
	}
}

// endlessProver answers every absence under the car's lien index with a
// made-up next key right after the cursor, still under the prefix: a walk
// that trusted it would never end.
type endlessProver struct {
	*chain
	steps int
}

func (p *endlessProver) Prove(ctx context.Context, store string, key []byte, height int64) (audit.Read, error) {
	r, err := p.chain.Prove(ctx, store, key, height)
	prefix := append(append([]byte{0x10}, car...), 0x00)
	if err != nil || r.Value != nil || !bytes.HasPrefix(key, prefix) {
		return r, err
	}
	if p.steps++; p.steps > 100 {
		return r, errors.New("the auditor followed 100 made-up keys")
	}
	r.Proof.Proofs[0].GetNonexist().Right.Key = append(bytes.Clone(key), 0x01)
	return r, nil
}

// TestFetchStopsAtAFalseStep: a server leading a walk on with made-up keys
// gets one step: the walk stops at the first step that does not verify,
// and the lien index is CONTRADICTED.
func TestFetchStopsAtAFalseStep(t *testing.T) {
	c := newChain(t)
	c.life(t)
	h := c.commit()
	p := &endlessProver{chain: c}
	ev, err := audit.Fetch(context.Background(), p, car, c.state(h))
	require.NoError(t, err)
	require.Equal(t, 1, p.steps)
	require.Len(t, ev.Liens.Steps, 1)
	require.Empty(t, ev.LienReads)
	f := audit.Verify(c.appHashes[h], ev)
	require.Equal(t, audit.Contradicted, factOf(t, f, "liens").Status)
}
