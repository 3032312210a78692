package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
)

// Defaults of the params.
const (
	DefaultGraceBlocks         = 100
	DefaultGovernorWindow      = 24 * time.Hour
	DefaultMaxObservationBytes = 4096
)

// DefaultParams: a replaced set counts for 100 more blocks, the governor
// looks at a rolling day, observations up to 4 KiB.
func DefaultParams() Params {
	return Params{GraceBlocks: DefaultGraceBlocks, GovernorWindow: DefaultGovernorWindow, MaxObservationBytes: DefaultMaxObservationBytes}
}

// Validate wants a positive window and a size bound within the hard limit.
func (p Params) Validate() error {
	if p.GovernorWindow <= 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "governor_window must be positive, got %s", p.GovernorWindow)
	}
	if p.MaxObservationBytes < 256 || p.MaxObservationBytes > MaxObservationBytes {
		return errorsmod.Wrapf(ErrInvalidParams, "max_observation_bytes must be between 256 and %d, got %d", MaxObservationBytes, p.MaxObservationBytes)
	}
	return nil
}
