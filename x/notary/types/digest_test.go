package types_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/vinhub/vinhub/x/notary/types"
)

func sample() types.Observation {
	h := sha256.Sum256([]byte("tx"))
	n := sha256.Sum256([]byte("net"))
	return types.Observation{Platform: types.PLATFORM_STELLAR, NetworkId: hexOf(n[:]), TxRef: hexOf(h[:]), Height: 5, Index: 1,
		Time:    time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Payload: &types.Observation_Payment{Payment: &types.Payment{Asset: "native", Amount: sdkmath.NewInt(42), From: "GA", To: "GB", Memo: "loan:7"}}}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

// The digest is BIP-340's tagged hash, computed here by hand from the spec.
func TestDigestIsTheTaggedHash(t *testing.T) {
	obs := sample()
	enc, err := obs.Encode()
	require.NoError(t, err)
	tag := sha256.Sum256([]byte("vinhub/notary/v1"))
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], 3)
	want := sha256.Sum256(bytes.Join([][]byte{tag[:], tag[:], v[:], enc}, nil))
	got, err := types.Digest(obs, 3)
	require.NoError(t, err)
	require.Equal(t, want, got)

	other, err := types.Digest(obs, 4)
	require.NoError(t, err)
	require.NotEqual(t, got, other, "the set version is bound")
	// The same facts at another time zone encode the same.
	local := obs
	local.Time = obs.Time.In(time.FixedZone("x", 3600))
	again, err := types.Digest(local, 3)
	require.NoError(t, err)
	require.Equal(t, got, again)
}

func TestVerifySignature(t *testing.T) {
	key, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{7}, 32))
	other, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{8}, 32))
	d, err := types.Digest(sample(), 1)
	require.NoError(t, err)
	sig, err := types.Sign(key, d)
	require.NoError(t, err)
	pk := types.PubKeyBytes(key)
	require.NoError(t, types.VerifySignature(pk, d, sig))

	flipped := append([]byte{}, sig...)
	flipped[40] ^= 1
	wrongDigest := d
	wrongDigest[0] ^= 1
	cases := map[string]error{
		"other key":         types.VerifySignature(types.PubKeyBytes(other), d, sig),
		"flipped bit":       types.VerifySignature(pk, d, flipped),
		"other digest":      types.VerifySignature(pk, wrongDigest, sig),
		"short signature":   types.VerifySignature(pk, d, sig[:63]),
		"compressed key":    types.VerifySignature(key.PubKey().SerializeCompressed(), d, sig),
		"key not on curve":  types.VerifySignature(bytes.Repeat([]byte{0xff}, 32), d, sig),
		"r not below p":     types.VerifySignature(pk, d, append(bytes.Repeat([]byte{0xff}, 32), sig[32:]...)),
		"s not below order": types.VerifySignature(pk, d, append(append([]byte{}, sig[:32]...), bytes.Repeat([]byte{0xff}, 32)...)),
	}
	for name, err := range cases {
		require.Error(t, err, name)
	}
}

func TestLoanMemo(t *testing.T) {
	id, ok := types.ParseLoanMemo(types.LoanMemo(42))
	require.True(t, ok)
	require.EqualValues(t, 42, id)
	for _, bad := range []string{"loan:", "loan:0", "loan:007", "loan:-1", "LOAN:4", "loan:4 ", "4"} {
		_, ok := types.ParseLoanMemo(bad)
		require.False(t, ok, bad)
	}
}

// Decoding outside data, hashing it and checking signatures over it never
// panics, whatever the bytes.
func FuzzObservation(f *testing.F) {
	enc, _ := func() ([]byte, error) { o := sample(); return o.Encode() }()
	f.Add(enc, []byte{}, []byte{})
	key, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{7}, 32))
	d, _ := types.Digest(sample(), 1)
	sig, _ := types.Sign(key, d)
	f.Add(enc, types.PubKeyBytes(key), sig)
	f.Fuzz(func(t *testing.T, data, pk, sig []byte) {
		var obs types.Observation
		if err := obs.Unmarshal(data); err != nil {
			return
		}
		valid := obs.Validate() == nil
		digest, err := types.Digest(obs, 1)
		if err != nil {
			return
		}
		if types.VerifySignature(pk, digest, sig) == nil && !valid {
			// A signature may verify over anything; the keeper validates first.
			return
		}
		_ = obs.SourceKey()
	})
}
