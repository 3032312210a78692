package audit_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/gogoproto/proto"
	ics23 "github.com/cosmos/ics23/go"

	commitmenttypes "github.com/cosmos/ibc-go/v11/modules/core/23-commitment/types"

	"github.com/vinhub/vinhub/audit"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// An IAVL leaf hashes Prefix | uvarint(len Key) | Key | uvarint(32) |
// sha256(Value). A lying server can cut that preimage elsewhere, moving
// bytes between the leaf's Prefix and its Key, whenever the byte before the
// new key reads as the new key's length: the leaf hash, its path and so
// its place in the tree stay the same, only the key it claims changes.
// These tests play that server.

// resplit re-reads ep's leaf preimage with a key of its last n bytes; it
// reports false when the preimage cannot be read so.
func resplit(ep *ics23.ExistenceProof, n int) bool {
	full := append(bytes.Clone(ep.Leaf.Prefix), binary.AppendUvarint(nil, uint64(len(ep.Key)))...)
	full = append(full, ep.Key...)
	length := binary.AppendUvarint(nil, uint64(n))
	cut := len(full) - n - len(length)
	if n <= 0 || cut < 0 || !bytes.Equal(full[cut:cut+len(length)], length) {
		return false
	}
	ep.Leaf.Prefix, ep.Key = full[:cut], bytes.Clone(full[len(full)-n:])
	return true
}

// forgedAbsence is a read claiming key absent from store at height: the
// server proves the absence of key minus its last byte (whose right
// neighbour is key itself), then re-reads key's leaf with its last n bytes.
func forgedAbsence(t *testing.T, c *chain, store string, key []byte, height int64, n int) audit.Read {
	t.Helper()
	probe, err := c.Prove(context.Background(), store, key[:len(key)-1], height)
	require.NoError(t, err)
	np := probe.Proof.Proofs[0].GetNonexist()
	require.NotNil(t, np)
	require.Equal(t, key, np.Right.Key, "key's leaf is the right neighbour")
	require.True(t, resplit(np.Right, n), "the leaf of %x cannot be re-read with a %d-byte key", key, n)
	require.Positive(t, bytes.Compare(np.Right.Key, key), "the re-read key sorts after the key")
	np.Key = key
	return audit.Read{Store: store, Key: key, Proof: commitmenttypes.MerkleProof{Proofs: probe.Proof.Proofs}}
}

// TestShiftedLeafCutsWalkShort: a liens-by-VIN entry of lien 300 (id bytes
// 01 2c) re-read as the one-byte key 2c ends the walk before it, which
// would hide lien 300: the walk is refused.
func TestShiftedLeafCutsWalkShort(t *testing.T) {
	c, h, honest := lien300Chain(t)
	entries, err := honest.Liens.Verify(c.appHashes[h])
	require.NoError(t, err)
	require.Len(t, entries, 3)

	ev := clone(t, honest)
	steps := ev.Liens.Steps
	right := steps[2].Proof.Proofs[0].GetNonexist().Right
	require.True(t, resplit(right, 1), "the entry of lien 300 re-reads as a one-byte key")
	require.Equal(t, []byte{0x2c}, right.Key)
	ev.Liens.Steps = steps[:3]

	_, err = ev.Liens.Verify(c.appHashes[h])
	require.ErrorIs(t, err, audit.ErrNotProven)
	f := audit.Verify(c.appHashes[h], ev)
	require.True(t, f.Contradicted())
	require.Equal(t, audit.Contradicted, factOf(t, f, "liens").Status)
}

// lien300Chain is the car's life with its second lien released and a third,
// lien 300, granted; it returns the chain, the height and the evidence.
func lien300Chain(tb testing.TB) (*chain, int64, audit.Evidence) {
	tb.Helper()
	c := newChain(tb)
	c.life(tb)
	holder := vehicletypes.LienHolder{Module: "asset", Lender: seller.String(), Reference: "loan/2"}
	_, err := c.vehicle.ReleaseLien(c.ctx, 2, holder, "repaid")
	require.NoError(tb, err)
	require.NoError(tb, c.vehicle.NextLienID.Set(c.ctx, 300))
	lien, err := c.vehicle.GrantLien(c.ctx, car, holder)
	require.NoError(tb, err)
	require.EqualValues(tb, 300, lien.Id)
	h := c.commit()
	ev, err := audit.Fetch(context.Background(), c, car, c.state(h))
	require.NoError(tb, err)
	return c, h, ev
}

// TestShiftedLeafForgesNoAnchoring: for a SHA-256 s with s[i] == 31-i, the
// leaf of its anchoring re-reads as the key s[i+1:], which sorts after the
// anchoring's key: a forged "never anchored" is CONTRADICTED.
func TestShiftedLeafForgesNoAnchoring(t *testing.T) {
	var doc string
	var n int
	for i := 0; n == 0; i++ {
		doc = fmt.Sprintf("document %d", i)
		s := digest(doc)
		for j := 0; j <= 30 && n == 0; j++ {
			if int(s[j]) == 31-j && s[j+1] > 0 {
				n = 31 - j
			}
		}
	}
	c := newChain(t)
	_, _, err := c.anchor.Anchor(c.ctx, anchortypes.Anchoring{Sha256: digest(doc), Kind: anchortypes.EVIDENCE_KIND_INVOICE, Submitter: seller.String()})
	require.NoError(t, err)
	h := c.commit()

	key := append([]byte{0x00}, digest(doc)...)
	forged := forgedAbsence(t, c, anchortypes.StoreKey, key, h, n)
	f := audit.VerifyDocument(c.appHashes[h], digest(doc), h, forged)
	require.Equal(t, map[audit.Status]int{audit.Contradicted: 1}, statuses(f), "%+v", f.Facts)
}

// TestShiftedLeafForgesUnknownVIN: a summary last written at version 1216
// has a leaf prefix ending in varint(2*1216) = 80 13, and 0x13 is the
// length of 12 || key: the summary's leaf re-reads as that longer key, so
// a server could prove "no record of the VIN"; it is CONTRADICTED.
func TestShiftedLeafForgesUnknownVIN(t *testing.T) {
	c := newChain(t)
	require.NoError(t, c.cms.SetInitialVersion(1216))
	c.record(t, car, 10_000, start.Add(-24*time.Hour))
	h := c.commit()
	require.EqualValues(t, 1216, h)

	ev, err := audit.Fetch(context.Background(), c, car, c.state(h))
	require.NoError(t, err)
	key := append([]byte{0x04}, car...)
	ev.Summary = forgedAbsence(t, c, vehicletypes.StoreKey, key, h, len(key)+1)
	f := audit.Verify(c.appHashes[h], ev)
	require.False(t, f.Known)
	require.True(t, f.Contradicted())
	require.Equal(t, audit.Contradicted, factOf(t, f, "summary").Status)
}

// factOf is subject's only fact.
func factOf(t *testing.T, f audit.Findings, subject string) audit.Fact {
	t.Helper()
	var found []audit.Fact
	for _, fact := range f.Facts {
		if fact.Subject == subject {
			found = append(found, fact)
		}
	}
	require.Len(t, found, 1, "facts about %s: %+v", subject, f.Facts)
	return found[0]
}

// leaves are the existence proofs of a read's store proof: the value's, or
// the absence's neighbours.
func leaves(r *audit.Read) []*ics23.ExistenceProof {
	if len(r.Proof.Proofs) == 0 {
		return nil
	}
	if ep := r.Proof.Proofs[0].GetExist(); ep != nil {
		return []*ics23.ExistenceProof{ep}
	}
	if np := r.Proof.Proofs[0].GetNonexist(); np != nil {
		var out []*ics23.ExistenceProof
		for _, ep := range []*ics23.ExistenceProof{np.Left, np.Right} {
			if ep != nil && ep.Leaf != nil {
				out = append(out, ep)
			}
		}
		return out
	}
	return nil
}

// FuzzShiftedLeaf: a server that moves bytes between any leaf's Prefix and
// Key (so the leaf hash stays the same) either changes nothing the auditor
// reports, or the report says CONTRADICTED; with end set, a walk whose
// step it edits ends there (the server stops the walk at the shifted key).
// The seeds are every such move the evidence allows, lien 300's among them.
func FuzzShiftedLeaf(f *testing.F) {
	c, h, honest := lien300Chain(f)
	appHash := c.appHashes[h]
	want := audit.Verify(appHash, honest)
	require.False(f, want.Contradicted())
	encoded, err := audit.EncodeEvidence(honest)
	require.NoError(f, err)
	for i, r := range reads(&honest) {
		for j, ep := range leaves(r) {
			for n := 1; n < len(ep.Leaf.Prefix)+len(ep.Key); n++ {
				if n != len(ep.Key) && resplit(proto.Clone(ep).(*ics23.ExistenceProof), n) {
					f.Add(uint16(i), uint8(j), uint16(n), false)
					f.Add(uint16(i), uint8(j), uint16(n), true)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, which uint16, leaf uint8, n uint16, end bool) {
		ev, err := audit.DecodeEvidence(encoded)
		require.NoError(t, err)
		all := reads(&ev)
		edited := all[int(which)%len(all)]
		eps := leaves(edited)
		if len(eps) == 0 || !resplit(eps[int(leaf)%len(eps)], int(n)) {
			return
		}
		for _, rg := range []*audit.Range{&ev.History, &ev.Liens, &ev.Assets} {
			for i := range rg.Steps {
				if end && &rg.Steps[i] == edited {
					rg.Steps = rg.Steps[:i+1]
					break
				}
			}
		}
		got := audit.Verify(appHash, ev)
		if got.Contradicted() {
			return
		}
		require.Equal(t, want.Facts, got.Facts, "a shifted leaf changed the report without a contradiction")
	})
}
