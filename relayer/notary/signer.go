package notary

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/btcec/v2"

	"github.com/vinhub/vinhub/x/notary/types"
)

// Signer is a notary's BIP-340 key.
type Signer struct{ key *btcec.PrivateKey }

// NewSigner draws a fresh key.
func NewSigner() (Signer, error) {
	key, err := btcec.NewPrivateKey()
	if err != nil {
		return Signer{}, fmt.Errorf("draw notary key: %w", err)
	}
	return Signer{key: key}, nil
}

// ParseSigner reads a key written by Signer.String (64 hex characters).
func ParseSigner(s string) (Signer, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != btcec.PrivKeyBytesLen {
		return Signer{}, fmt.Errorf("notary key must be %d bytes in hex", btcec.PrivKeyBytesLen)
	}
	key, _ := btcec.PrivKeyFromBytes(b)
	return Signer{key: key}, nil
}

// String is the private key in hex: only ever written to the keyring.
func (s Signer) String() string { return hex.EncodeToString(s.key.Serialize()) }

// PubKey is the 32-byte x-only key governance puts in the notary set.
func (s Signer) PubKey() []byte { return types.PubKeyBytes(s.key) }

// PubKeyHex is PubKey in hex, as `vinrelay notary keys show` prints it.
func (s Signer) PubKeyHex() string { return hex.EncodeToString(s.PubKey()) }

// Sign signs an observation's digest under a set version.
func (s Signer) Sign(obs types.Observation, setVersion uint64) ([]byte, error) {
	digest, err := types.Digest(obs, setVersion)
	if err != nil {
		return nil, err
	}
	return types.Sign(s.key, digest)
}
