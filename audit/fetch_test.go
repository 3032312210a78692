package audit_test

import (
	"context"
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
	ev, err := audit.Fetch(context.Background(), p, car, h)
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
