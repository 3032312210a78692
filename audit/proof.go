package audit

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"

	ics23 "github.com/cosmos/ics23/go"

	commitmenttypes "github.com/cosmos/ibc-go/v11/modules/core/23-commitment/types"
	commitmenttypesv2 "github.com/cosmos/ibc-go/v11/modules/core/23-commitment/types/v2"
)

// ErrNotProven means a proof does not commit the claimed value (or absence)
// under the claimed key to the trusted app hash.
var ErrNotProven = errors.New("not proven")

// Read is one key of one store read at the audited height, as a server
// answered it: the value, nil when the server says the key is absent, and
// the proof of that answer.
type Read struct {
	Store string
	Key   []byte
	Value []byte
	Proof commitmenttypes.MerkleProof
}

// Verify checks the answer against appHash (the app hash in the header
// after the audited height): the value's membership, or the key's absence.
// Proofs come from outside, so a malformed one is an error, never a panic.
//
// It verifies the chain as ibc-go's MerkleProof does (the store's IAVL
// proof, then the store root in the multistore's simple Merkle tree) with
// one difference: IAVL leaves are checked with the value pre-hashed by the
// auditor (leafSpec), after the original proofs passed IavlSpec's checks
// (prehashed). ICS-23 refuses empty values, and the key sets the auditor
// walks (liens_by_vin, assets_by_vin) store exactly that; the leaf bytes
// hashed are the same either way.
func (r Read) Verify(appHash []byte) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s %x: malformed proof: %v", ErrNotProven, r.Store, r.Key, p)
		}
	}()
	if err := r.verify(appHash); err != nil {
		return fmt.Errorf("%w: %s %x: %v", ErrNotProven, r.Store, r.Key, err)
	}
	return nil
}

func (r Read) verify(appHash []byte) error {
	specs := commitmenttypes.GetSDKSpecs()
	if len(r.Proof.Proofs) != len(specs) || len(appHash) == 0 {
		return fmt.Errorf("want a store proof and a multistore proof against an app hash, got %d proofs", len(r.Proof.Proofs))
	}
	lowest, err := prehashed(r.Proof.Proofs[0])
	if err != nil {
		return err
	}
	storeRoot, err := lowest.Calculate()
	if err != nil {
		return err
	}
	if r.Value == nil {
		np := lowest.GetNonexist()
		if np == nil {
			return errors.New("an absence needs a non-existence proof")
		}
		err = np.Verify(leafSpec, storeRoot, r.Key)
	} else {
		ep := lowest.GetExist()
		if ep == nil {
			return errors.New("a value needs an existence proof")
		}
		sum := sha256.Sum256(r.Value)
		err = ep.Verify(leafSpec, storeRoot, r.Key, sum[:])
	}
	if err != nil {
		return err
	}
	upper := commitmenttypes.MerkleProof{Proofs: r.Proof.Proofs[1:]}
	return upper.VerifyMembership(specs[1:], commitmenttypes.NewMerkleRoot(appHash), commitmenttypesv2.NewMerklePath([]byte(r.Store)), storeRoot)
}

// leafSpec is ics23.IavlSpec for leaves whose value the verifier hashed.
var leafSpec = func() *ics23.ProofSpec {
	spec, leaf := *ics23.IavlSpec, *ics23.IavlSpec.LeafSpec
	leaf.PrehashValue = ics23.HashOp_NO_HASH
	spec.LeafSpec = &leaf
	return &spec
}()

// prehashed copies an IAVL proof with every leaf's value replaced by its
// SHA-256 and marked so, for leafSpec. Each original existence proof is
// first checked against ics23.IavlSpec itself: ics23 checks the IAVL shape
// of the ops (a leaf prefix of exactly height, size and version varints,
// inner ops of IAVL's form) only for a spec equal to IavlSpec, which
// leafSpec is not. Without that check a server could move bytes between a
// leaf's prefix and its key, keeping the leaf hash and its place in the
// tree, and so name another key as an absent key's neighbour (forging an
// absence, or ending a walk early). The check does not read the value, so
// an empty value passes it.
func prehashed(p *ics23.CommitmentProof) (*ics23.CommitmentProof, error) {
	bz, err := p.Marshal()
	if err != nil {
		return nil, err
	}
	out := new(ics23.CommitmentProof)
	if err := out.Unmarshal(bz); err != nil {
		return nil, err
	}
	var leaves []*ics23.ExistenceProof
	switch {
	case out.GetExist() != nil:
		leaves = append(leaves, out.GetExist())
	case out.GetNonexist() != nil:
		leaves = append(leaves, out.GetNonexist().Left, out.GetNonexist().Right)
	default:
		return nil, errors.New("want an existence or non-existence proof")
	}
	for _, ep := range leaves {
		if ep == nil {
			continue
		}
		if err := ep.CheckAgainstSpec(ics23.IavlSpec); err != nil {
			return nil, fmt.Errorf("not an IAVL proof of key %x: %w", ep.Key, err)
		}
		sum := sha256.Sum256(ep.Value)
		ep.Value, ep.Leaf.PrehashValue = sum[:], ics23.HashOp_NO_HASH
	}
	return out, nil
}

// next is the key right after an absent key that the absence proof names,
// with its value: nil if the absent key sorts after every key of the store.
// Call it only on a Read whose Verify passed.
func (r Read) next() *ics23.ExistenceProof {
	if len(r.Proof.Proofs) == 0 {
		return nil
	}
	if np := r.Proof.Proofs[0].GetNonexist(); np != nil {
		return np.Right
	}
	return nil
}

// Entry is one key and value found under a prefix.
type Entry struct {
	Key   []byte
	Value []byte
}

// Range is a proven walk of every key under a prefix: each step proves a
// cursor absent, and its absence proof names the next key of the store.
// The first cursor is the prefix itself, each later one the key just
// found followed by 0x00 (the smallest key after it); the walk ends at a
// next key outside the prefix or at the end of the store. So the keys found
// are all the keys under the prefix: a server cannot leave one out without
// a step's proof failing.
type Range struct {
	Store  string `json:"store"`
	Prefix []byte `json:"prefix"`
	Steps  []Read `json:"steps"`
}

// Verify checks every step against appHash and returns the entries found,
// in key order.
func (rg Range) Verify(appHash []byte) ([]Entry, error) {
	cursor := rg.Prefix
	var entries []Entry
	for i, step := range rg.Steps {
		if step.Store != rg.Store || !bytes.Equal(step.Key, cursor) || step.Value != nil {
			return nil, fmt.Errorf("%w: %s range %x: step %d reads %s %x, want the absence of %x", ErrNotProven, rg.Store, rg.Prefix, i, step.Store, step.Key, cursor)
		}
		if err := step.Verify(appHash); err != nil {
			return nil, err
		}
		next := step.next()
		if next == nil || !bytes.HasPrefix(next.Key, rg.Prefix) {
			if i != len(rg.Steps)-1 {
				return nil, fmt.Errorf("%w: %s range %x: steps after its end", ErrNotProven, rg.Store, rg.Prefix)
			}
			return entries, nil
		}
		entries = append(entries, Entry{Key: next.Key, Value: next.Value})
		cursor = successor(next.Key)
	}
	return nil, fmt.Errorf("%w: %s range %x: the walk stops before the end of the range", ErrNotProven, rg.Store, rg.Prefix)
}

// successor is the smallest key after key.
func successor(key []byte) []byte {
	return append(bytes.Clone(key), 0x00)
}
