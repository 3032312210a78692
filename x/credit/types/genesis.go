package types

import (
	"fmt"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// DefaultGenesis is default params and no profiles.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams()}
}

// Validate checks the params and every profile: a valid address listed
// once, first_seen set and not after updated_at, and no decayed accumulator
// above what its lifetime count allows.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
	}
	seen := make(map[string]bool, len(gs.Profiles))
	for _, p := range gs.Profiles {
		addr, err := sdk.AccAddressFromBech32(p.Address)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "profile address %q: %s", p.Address, err)
		}
		if addr.String() != p.Address {
			return errorsmod.Wrapf(ErrInvalidGenesis, "profile address %q is not in canonical form; write %s", p.Address, addr)
		}
		if seen[string(addr)] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "profile of %s listed twice", p.Address)
		}
		seen[string(addr)] = true
		if err := p.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "profile of %s: %s", p.Address, err)
		}
	}
	return nil
}

// Validate checks a profile's times and that no decayed accumulator exceeds
// MilliPerEvent times its lifetime count (decay only ever lowers them).
func (p CreditProfile) Validate() error {
	if p.FirstSeen.IsZero() || p.UpdatedAt.Before(p.FirstSeen) {
		return fmt.Errorf("first_seen (%s) must be set and not after updated_at (%s)", p.FirstSeen, p.UpdatedAt)
	}
	for _, acc := range []struct {
		name         string
		milli, count uint64
	}{
		{"on_time", p.OnTimeMilli, p.OnTimeCount},
		{"late", p.LateMilli, p.LateCount},
		{"defaults", p.DefaultsMilli, p.DefaultCount},
		{"fraud", p.FraudMilli, p.FraudCount},
		{"rejections", p.RejectionsMilli, p.RejectionCount},
	} {
		if acc.milli/MilliPerEvent > acc.count || (acc.milli/MilliPerEvent == acc.count && acc.milli%MilliPerEvent != 0) {
			return fmt.Errorf("%s_milli %d is more than %d events' worth (%s_count)", acc.name, acc.milli, acc.count, acc.name)
		}
	}
	return nil
}
