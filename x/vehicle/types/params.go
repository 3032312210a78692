package types

import (
	"math"
	"time"

	errorsmod "cosmossdk.io/errors"
)

// Defaults for module parameters.
const (
	DefaultMaxRecordsPerBatch = 100
	DefaultMaxClockSkew       = 10 * time.Minute
	DefaultPacketTimeout      = 10 * time.Minute
	// DefaultMaxOdometerKmPerDay is about 24 hours at motorway speed: no car
	// read twice drives more between the readings.
	DefaultMaxOdometerKmPerDay = 2_000
	// DefaultOdometerGraceKm lets readings taken hours apart differ by a day's
	// normal driving without being flagged.
	DefaultOdometerGraceKm = 1_000
	// MaxPacketTimeout is IBC v2's limit on how far ahead a packet timeout may be.
	MaxPacketTimeout = 24 * time.Hour
	// MaxRecordsPerBatchCeiling bounds what governance may set, so one tx stays
	// well inside block gas and one IBC packet inside relayer limits.
	MaxRecordsPerBatchCeiling = 10_000
	// MaxOdometerKmPerDayCeiling and MaxOdometerGraceKm bound the odometer
	// envelope; above them the check would flag nothing a real odometer shows.
	MaxOdometerKmPerDayCeiling = 100_000
	MaxOdometerGraceKm         = 1_000_000
)

// DefaultParams returns the default module parameters.
func DefaultParams() Params {
	return Params{
		MaxRecordsPerBatch:  DefaultMaxRecordsPerBatch,
		MaxClockSkew:        DefaultMaxClockSkew,
		PacketTimeout:       DefaultPacketTimeout,
		MaxOdometerKmPerDay: DefaultMaxOdometerKmPerDay,
		OdometerGraceKm:     DefaultOdometerGraceKm,
	}
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
	if p.MaxOdometerKmPerDay == 0 || p.MaxOdometerKmPerDay > MaxOdometerKmPerDayCeiling {
		return errorsmod.Wrapf(ErrInvalidParams, "max_odometer_km_per_day must be 1..%d, got %d", MaxOdometerKmPerDayCeiling, p.MaxOdometerKmPerDay)
	}
	if p.OdometerGraceKm > MaxOdometerGraceKm {
		return errorsmod.Wrapf(ErrInvalidParams, "odometer_grace_km must be at most %d, got %d", MaxOdometerGraceKm, p.OdometerGraceKm)
	}
	return nil
}

// OdometerCeiling is the highest plausible reading at a time elapsed after a
// reading of fromKm: fromKm plus max_odometer_km_per_day for every whole
// second elapsed, plus odometer_grace_km, saturating. Params stored before
// max_odometer_km_per_day existed (a chain upgraded in place) hold 0 there and
// get the default rate until governance sets one.
func (p Params) OdometerCeiling(fromKm uint64, elapsed time.Duration) uint64 {
	rate := p.MaxOdometerKmPerDay
	if rate == 0 {
		rate = DefaultMaxOdometerKmPerDay
	}
	seconds := uint64(max(elapsed, 0) / time.Second)
	driven := uint64(math.MaxUint64)
	if seconds <= math.MaxUint64/rate {
		driven = rate * seconds / uint64(24*time.Hour/time.Second)
	}
	return saturatingAdd(saturatingAdd(fromKm, driven), p.OdometerGraceKm)
}

func saturatingAdd(a, b uint64) uint64 {
	if a > math.MaxUint64-b {
		return math.MaxUint64
	}
	return a + b
}
