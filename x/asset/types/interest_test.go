package types_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/asset/types"
)

func TestInterest(t *testing.T) {
	day := 24 * time.Hour
	cases := []struct {
		name      string
		principal int64
		bps       uint32
		elapsed   time.Duration
		want      int64
	}{
		{"a full year at 10%", 10_000, 1_000, types.Year, 1_000},
		{"15 days at 10% rounds up", 10_000, 1_000, 15 * day, 42},
		{"one second still costs one unit", 10_000, 1_000, time.Second, 1},
		{"zero rate", 10_000, 0, types.Year, 0},
		{"no time elapsed", 10_000, 1_000, 0, 0},
		{"negative elapsed (clock skew) is zero", 10_000, 1_000, -day, 0},
		{"sub-second elapsed is zero", 10_000, 1_000, time.Millisecond, 0},
		{"two years at 50%", 1_000_000, 5_000, 2 * types.Year, 1_000_000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := types.Interest(sdkmath.NewInt(tc.principal), tc.bps, tc.elapsed)
			require.NoError(t, err)
			require.Equal(t, sdkmath.NewInt(tc.want), got)
		})
	}
}

func TestAmountDueOverflowIsAnError(t *testing.T) {
	huge, ok := sdkmath.NewIntFromString("10000000000000000000000000000000000000000000000000000000000000000000000000000")
	require.True(t, ok)
	require.ErrorIs(t, types.CheckInterestFits(sdk.NewCoin("stake", huge), 1_000), types.ErrInvalidAmount)
	require.NoError(t, types.CheckInterestFits(sdk.NewCoin("stake", sdkmath.NewInt(1_000_000_000)), 5_000))
}

func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	p := types.DefaultParams()
	p.MaxInterestRateBps = types.BasisPoints + 1
	require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
	p = types.DefaultParams()
	p.MaxTerm = 0
	require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
	p = types.DefaultParams()
	p.RedemptionFee = sdk.Coins{sdk.Coin{Denom: "stake", Amount: sdkmath.NewInt(-1)}}
	require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
	require.ErrorIs(t, types.DefaultParams().CheckLoanTerms(5_001, time.Hour), types.ErrRateOutOfBounds)
	require.ErrorIs(t, types.DefaultParams().CheckLoanTerms(0, 0), types.ErrInvalidTerm)
	require.NoError(t, types.DefaultParams().CheckLoanTerms(0, time.Hour))
}

func FuzzInterestNeverNegativeAndMonotonic(f *testing.F) {
	f.Add(int64(10_000), uint32(1_000), int64(3600))
	f.Fuzz(func(t *testing.T, principal int64, bps uint32, seconds int64) {
		if principal < 0 || bps > types.BasisPoints || seconds < 0 || seconds > int64(100*types.Year/time.Second) {
			return
		}
		a, err := types.Interest(sdkmath.NewInt(principal), bps, time.Duration(seconds)*time.Second)
		require.NoError(t, err)
		b, err := types.Interest(sdkmath.NewInt(principal), bps, time.Duration(seconds+1)*time.Second)
		require.NoError(t, err)
		require.False(t, a.IsNegative())
		require.True(t, b.GTE(a), "interest grows with time")
	})
}
