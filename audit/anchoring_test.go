package audit_test

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/audit"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

func digest(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }

// anchoredChain anchors an invoice about the car, then commits two more
// blocks; it returns the chain, the anchoring's height and the audited height.
func anchoredChain(t *testing.T) (*chain, int64, int64) {
	t.Helper()
	c := newChain(t)
	c.commit()
	anchoredAt := c.ctx.BlockHeight()
	_, existed, err := c.anchor.Anchor(c.ctx, anchortypes.Anchoring{Sha256: digest("invoice"), Kind: anchortypes.EVIDENCE_KIND_INVOICE,
		Vin: car, Submitter: seller.String()})
	require.NoError(t, err)
	require.False(t, existed)
	c.commit()
	_, _, err = c.anchor.Anchor(c.ctx, anchortypes.Anchoring{Sha256: digest("contract"), Kind: anchortypes.EVIDENCE_KIND_CONTRACT, Submitter: buyer.String()})
	require.NoError(t, err)
	return c, anchoredAt, c.commit()
}

// TestVerifyDocument: a document's first anchoring is proven with its
// height, time, submitter, kind and VIN; a document never anchored is
// proven absent.
func TestVerifyDocument(t *testing.T) {
	c, anchoredAt, h := anchoredChain(t)
	read, err := audit.FetchAnchoring(context.Background(), c, digest("invoice"), h)
	require.NoError(t, err)
	f := audit.VerifyDocument(c.appHashes[h], digest("invoice"), h, read)
	require.Equal(t, map[audit.Status]int{audit.Proven: 1}, statuses(f))
	require.True(t, f.Known)
	require.Equal(t, car, f.VIN)
	require.Len(t, f.Anchorings, 1)
	a := f.Anchorings[0]
	require.Equal(t, anchoredAt, a.Height)
	require.Equal(t, seller.String(), a.Submitter)
	require.Equal(t, anchortypes.EVIDENCE_KIND_INVOICE, a.Kind)
	require.Equal(t, start.Add(time.Duration(anchoredAt-1)*time.Hour), a.AnchoredAt.UTC())
	require.Contains(t, f.Facts[0].Statement, "first anchored at height")

	read, err = audit.FetchAnchoring(context.Background(), c, digest("never anchored"), h)
	require.NoError(t, err)
	f = audit.VerifyDocument(c.appHashes[h], digest("never anchored"), h, read)
	require.Equal(t, map[audit.Status]int{audit.Proven: 1}, statuses(f))
	require.False(t, f.Known)
	require.Empty(t, f.Anchorings)
	require.Contains(t, f.Facts[0].Statement, "never anchored")
}

// TestLyingAnchoringContradicted: each lie a server can tell about a
// document's anchoring is CONTRADICTED, never PROVEN.
func TestLyingAnchoringContradicted(t *testing.T) {
	c, _, h := anchoredChain(t)
	prove := func(doc string) audit.Read {
		r, err := audit.FetchAnchoring(context.Background(), c, digest(doc), h)
		require.NoError(t, err)
		return r
	}
	testCases := []struct {
		name string
		doc  string
		read func() audit.Read
	}{
		{"the anchoring height moved later (tampered value)", "invoice", func() audit.Read {
			r := prove("invoice")
			var a anchortypes.Anchoring
			require.NoError(t, a.Unmarshal(r.Value))
			a.Height += 10
			r.Value = must(a.Marshal())
			return r
		}},
		{"a proof of another document's anchoring", "invoice", func() audit.Read {
			r := prove("invoice")
			r.Proof = prove("contract").Proof
			return r
		}},
		{"another document's anchoring answered for this hash", "invoice", func() audit.Read { return prove("contract") }},
		{"another document's anchoring under this hash's key", "invoice", func() audit.Read {
			r, other := prove("invoice"), prove("contract")
			r.Value, r.Proof = other.Value, other.Proof
			return r
		}},
		{"an anchored document denied", "invoice", func() audit.Read {
			r := prove("invoice")
			r.Value = nil
			return r
		}},
		{"an absent document shown anchored", "never anchored", func() audit.Read {
			r := prove("never anchored")
			r.Value = prove("invoice").Value
			return r
		}},
		{"state of another height", "invoice", func() audit.Read {
			r, err := audit.FetchAnchoring(context.Background(), c, digest("invoice"), h-1)
			require.NoError(t, err)
			return r
		}},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			f := audit.VerifyDocument(c.appHashes[h], digest(tc.doc), h, tc.read())
			require.Equal(t, map[audit.Status]int{audit.Contradicted: 1}, statuses(f))
			require.Equal(t, "evidence", f.Facts[0].Subject)
			require.NotEmpty(t, f.Facts[0].Reason)
			require.Empty(t, f.Anchorings)
		})
	}
}

// TestRecordEvidenceAnchoringProven: a record's evidence hash, anchored
// when the hub accepted the record, is proven anchored in the VIN's audit;
// a server withholding or altering that anchoring is caught.
func TestRecordEvidenceAnchoringProven(t *testing.T) {
	c := newChain(t)
	_, err := c.vehicle.RecordBatch(c.ctx, "acme", rep, []vehicletypes.RecordInput{{Vin: car, Kind: vehicletypes.RECORD_KIND_SERVICE,
		OdometerKm: 1_000, OccurredAt: start.Add(-time.Hour), EvidenceHash: digest("service invoice")}})
	require.NoError(t, err)
	c.record(t, car, 2_000, start)
	h := c.commit()
	honest, err := audit.Fetch(context.Background(), c, car, c.state(h))
	require.NoError(t, err)

	f := audit.Verify(c.appHashes[h], clone(t, honest))
	require.False(t, f.Contradicted(), "%+v", f.Facts)
	require.Len(t, f.Anchorings, 1)
	require.Equal(t, anchortypes.EVIDENCE_KIND_RECORD_EVIDENCE, f.Anchorings[0].Kind)
	require.Equal(t, "vehicle/record/1", f.Anchorings[0].Source)
	require.Contains(t, factsAbout(f, "record 1"), "first anchored at height 1")

	for name, malleate := range map[string]func(ev *audit.Evidence){
		"withheld": func(ev *audit.Evidence) { ev.Anchorings = nil },
		"denied":   func(ev *audit.Evidence) { ev.Anchorings[0].Value = nil },
	} {
		t.Run(name, func(t *testing.T) {
			ev := clone(t, honest)
			malleate(&ev)
			f := audit.Verify(c.appHashes[h], ev)
			require.True(t, f.Contradicted())
			require.Empty(t, f.Anchorings)
		})
	}
}

// factsAbout joins the statements of subject's facts.
func factsAbout(f audit.Findings, subject string) string {
	var s string
	for _, fact := range f.Facts {
		if fact.Subject == subject {
			s += fact.Statement + "\n"
		}
	}
	return s
}
