package sealed

import (
	"bytes"
	"crypto/ecdh"
	"fmt"
)

// KeySize is the length of an X25519 public key.
const KeySize = 32

// fieldPrime is 2^255 - 19, little-endian, as X25519 encodes u-coordinates.
var fieldPrime = [KeySize]byte{
	0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
}

// probeKey is a fixed scalar for the low-order check: a clamped X25519
// scalar is a multiple of the cofactor, so the shared secret with a point
// of small order is zero whatever the scalar, and never zero otherwise.
// Fixed, so the check is deterministic on every validator.
var probeKey = mustProbeKey()

func mustProbeKey() *ecdh.PrivateKey {
	k, err := ecdh.X25519().NewPrivateKey(bytes.Repeat([]byte{0x5a}, KeySize))
	if err != nil {
		panic(err)
	}
	return k
}

// ValidatePublicKey accepts an X25519 public key a recipient can be sealed
// to: 32 bytes, canonical (u < 2^255-19), and not of small order (the
// all-zero key among them), so a sender never derives a known secret.
func ValidatePublicKey(pub []byte) error {
	if len(pub) != KeySize {
		return fmt.Errorf("%d bytes: %w", len(pub), ErrKeyLength)
	}
	if !lessLittleEndian(pub, fieldPrime[:]) {
		return fmt.Errorf("%x: %w", pub, ErrKeyNotCanonical)
	}
	pk, err := ecdh.X25519().NewPublicKey(pub)
	if err != nil {
		return fmt.Errorf("%x: %w", pub, ErrKeyLength)
	}
	if _, err := probeKey.ECDH(pk); err != nil {
		return fmt.Errorf("%x: %w", pub, ErrKeyLowOrder)
	}
	return nil
}

// lessLittleEndian reports a < b for equal-length little-endian numbers.
func lessLittleEndian(a, b []byte) bool {
	for i := len(a) - 1; i >= 0; i-- {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
