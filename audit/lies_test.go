package audit_test

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/audit"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// TestLyingServerContradicted: each lie a server can tell about the car is
// caught: the fact it touches is CONTRADICTED, never PROVEN.
func TestLyingServerContradicted(t *testing.T) {
	c := newChain(t)
	c.life(t)
	h := c.commit()
	c.record(t, car, 30_000, start) // a later block: the car drove on
	later := c.commit()
	honest, err := audit.Fetch(context.Background(), c, car, c.state(later))
	require.NoError(t, err)
	stale, err := audit.Fetch(context.Background(), c, car, c.state(h))
	require.NoError(t, err)

	testCases := []struct {
		name     string
		malleate func(ev *audit.Evidence)
		subject  string
	}{
		{"a record's odometer changed", func(ev *audit.Evidence) {
			var rec vehicletypes.Record
			require.NoError(t, rec.Unmarshal(ev.Records[2].Value))
			rec.Input.OdometerKm = 25_000 // hide the rollback
			ev.Records[2].Value, err = rec.Marshal()
			require.NoError(t, err)
		}, "record 3"},
		{"a record withheld", func(ev *audit.Evidence) { ev.Records = ev.Records[:2] }, "record 5"},
		{"a history entry dropped from the walk", func(ev *audit.Evidence) {
			ev.History.Steps = append(ev.History.Steps[:1:1], ev.History.Steps[2:]...)
		}, "history"},
		{"the walk cut short", func(ev *audit.Evidence) {
			ev.History.Steps = ev.History.Steps[:len(ev.History.Steps)-1]
		}, "history"},
		{"the summary's count lowered", func(ev *audit.Evidence) {
			var s vehicletypes.VehicleSummary
			require.NoError(t, s.Unmarshal(ev.Summary.Value))
			s.RecordCount--
			ev.Summary.Value, err = s.Marshal()
			require.NoError(t, err)
		}, "summary"},
		{"another VIN's summary", func(ev *audit.Evidence) {
			other, err := audit.Fetch(context.Background(), c, other, c.state(later))
			require.NoError(t, err)
			ev.Summary = other.Summary
		}, "summary"},
		{"the active lien denied", func(ev *audit.Evidence) { ev.ActiveLien.Value = nil }, "active lien"},
		{"another active lien id", func(ev *audit.Evidence) {
			ev.ActiveLien.Value = binary.BigEndian.AppendUint64(nil, 1)
		}, "active lien"},
		{"a lien withheld", func(ev *audit.Evidence) { ev.LienReads = ev.LienReads[1:] }, "lien 1"},
		{"a loan withheld", func(ev *audit.Evidence) { ev.Loans = ev.Loans[:1] }, "loan 1"},
		{"a proof of another key", func(ev *audit.Evidence) { ev.Records[0].Proof = ev.Records[1].Proof }, "record 1"},
		{"stale state: proofs of an older height", func(ev *audit.Evidence) { *ev = stale; ev.Height = later }, "summary"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			ev := clone(t, honest)
			tc.malleate(&ev)
			f := audit.Verify(c.appHashes[later], ev)
			require.True(t, f.Contradicted())
			var found bool
			for _, fact := range f.Facts {
				if fact.Subject == tc.subject {
					found = true
					require.Equal(t, audit.Contradicted, fact.Status, "%s: %s", fact.Subject, fact.Statement)
					require.NotEmpty(t, fact.Reason)
				}
			}
			require.True(t, found, "no fact about %s: %+v", tc.subject, f.Facts)
		})
	}

	t.Run("the honest evidence proves everything", func(t *testing.T) {
		f := audit.Verify(c.appHashes[later], clone(t, honest))
		require.False(t, f.Contradicted())
		require.Len(t, f.Records, 6)
	})
	t.Run("another header's app hash proves nothing", func(t *testing.T) {
		f := audit.Verify(c.appHashes[h], clone(t, honest))
		require.Equal(t, map[audit.Status]int{audit.Contradicted: 1}, statuses(f))
	})
}

// clone deep-copies evidence through its JSON form, so cases do not share proofs.
func clone(t *testing.T, ev audit.Evidence) audit.Evidence {
	t.Helper()
	out, err := audit.DecodeEvidence(must(audit.EncodeEvidence(ev)))
	require.NoError(t, err)
	return out
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
