package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
)

// Defaults of the lock-duration bounds.
const (
	DefaultMinLockDuration = 30 * time.Second
	DefaultMaxLockDuration = 30 * 24 * time.Hour
)

// DefaultParams allow locks from 30 seconds to 30 days.
func DefaultParams() Params {
	return Params{MinLockDuration: DefaultMinLockDuration, MaxLockDuration: DefaultMaxLockDuration}
}

// Validate wants a positive minimum and a maximum not below it.
func (p Params) Validate() error {
	if p.MinLockDuration <= 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "min_lock_duration must be positive, got %s", p.MinLockDuration)
	}
	if p.MaxLockDuration < p.MinLockDuration {
		return errorsmod.Wrapf(ErrInvalidParams, "max_lock_duration %s is below min_lock_duration %s", p.MaxLockDuration, p.MinLockDuration)
	}
	return nil
}

// CheckExpiry wants expiry between now+min and now+max (both included).
func (p Params) CheckExpiry(now, expiry time.Time) error {
	d := expiry.Sub(now)
	if d < p.MinLockDuration || d > p.MaxLockDuration {
		return errorsmod.Wrapf(ErrInvalidExpiry, "expiry %s is %s after the block time %s; it must be between %s and %s after it (x/htlc params min/max_lock_duration)",
			expiry.UTC().Format(time.RFC3339Nano), d, now.UTC().Format(time.RFC3339Nano), p.MinLockDuration, p.MaxLockDuration)
	}
	return nil
}
