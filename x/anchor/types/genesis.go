package types

import (
	"encoding/hex"

	errorsmod "cosmossdk.io/errors"
)

// DefaultGenesis has no anchorings.
func DefaultGenesis() *GenesisState { return &GenesisState{} }

// Validate checks every anchoring and that no hash is listed twice.
func (g GenesisState) Validate() error {
	seen := make(map[string]bool, len(g.Anchorings))
	for i, a := range g.Anchorings {
		if err := a.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "anchorings[%d]: %s", i, err)
		}
		h := hex.EncodeToString(a.Sha256)
		if seen[h] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "anchorings[%d]: %s listed twice", i, h)
		}
		seen[h] = true
	}
	return nil
}
