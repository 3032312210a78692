package types_test

import (
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	"github.com/vinhub/vinhub/x/asset/types"
)

const (
	stellarNet     = "cee0302d59844d32bdca915c8203dd44b33fbb7edc19051ea37abedf28ecd472" // SHA-256 of the test network passphrase
	bitcoinNet     = "683e86bd5c6d110d91b94b97137ba6bfe02dbbdb8e3dff722a669b5d69d77af6"
	stellarAccount = "GBRPYHIL2CI3FNQ4BXLFMNDLFJUNPU2HY3ZMFSHONUCEOASW7QC7OX2H"
	bitcoinAccount = "sb1qw508d6qejxtdg4y5r3zarvary0c5xw7kyagj9q"
)

// pow2 is 2^n, plus delta.
func pow2(n uint, delta int64) sdkmath.Int {
	v := new(big.Int).Lsh(big.NewInt(1), n)
	return sdkmath.NewIntFromBigInt(v.Add(v, big.NewInt(delta)))
}

func rate(num, den int64) types.ExchangeRate {
	return types.ExchangeRate{Numerator: sdkmath.NewInt(num), Denominator: sdkmath.NewInt(den)}
}

func TestExchangeRateConvert(t *testing.T) {
	max := pow2(128, -1) // the largest payment x/notary attests
	cases := []struct {
		name    string
		amount  sdkmath.Int
		rate    types.ExchangeRate
		want    sdkmath.Int
		wantErr error
	}{
		{"1,000,000 stroops at 1 per 10000", sdkmath.NewInt(1_000_000), rate(1, 10_000), sdkmath.NewInt(100), nil},
		{"a remainder is dropped", sdkmath.NewInt(1_009_999), rate(1, 10_000), sdkmath.NewInt(100), nil},
		{"less than one unit is zero", sdkmath.NewInt(9_999), rate(1, 10_000), sdkmath.ZeroInt(), nil},
		{"rounds down, never up: 12345 × 3 ÷ 7 = 5290.7", sdkmath.NewInt(12_345), rate(3, 7), sdkmath.NewInt(5_290), nil},
		{"exact quotient", sdkmath.NewInt(14), rate(3, 7), sdkmath.NewInt(6), nil},
		{"one satoshi at 1000", sdkmath.OneInt(), rate(1_000, 1), sdkmath.NewInt(1_000), nil},
		{"zero", sdkmath.ZeroInt(), rate(3, 2), sdkmath.ZeroInt(), nil},
		{"2^128 − 1 at 1", max, rate(1, 1), max, nil},
		{"2^128 − 1 at 1 per 2^128 rounds to 0", max, types.ExchangeRate{Numerator: sdkmath.OneInt(), Denominator: pow2(128, 0)}, sdkmath.ZeroInt(), nil},
		{"2^128 − 1 at 2^127: 255 bits fit", max, types.ExchangeRate{Numerator: pow2(127, 0), Denominator: sdkmath.OneInt()}, pow2(255, 0).Sub(pow2(127, 0)), nil},
		{"2^128 − 1 at 2^127 + 1: 256 bits overflow", max, types.ExchangeRate{Numerator: pow2(127, 1), Denominator: sdkmath.OneInt()}, sdkmath.Int{}, types.ErrInvalidAmount},
		{"huge terms cancel: 2^200 per 2^199", max, types.ExchangeRate{Numerator: pow2(200, 0), Denominator: pow2(199, 0)}, max.MulRaw(2), nil},
		{"2^128 is above what the notaries attest", pow2(128, 0), rate(1, 1), sdkmath.Int{}, types.ErrInvalidAmount},
		{"negative amount", sdkmath.NewInt(-1), rate(1, 1), sdkmath.Int{}, types.ErrInvalidAmount},
		{"nil amount", sdkmath.Int{}, rate(1, 1), sdkmath.Int{}, types.ErrInvalidAmount},
		{"zero denominator", sdkmath.OneInt(), rate(1, 0), sdkmath.Int{}, types.ErrInvalidAmount},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.rate.Convert(tc.amount)
			if tc.wantErr != nil {
				require.True(t, errorsmod.IsOf(err, tc.wantErr), "got %v", err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want.String(), got.String())
		})
	}
}

func TestExchangeRateValidate(t *testing.T) {
	cases := []struct {
		name string
		rate types.ExchangeRate
		ok   bool
	}{
		{"1 per 10000", rate(1, 10_000), true},
		{"3 per 2", rate(3, 2), true},
		{"2^127: the largest payment still fits", types.ExchangeRate{Numerator: pow2(127, 0), Denominator: sdkmath.OneInt()}, true},
		{"2^127 + 1: the largest payment would overflow", types.ExchangeRate{Numerator: pow2(127, 1), Denominator: sdkmath.OneInt()}, false},
		{"zero numerator", rate(0, 1), false},
		{"zero denominator", rate(1, 0), false},
		{"negative numerator", rate(-1, 1), false},
		{"negative denominator", rate(1, -1), false},
		{"unset", types.ExchangeRate{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.rate.Validate()
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, types.ErrInvalidForeignRepayment)
		})
	}
}

func stellarTerm() types.ForeignRepayment {
	return types.ForeignRepayment{Platform: "stellar", NetworkId: stellarNet, Asset: "native", Account: stellarAccount, Rate: rate(1, 10_000)}
}

func bitcoinTerm() types.ForeignRepayment {
	return types.ForeignRepayment{Platform: "bitcoin", NetworkId: bitcoinNet, Asset: "btc", Account: bitcoinAccount, Rate: rate(3, 2)}
}

func TestForeignRepaymentsValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(terms []types.ForeignRepayment) []types.ForeignRepayment
		ok     bool
	}{
		{"stellar and bitcoin", func(ts []types.ForeignRepayment) []types.ForeignRepayment { return ts }, true},
		{"none", func([]types.ForeignRepayment) []types.ForeignRepayment { return nil }, true},
		{"a credit asset on stellar", func(ts []types.ForeignRepayment) []types.ForeignRepayment {
			ts[0].Asset = "USDC:GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN"
			return ts
		}, true},
		{"a base58 bitcoin address (mixed case)", func(ts []types.ForeignRepayment) []types.ForeignRepayment {
			ts[1].Account = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
			return ts
		}, true},
		{"one asset on two networks", func(ts []types.ForeignRepayment) []types.ForeignRepayment {
			other := stellarTerm()
			other.NetworkId = strings.Repeat("ab", 32)
			return append(ts, other)
		}, true},
		{"a ledger is not a payment rail", func(ts []types.ForeignRepayment) []types.ForeignRepayment { ts[0].Platform = "ledger"; return ts }, false},
		{"platform in upper case", func(ts []types.ForeignRepayment) []types.ForeignRepayment { ts[0].Platform = "Stellar"; return ts }, false},
		{"network id in upper case", func(ts []types.ForeignRepayment) []types.ForeignRepayment {
			ts[0].NetworkId = strings.ToUpper(stellarNet)
			return ts
		}, false},
		{"short network id", func(ts []types.ForeignRepayment) []types.ForeignRepayment { ts[1].NetworkId = "abcd"; return ts }, false},
		{"no asset", func(ts []types.ForeignRepayment) []types.ForeignRepayment { ts[0].Asset = ""; return ts }, false},
		{"asset with a control character", func(ts []types.ForeignRepayment) []types.ForeignRepayment { ts[0].Asset = "nat\nive"; return ts }, false},
		{"stellar account in lower case", func(ts []types.ForeignRepayment) []types.ForeignRepayment {
			ts[0].Account = strings.ToLower(stellarAccount)
			return ts
		}, false},
		{"muxed stellar account", func(ts []types.ForeignRepayment) []types.ForeignRepayment {
			ts[0].Account = "M" + stellarAccount[1:] + "AAAAAAAAAAAAA"
			return ts
		}, false},
		{"no account", func(ts []types.ForeignRepayment) []types.ForeignRepayment { ts[1].Account = ""; return ts }, false},
		{"bitcoin account with a space", func(ts []types.ForeignRepayment) []types.ForeignRepayment { ts[1].Account += " "; return ts }, false},
		{"bech32 account in upper case", func(ts []types.ForeignRepayment) []types.ForeignRepayment {
			ts[1].Account = strings.ToUpper(bitcoinAccount)
			return ts
		}, false},
		{"zero rate", func(ts []types.ForeignRepayment) []types.ForeignRepayment { ts[1].Rate = rate(0, 1); return ts }, false},
		{"two terms for one asset on one network", func(ts []types.ForeignRepayment) []types.ForeignRepayment {
			twin := stellarTerm()
			twin.Rate = rate(1, 1) // a different rate: which would apply?
			return append(ts, twin)
		}, false},
		{"more than MaxForeignRepayments", func(ts []types.ForeignRepayment) []types.ForeignRepayment {
			for i := 0; len(ts) <= types.MaxForeignRepayments; i++ {
				extra := bitcoinTerm()
				extra.Asset = "btc" + strings.Repeat("x", i+1)
				ts = append(ts, extra)
			}
			return ts
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := types.ValidateForeignRepayments(tc.mutate([]types.ForeignRepayment{stellarTerm(), bitcoinTerm()}))
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, types.ErrInvalidForeignRepayment)
		})
	}
}

func TestForeignPlatformNames(t *testing.T) {
	for _, name := range []string{"stellar", "bitcoin"} {
		p, ok := types.ForeignPlatform(name)
		require.True(t, ok, name)
		require.Equal(t, name, p.Name(), "x/notary spells it the same way")
	}
	for _, name := range []string{"ledger", "unspecified", "", "STELLAR"} {
		_, ok := types.ForeignPlatform(name)
		require.False(t, ok, name)
	}
}
