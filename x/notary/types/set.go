package types

import (
	"bytes"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// MaxMembers bounds a notary set (signatures are verified one per tx, but
// an attestation keeps them all).
const MaxMembers = 100

// DefaultThreshold is more than two thirds of n members.
func DefaultThreshold(n int) uint32 { return uint32(2*n/3 + 1) }

// ValidateMembers checks a set's members and threshold: 1..MaxMembers
// members with valid addresses and BIP-340 keys, no operator or key twice,
// and a threshold that is a majority (so two observations of one event
// can only both become final if some member signed both) and reachable.
func ValidateMembers(members []Member, threshold uint32) error {
	if len(members) == 0 || len(members) > MaxMembers {
		return errorsmod.Wrapf(ErrInvalidSet, "a set has 1 to %d members, got %d", MaxMembers, len(members))
	}
	seenOp := map[string]bool{}
	for i, m := range members {
		op, err := sdk.AccAddressFromBech32(m.Operator)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidSet, "member %d: operator %q: %v", i, m.Operator, err)
		}
		if seenOp[string(op)] {
			return errorsmod.Wrapf(ErrInvalidSet, "member %d: operator %s listed twice", i, m.Operator)
		}
		seenOp[string(op)] = true
		if _, err := ParsePubKey(m.Pubkey); err != nil {
			return errorsmod.Wrapf(err, "member %d", i)
		}
		for _, other := range members[:i] {
			if bytes.Equal(other.Pubkey, m.Pubkey) {
				return errorsmod.Wrapf(ErrInvalidSet, "member %d: public key used by %s too", i, other.Operator)
			}
		}
	}
	n := uint32(len(members))
	if threshold > n || 2*threshold <= n {
		return errorsmod.Wrapf(ErrInvalidSet, "threshold %d of %d members: it must be more than half and at most all", threshold, n)
	}
	return nil
}

// Validate checks a stored set.
func (s NotarySet) Validate() error {
	if s.Version == 0 {
		return errorsmod.Wrap(ErrInvalidSet, "version starts at 1")
	}
	return ValidateMembers(s.Members, s.Threshold)
}

// Member returns the index of the member whose operator is addr (compared
// as bytes, so any spelling of the address finds it); a signature is
// stored under it.
func (s NotarySet) Member(addr sdk.AccAddress) (uint32, bool) {
	for i, m := range s.Members {
		op, err := sdk.AccAddressFromBech32(m.Operator)
		if err == nil && op.Equals(addr) {
			return uint32(i), true
		}
	}
	return 0, false
}

// MemberIndex returns the index of the member with this operator spelling.
func (s NotarySet) MemberIndex(operator string) (uint32, bool) {
	for i, m := range s.Members {
		if m.Operator == operator {
			return uint32(i), true
		}
	}
	return 0, false
}

// ValidAt reports whether the set's signatures count at height: always
// while current, and for params' grace blocks after it was replaced.
func (s NotarySet) ValidAt(height int64, graceBlocks uint64) bool {
	return s.SupersededHeight == 0 || height <= s.SupersededHeight+int64(graceBlocks)
}
