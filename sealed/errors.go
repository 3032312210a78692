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

// Errors of envelopes and disclosures.
var (
	// ErrMalformed: an envelope that breaks a structural rule (version, sizes, counts, names, duplicates).
	ErrMalformed = errors.New("malformed sealed envelope")
	// ErrNotRecipient: the key opening an envelope is not one it was sealed to.
	ErrNotRecipient = errors.New("not a recipient of the sealed envelope")
	// ErrTampered: a ciphertext, wrapped key or commitment that does not authenticate.
	ErrTampered = errors.New("sealed envelope does not authenticate")
	// ErrDisclosure: a disclosed field that does not match the envelope's commitment.
	ErrDisclosure = errors.New("disclosure does not match the commitment")
)
