// Package accaddr gives every account address one spelling. Bech32 may be
// written all in upper or all in lower case and the SDK decodes both to the
// same bytes, so modules that compared address strings let one account pass
// for two: an examiner valuing its own asset, a buyer buying from itself, a
// lender lending to itself. Modules store the canonical form Canonical
// returns and compare with Same.
package accaddr

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
)

// Canonical decodes an account address of this chain (either case) and
// re-encodes it: the lower-case spelling the SDK prints for its bytes.
func Canonical(addr string) (string, error) {
	a, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

// Same reports whether a and b name the same account, however each is
// spelled. An address that does not decode names no account.
func Same(a, b string) bool {
	x, err := sdk.AccAddressFromBech32(a)
	if err != nil {
		return false
	}
	y, err := sdk.AccAddressFromBech32(b)
	return err == nil && x.Equals(y)
}

// CanonicalBech32 is Canonical for a bech32 address of any prefix (an
// account on another chain, such as a dealer chain's lender): decoded and
// re-encoded in lower case.
func CanonicalBech32(addr string) (string, error) {
	hrp, data, err := bech32.DecodeAndConvert(addr)
	if err != nil {
		return "", err
	}
	return bech32.ConvertAndEncode(hrp, data)
}
