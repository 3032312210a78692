package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
)

// Defaults for module parameters.
const (
	DefaultMinScoreApply       = 300
	DefaultMinScorePledge      = 400
	DefaultMinScoreBuyOnCredit = 450
	DefaultDecayHalfLife       = 180 * 24 * time.Hour
)

// DefaultParams returns the default module parameters.
func DefaultParams() Params {
	return Params{
		MinScoreApply:       DefaultMinScoreApply,
		MinScorePledge:      DefaultMinScorePledge,
		MinScoreBuyOnCredit: DefaultMinScoreBuyOnCredit,
		DecayHalfLife:       DefaultDecayHalfLife,
	}
}

// Validate checks that every minimum is a possible score (0..MaxScore) and
// that the half-life is a positive whole number of seconds.
func (p Params) Validate() error {
	for _, g := range gates {
		if m := g.min(p); m > MaxScore {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be 0..%d, got %d", g.param, MaxScore, m)
		}
	}
	if p.DecayHalfLife < time.Second || p.DecayHalfLife%time.Second != 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "decay_half_life must be a whole number of seconds, at least 1s, got %s", p.DecayHalfLife)
	}
	return nil
}
