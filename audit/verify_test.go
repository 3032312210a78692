package audit_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/audit"
)

func statuses(f audit.Findings) map[audit.Status]int {
	n := map[audit.Status]int{}
	for _, fact := range f.Facts {
		n[fact.Status]++
	}
	return n
}

// TestVerifyProvesACarsLife: every fact about the car is proven against the
// app hash: the summary, the complete history (ownership records included),
// every lien and the active one, the asset and both loans.
func TestVerifyProvesACarsLife(t *testing.T) {
	c, h, ev := audited(t)
	f := audit.Verify(c.appHashes[h], ev)
	for _, fact := range f.Facts {
		require.Equal(t, audit.Proven, fact.Status, "%s: %s (%s)", fact.Subject, fact.Statement, fact.Reason)
	}
	require.True(t, f.Known)
	require.Len(t, f.Records, 5)
	require.EqualValues(t, []uint64{10_000, 20_000, 15_000, 0, 0}, []uint64{f.Records[0].Input.OdometerKm,
		f.Records[1].Input.OdometerKm, f.Records[2].Input.OdometerKm, f.Records[3].Input.OdometerKm, f.Records[4].Input.OdometerKm})
	require.NotNil(t, f.Records[4].TitleOrigin)
	require.Len(t, f.Liens, 2)
	require.EqualValues(t, 2, f.ActiveLien)
	require.Len(t, f.Assets, 1)
	require.Len(t, f.Loans, 2)
	require.False(t, f.Contradicted())
}

// TestVerifyUnknownVIN: a VIN the hub never saw is proven absent.
func TestVerifyUnknownVIN(t *testing.T) {
	c := newChain(t)
	c.life(t)
	h := c.commit()
	ev, err := audit.Fetch(context.Background(), c, "JH4KA7561PC008269", h)
	require.NoError(t, err)
	f := audit.Verify(c.appHashes[h], ev)
	require.False(t, f.Known)
	require.Equal(t, map[audit.Status]int{audit.Proven: 1}, statuses(f))
}
