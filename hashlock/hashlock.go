package hashlock

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// SecretSize is the only accepted preimage length on every rail. Bitcoin
// scripts check it with OP_SIZE, so a longer or shorter secret that hashes
// right on one rail could be unclaimable on another.
const SecretSize = 32

// Secret is a swap's preimage.
type Secret [SecretSize]byte

// Hash is the SHA-256 of a Secret: the lock every leg of a swap shares.
type Hash [sha256.Size]byte

// NewSecret draws a secret from crypto/rand.
func NewSecret() (Secret, error) {
	var s Secret
	if _, err := io.ReadFull(rand.Reader, s[:]); err != nil {
		return s, fmt.Errorf("draw secret: %w", err)
	}
	return s, nil
}

// SecretFromBytes accepts exactly SecretSize bytes.
func SecretFromBytes(b []byte) (Secret, error) {
	var s Secret
	if len(b) != SecretSize {
		return s, fmt.Errorf("%w: got %d bytes", ErrSecretLength, len(b))
	}
	copy(s[:], b)
	return s, nil
}

// ParseSecret reads a hex-encoded secret.
func ParseSecret(s string) (Secret, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return Secret{}, fmt.Errorf("secret is not hex: %w", err)
	}
	return SecretFromBytes(b)
}

// HashFromBytes accepts exactly 32 bytes.
func HashFromBytes(b []byte) (Hash, error) {
	var h Hash
	if len(b) != len(h) {
		return h, fmt.Errorf("%w: got %d bytes", ErrHashLength, len(b))
	}
	copy(h[:], b)
	return h, nil
}

// ParseHash reads a hex-encoded hash.
func ParseHash(s string) (Hash, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return Hash{}, fmt.Errorf("hash is not hex: %w", err)
	}
	return HashFromBytes(b)
}

// Hash is the lock for this secret.
func (s Secret) Hash() Hash { return sha256.Sum256(s[:]) }

// String is the secret in hex.
func (s Secret) String() string { return hex.EncodeToString(s[:]) }

// String is the hash in hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h was never set.
func (h Hash) IsZero() bool { return h == Hash{} }

// MarshalText writes the hash in hex (for JSON swap files).
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads the hash in hex.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// MarshalText writes the secret in hex (for JSON swap files).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the secret in hex.
func (s *Secret) UnmarshalText(b []byte) error {
	v, err := ParseSecret(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Verify checks a candidate preimage against a lock: it must be exactly
// SecretSize bytes and hash to h.
func Verify(h Hash, preimage []byte) (Secret, error) {
	s, err := SecretFromBytes(preimage)
	if err != nil {
		return s, err
	}
	got := s.Hash()
	if subtle.ConstantTimeCompare(got[:], h[:]) != 1 {
		return Secret{}, fmt.Errorf("%w: sha256 is %s, the lock is %s", ErrWrongSecret, got, h)
	}
	return s, nil
}
