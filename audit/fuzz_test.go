package audit_test

import (
	"bytes"
	"context"
	"testing"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	"github.com/vinhub/vinhub/audit"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// FuzzReadVerify: whatever a server sends as key, value and proof,
// verification never panics, and it passes only for the store's true value
// of that key (or its true absence) at the audited height.
func FuzzReadVerify(f *testing.F) {
	c := newChain(f)
	c.life(f)
	h := c.commit()
	ev, err := audit.Fetch(context.Background(), c, car, h)
	if err != nil {
		f.Fatal(err)
	}
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
