package sealed

import "errors"

// Errors of the sealed rules, wrapped with the details by every function
// here; modules wrap them again in their registered errors.
var (
	// ErrKeyLength: a public key that is not 32 bytes.
	ErrKeyLength = errors.New("an X25519 public key is exactly 32 bytes")
	// ErrKeyNotCanonical: a key whose u-coordinate is not reduced (>= 2^255-19, or the top bit set).
	ErrKeyNotCanonical = errors.New("X25519 public key is not in canonical form")
	// ErrKeyLowOrder: the all-zero key or another point of small order,
	// with which every shared secret is zero.
	ErrKeyLowOrder = errors.New("X25519 public key is a low-order point")
)
