package htlc

import "errors"

// Errors every rail returns (wrapped with the details), so callers can tell
// "try later" from "never".
var (
	// ErrUnsafeTimelocks: the expiries let one party end up with both legs.
	ErrUnsafeTimelocks = errors.New("unsafe timelocks")
	// ErrNotFound: no contract behind this reference on the rail.
	ErrNotFound = errors.New("htlc not found")
	// ErrExpired: a claim at or after the expiry.
	ErrExpired = errors.New("htlc expired")
	// ErrNotExpired: a refund before the expiry.
	ErrNotExpired = errors.New("htlc not expired yet")
	// ErrClaimed: the contract was claimed; it can no longer be refunded.
	ErrClaimed = errors.New("htlc already claimed")
	// ErrRefunded: the contract was refunded; it can no longer be claimed.
	ErrRefunded = errors.New("htlc already refunded")
	// ErrTermsMismatch: what is locked on the rail is not what was agreed.
	ErrTermsMismatch = errors.New("htlc does not match the agreed terms")
	// ErrInvalidTerms: terms a rail cannot lock (bad address, amount, expiry).
	ErrInvalidTerms = errors.New("invalid htlc terms")
)
