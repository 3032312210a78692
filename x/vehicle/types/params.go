package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
)

// Defaults for module parameters.
const (
	DefaultMaxRecordsPerBatch = 100
	DefaultMaxClockSkew       = 10 * time.Minute
	// MaxRecordsPerBatchCeiling bounds what governance may set, so one tx stays
	// well inside block gas and one IBC packet inside relayer limits.
	MaxRecordsPerBatchCeiling = 10_000
)

// DefaultParams returns the default module parameters.
func DefaultParams() Params {
	return Params{MaxRecordsPerBatch: DefaultMaxRecordsPerBatch, MaxClockSkew: DefaultMaxClockSkew}
}

// Validate checks parameter bounds.
func (p Params) Validate() error {
	if p.MaxRecordsPerBatch == 0 || p.MaxRecordsPerBatch > MaxRecordsPerBatchCeiling {
		return errorsmod.Wrapf(ErrInvalidParams, "max_records_per_batch must be 1..%d, got %d", MaxRecordsPerBatchCeiling, p.MaxRecordsPerBatch)
	}
	if p.MaxClockSkew < 0 || p.MaxClockSkew > 24*time.Hour {
		return errorsmod.Wrapf(ErrInvalidParams, "max_clock_skew must be between 0 and 24h, got %s", p.MaxClockSkew)
	}
	return nil
}
