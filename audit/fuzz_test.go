package audit_test

import (
	"bytes"
	"testing"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	"github.com/vinhub/vinhub/audit"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// FuzzReadVerify: whatever a server sends as key, value and proof,
// verification never panics, and it passes only for the store's true value
// of that key (or its true absence) at the audited height.
func FuzzReadVerify(f *testing.F) {
	c, h, ev := audited(f)
	seeds := append([]audit.Read{ev.Summary, ev.ActiveLien}, ev.Records...)
	seeds = append(seeds, ev.History.Steps...)
	seeds = append(seeds, ev.Liens.Steps...)
	for _, r := range seeds {
		proof, err := r.Proof.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(r.Key, r.Value, r.Value == nil, proof)
	}
	appHash := c.appHashes[h]
	f.Fuzz(func(t *testing.T, key, value []byte, absent bool, proof []byte) {
		r := audit.Read{Store: vehicletypes.StoreKey, Key: key, Value: value}
		if absent {
			r.Value = nil
		} else if r.Value == nil {
			r.Value = []byte{}
		}
		if r.Proof.Unmarshal(proof) != nil {
			return
		}
		if r.Verify(appHash) != nil {
			return
		}
		truth, err := c.cms.Query(&storetypes.RequestQuery{Path: "/vehicle/key", Data: key, Height: h})
		if err != nil {
			t.Fatalf("store query: %v", err)
		}
		if (truth.Value == nil) != (r.Value == nil) || !bytes.Equal(truth.Value, r.Value) {
			t.Fatalf("proven %x = %x (absent %v), the store holds %x", key, r.Value, absent, truth.Value)
		}
	})
}

// reads lists every read of the evidence, so a fuzz case can tamper one.
func reads(ev *audit.Evidence) []*audit.Read {
	out := []*audit.Read{&ev.Summary, &ev.ActiveLien}
	for _, list := range [][]audit.Read{ev.History.Steps, ev.Records, ev.Liens.Steps, ev.LienReads, ev.Assets.Steps, ev.AssetReads, ev.Loans} {
		for i := range list {
			out = append(out, &list[i])
		}
	}
	return out
}

// FuzzVerifyEvidence: a server that changes any byte of any key, value or
// proof it sends either changes nothing the auditor reports, or the report
// says CONTRADICTED; verification never panics.
func FuzzVerifyEvidence(f *testing.F) {
	c, h, honest := audited(f)
	appHash := c.appHashes[h]
	want := audit.Verify(appHash, honest)
	encoded, err := audit.EncodeEvidence(honest)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint16(0), uint8(1), uint16(3), byte(1))
	f.Add(uint16(5), uint8(2), uint16(40), byte(0x80))
	f.Add(uint16(9), uint8(0), uint16(0), byte(2))
	f.Fuzz(func(t *testing.T, which uint16, field uint8, pos uint16, xor byte) {
		if xor == 0 {
			return
		}
		ev, err := audit.DecodeEvidence(encoded)
		if err != nil {
			t.Fatal(err)
		}
		all := reads(&ev)
		r := all[int(which)%len(all)]
		switch field % 3 {
		case 0:
			if len(r.Key) == 0 {
				return
			}
			r.Key[int(pos)%len(r.Key)] ^= xor
		case 1:
			if len(r.Value) == 0 {
				return
			}
			r.Value[int(pos)%len(r.Value)] ^= xor
		default:
			bz, err := r.Proof.Marshal()
			if err != nil || len(bz) == 0 {
				return
			}
			bz[int(pos)%len(bz)] ^= xor
			if r.Proof.Unmarshal(bz) != nil {
				return
			}
		}
		got := audit.Verify(appHash, ev)
		if got.Contradicted() {
			return
		}
		if len(got.Facts) != len(want.Facts) || len(got.Records) != len(want.Records) {
			t.Fatalf("a tampered read changed the report without a contradiction: %d facts, want %d", len(got.Facts), len(want.Facts))
		}
		for i := range got.Facts {
			if got.Facts[i] != want.Facts[i] {
				t.Fatalf("a tampered read changed fact %d without a contradiction: %+v, want %+v", i, got.Facts[i], want.Facts[i])
			}
		}
	})
}
