package htlc

import "errors"

// Errors every rail returns (wrapped with the details), so callers can tell
// "try later" from "never".
var (
	// ErrSecretLength: a secret that is not exactly 32 bytes.
	ErrSecretLength = errors.New("secret must be exactly 32 bytes")
	// ErrHashLength: a lock that is not a 32-byte SHA-256.
	ErrHashLength = errors.New("hash lock must be exactly 32 bytes (SHA-256)")
	// ErrWrongSecret: the preimage does not hash to the lock.
	ErrWrongSecret = errors.New("secret does not match the hash lock")
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
