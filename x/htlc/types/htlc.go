package types

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strconv"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/hashlock"
)

// ComputeID is hex(sha256(chain id, sender, recipient, escrow, hash lock)),
// each field prefixed by its length as a big-endian uint32 so that no two
// field lists hash alike. escrow is Escrow(amount, assetID).
func ComputeID(chainID, sender, recipient, escrow, hashLock string) string {
	h := sha256.New()
	for _, field := range []string{chainID, sender, recipient, escrow, hashLock} {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(field)))
		h.Write(n[:])
		h.Write([]byte(field))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Escrow names what is locked the way the id binds it: the coins
// ("100stake") or "asset:<id>" for a title.
func Escrow(amount sdk.Coins, assetID uint64) string {
	if assetID != 0 {
		return "asset:" + strconv.FormatUint(assetID, 10)
	}
	return amount.String()
}

// Escrow names what this HTLC holds.
func (h HTLC) Escrow() string { return Escrow(h.Amount, h.AssetId) }

// ExpectedID is the id the HTLC's own fields give.
func (h HTLC) ExpectedID() string {
	return ComputeID(h.ChainId, h.Sender, h.Recipient, h.Escrow(), h.HashLock)
}

// ParseHashLock reads a hex SHA-256 hash lock under the one hash rule.
func ParseHashLock(s string) (hashlock.Hash, error) {
	h, err := hashlock.ParseHash(s)
	if err != nil {
		return h, errorsmod.Wrapf(ErrInvalidHashLock, "hash lock %q: %v", s, err)
	}
	return h, nil
}

// ParseSecret reads a hex secret: exactly 32 bytes, or ErrSecretLength
// naming the length given.
func ParseSecret(s string) (hashlock.Secret, error) {
	sec, err := hashlock.ParseSecret(s)
	switch {
	case errors.Is(err, hashlock.ErrSecretLength):
		return sec, errorsmod.Wrapf(ErrSecretLength, "%v", err)
	case err != nil:
		return sec, errorsmod.Wrapf(ErrInvalidSecret, "%v", err)
	}
	return sec, nil
}

// VerifySecret checks a parsed secret against a stored hex hash lock.
func VerifySecret(hashLock string, s hashlock.Secret) error {
	h, err := ParseHashLock(hashLock)
	if err != nil {
		return err
	}
	if _, err := hashlock.Verify(h, s[:]); err != nil {
		return errorsmod.Wrapf(ErrWrongSecret, "its sha256 is %s, the lock is %s", s.Hash(), h)
	}
	return nil
}

// ValidateID wants 64 hex characters (a SHA-256).
func ValidateID(id string) error {
	if b, err := hex.DecodeString(id); err != nil || len(b) != sha256.Size {
		return errorsmod.Wrapf(ErrInvalidID, "got %q", id)
	}
	return nil
}
