package types_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/hashlock"
	"github.com/vinhub/vinhub/x/htlc/types"
)

var (
	alice = sdk.AccAddress(bytes.Repeat([]byte{1}, 20)).String()
	bob   = sdk.AccAddress(bytes.Repeat([]byte{2}, 20)).String()
)

func TestComputeIDBindsEveryField(t *testing.T) {
	base := []string{"vinhub-1", alice, bob, "100stake", strings.Repeat("ab", 32)}
	id := types.ComputeID(base[0], base[1], base[2], base[3], base[4])
	require.NoError(t, types.ValidateID(id))
	for i := range base {
		other := append([]string{}, base...)
		other[i] += "x"
		require.NotEqual(t, id, types.ComputeID(other[0], other[1], other[2], other[3], other[4]), "field %d", i)
	}
	// Length prefixes: moving a character across a field boundary changes the id.
	require.NotEqual(t, types.ComputeID("ab", "c", bob, "1stake", base[4]), types.ComputeID("a", "bc", bob, "1stake", base[4]))
	require.Equal(t, "asset:7", types.Escrow(nil, 7))
}

// FuzzMsgLockValidateBasic: whatever the hash lock and amount strings,
// ValidateBasic never panics, and accepts only a 64-hex-character hash and
// positive valid coins.
func FuzzMsgLockValidateBasic(f *testing.F) {
	f.Add(strings.Repeat("ab", 32), "100stake", uint64(0))
	f.Add(strings.Repeat("AB", 32), "", uint64(7))
	f.Add(strings.Repeat("ab", 31), "0stake", uint64(0))
	f.Add("zz", "1stake,2atom", uint64(1))
	f.Fuzz(func(t *testing.T, hashLock, amount string, assetID uint64) {
		coins, err := sdk.ParseCoinsNormalized(amount)
		if err != nil {
			coins = sdk.Coins{{Denom: amount}}
		}
		m := &types.MsgLock{Sender: alice, Recipient: bob, HashLock: hashLock, Expiry: time.Unix(1, 0), Amount: coins, AssetId: assetID}
		err = m.ValidateBasic()
		if err != nil {
			require.True(t, errorsmod.IsOf(err, types.ErrInvalidHashLock, types.ErrInvalidEscrow, types.ErrInvalidAmount), "unregistered error %v", err)
			return
		}
		b, herr := hex.DecodeString(strings.TrimSpace(hashLock))
		require.NoError(t, herr)
		require.Len(t, b, 32)
		require.True(t, (assetID != 0) != (len(coins) > 0), "exactly one of coins or a title")
		if assetID == 0 {
			require.True(t, coins.IsValid())
		}
	})
}

// FuzzMsgClaimValidateBasic: a secret passes only as 32 bytes of hex, and
// a passing secret verifies against its own hash; the lengths are named.
func FuzzMsgClaimValidateBasic(f *testing.F) {
	f.Add(strings.Repeat("01", 32))
	f.Add(strings.Repeat("01", 31))
	f.Add(strings.Repeat("01", 33))
	f.Add("not hex")
	f.Fuzz(func(t *testing.T, secret string) {
		m := &types.MsgClaim{Claimer: bob, Id: strings.Repeat("0", 64), Secret: secret}
		err := m.ValidateBasic()
		b, herr := hex.DecodeString(strings.TrimSpace(secret))
		switch {
		case herr != nil:
			require.True(t, errorsmod.IsOf(err, types.ErrInvalidSecret), "non-hex secret: %v", err)
		case len(b) != hashlock.SecretSize:
			require.True(t, errorsmod.IsOf(err, types.ErrSecretLength), "%d-byte secret: %v", len(b), err)
		default:
			require.NoError(t, err)
			s, perr := types.ParseSecret(secret)
			require.NoError(t, perr)
			require.NoError(t, types.VerifySecret(s.Hash().String(), s))
		}
	})
}

func TestParams(t *testing.T) {
	p := types.DefaultParams()
	require.NoError(t, p.Validate())
	now := time.Unix(1_800_000_000, 0)
	require.NoError(t, p.CheckExpiry(now, now.Add(30*time.Second)), "the minimum is allowed")
	require.NoError(t, p.CheckExpiry(now, now.Add(30*24*time.Hour)), "the maximum is allowed")
	require.ErrorContains(t, p.CheckExpiry(now, now.Add(30*time.Second-time.Nanosecond)), "between 30s and 720h0m0s")
}
