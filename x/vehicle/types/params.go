package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
)

// Defaults for module parameters.
const (
	DefaultMaxRecordsPerBatch = 100
	DefaultMaxClockSkew       = 10 * time.Minute
	DefaultPacketTimeout      = 10 * time.Minute
	// MaxPacketTimeout is IBC v2's limit on how far ahead a packet timeout may be.
	MaxPacketTimeout = 24 * time.Hour
	// MaxRecordsPerBatchCeiling bounds what governance may set, so one tx stays
	// well inside block gas and one IBC packet inside relayer limits.
	MaxRecordsPerBatchCeiling = 10_000
)

// DefaultParams returns the default module parameters.
func DefaultParams() Params {
	return Params{MaxRecordsPerBatch: DefaultMaxRecordsPerBatch, MaxClockSkew: DefaultMaxClockSkew, PacketTimeout: DefaultPacketTimeout}
}

// Validate checks parameter bounds.
func (p Params) Validate() error {
	if p.MaxRecordsPerBatch == 0 || p.MaxRecordsPerBatch > MaxRecordsPerBatchCeiling {
		return errorsmod.Wrapf(ErrInvalidParams, "max_records_per_batch must be 1..%d, got %d", MaxRecordsPerBatchCeiling, p.MaxRecordsPerBatch)
	}
	if p.MaxClockSkew < 0 || p.MaxClockSkew > 24*time.Hour {
		return errorsmod.Wrapf(ErrInvalidParams, "max_clock_skew must be between 0 and 24h, got %s", p.MaxClockSkew)
	}
	if p.PacketTimeout < time.Second || p.PacketTimeout > MaxPacketTimeout {
		return errorsmod.Wrapf(ErrInvalidParams, "packet_timeout must be between 1s and %s, got %s", MaxPacketTimeout, p.PacketTimeout)
	}
	return nil
}
