package sealed_test

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/sealed"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestValidatePublicKey(t *testing.T) {
	good, err := ecdh.X25519().GenerateKey(rand.Reader)
	require.NoError(t, err)
	tests := []struct {
		name    string
		key     []byte
		wantErr error
	}{
		{"generated key", good.PublicKey().Bytes(), nil},
		{"empty", nil, sealed.ErrKeyLength},
		{"31 bytes", make([]byte, 31), sealed.ErrKeyLength},
		{"33 bytes", make([]byte, 33), sealed.ErrKeyLength},
		{"all zero", make([]byte, 32), sealed.ErrKeyLowOrder},
		{"u = 1", append([]byte{1}, make([]byte, 31)...), sealed.ErrKeyLowOrder},
		// The points of order 8 (libsodium's blocklist).
		{"order 8 (a)", mustHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"), sealed.ErrKeyLowOrder},
		{"order 8 (b)", mustHex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"), sealed.ErrKeyLowOrder},
		{"p - 1 (order 2)", mustHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), sealed.ErrKeyLowOrder},
		{"p (= 0, not canonical)", mustHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), sealed.ErrKeyNotCanonical},
		{"p + 1 (= 1, not canonical)", mustHex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), sealed.ErrKeyNotCanonical},
		{"top bit set", append(bytes.Clone(good.PublicKey().Bytes()[:31]), good.PublicKey().Bytes()[31]|0x80), sealed.ErrKeyNotCanonical},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := sealed.ValidatePublicKey(tc.key)
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.wantErr)
		})
	}
}
