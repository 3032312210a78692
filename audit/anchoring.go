package audit

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"

	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// FetchAnchoring reads x/anchor's entry for the SHA-256 sum at height, with
// its proof: the first anchoring, or the proof that there is none.
func FetchAnchoring(ctx context.Context, p Prover, sum []byte, height int64) (Read, error) {
	return p.Prove(ctx, anchortypes.StoreKey, anchoringKey(sum), height)
}

// VerifyDocument checks the read of a document's anchoring against appHash,
// the app hash in the header of height+1 that the caller verified, and says
// what it proves: when, by whom and about which VIN the document was first
// anchored, or that it never was.
func VerifyDocument(appHash, sum []byte, height int64, r Read) Findings {
	f := Findings{Document: hex.EncodeToString(sum), Height: height}
	if a, ok := f.verifyAnchoring(appHash, sum, r, "evidence"); ok {
		f.VIN, f.Known = a.Vin, true
	}
	return f
}

// verifyAnchoring proves the first anchoring of sum, or its absence, under
// subject; it reports whether an anchoring was proven, and returns it.
func (f *Findings) verifyAnchoring(appHash, sum []byte, r Read, subject string) (anchortypes.Anchoring, bool) {
	var a anchortypes.Anchoring
	what := fmt.Sprintf("the first anchoring of SHA-256 %x", sum)
	if r.Store != anchortypes.StoreKey || !bytes.Equal(r.Key, anchoringKey(sum)) {
		f.contradict(subject, what, fmt.Errorf("%w: the server answered key %s %x", ErrNotProven, r.Store, r.Key))
		return a, false
	}
	if err := r.Verify(appHash); err != nil {
		f.contradict(subject, what, err)
		return a, false
	}
	if r.Value == nil {
		f.add(Proven, subject, fmt.Sprintf("SHA-256 %x was never anchored on the hub (up to height %d)", sum, f.Height), "")
		return a, false
	}
	if err := a.Unmarshal(r.Value); err != nil {
		f.contradict(subject, what, fmt.Errorf("proven value does not decode: %w", err))
		return a, false
	}
	if !bytes.Equal(a.Sha256, sum) {
		f.contradict(subject, what, fmt.Errorf("the proven anchoring is of SHA-256 %x", a.Sha256))
		return a, false
	}
	f.Anchorings = append(f.Anchorings, a)
	f.add(Proven, subject, describeAnchoring(a), "")
	return a, true
}

func describeAnchoring(a anchortypes.Anchoring) string {
	s := fmt.Sprintf("SHA-256 %x first anchored at height %d (%s) by %s, kind %s", a.Sha256, a.Height,
		a.AnchoredAt.UTC().Format("2006-01-02 15:04:05 UTC"), a.Submitter, a.Kind)
	if a.Vin != "" {
		s += ", VIN " + a.Vin
	}
	if a.Source != "" {
		s += ", from " + a.Source
	}
	return s
}

// recordEvidence are the distinct evidence hashes the records carry that
// x/anchor could have anchored (32 bytes), in record order.
func recordEvidence(records []vehicletypes.Record) [][]byte {
	var out [][]byte
	seen := map[string]bool{}
	for _, rec := range records {
		h := rec.Input.EvidenceHash
		if anchortypes.ValidateHash(h) != nil || seen[string(h)] {
			continue
		}
		seen[string(h)] = true
		out = append(out, h)
	}
	return out
}

// verifyRecordEvidence proves, for every proven record with an evidence
// hash, the hash's first anchoring (or that it has none).
func (f *Findings) verifyRecordEvidence(appHash []byte, ev Evidence) {
	for _, rec := range f.Records {
		sum := rec.Input.EvidenceHash
		if anchortypes.ValidateHash(sum) != nil {
			continue
		}
		f.verifyAnchoring(appHash, sum, findRead(ev.Anchorings, anchoringKey(sum)), fmt.Sprintf("record %d", rec.Id))
	}
}
