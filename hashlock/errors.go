package hashlock

import "errors"

// Errors of the hash rule, wrapped with the details by every function here.
var (
	// ErrSecretLength: a secret that is not exactly 32 bytes.
	ErrSecretLength = errors.New("secret must be exactly 32 bytes")
	// ErrHashLength: a lock that is not a 32-byte SHA-256.
	ErrHashLength = errors.New("hash lock must be exactly 32 bytes (SHA-256)")
	// ErrWrongSecret: the preimage does not hash to the lock.
	ErrWrongSecret = errors.New("secret does not match the hash lock")
)
