package types_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/credit/types"
)

const halfLife = types.DefaultDecayHalfLife

func TestDecayExact(t *testing.T) {
	tests := []struct {
		name     string
		v        uint64
		elapsed  time.Duration
		halfLife time.Duration
		want     uint64
	}{
		{"no time", 1000, 0, halfLife, 1000},
		{"negative time", 1000, -time.Hour, halfLife, 1000},
		{"under a second", 1000, 999 * time.Millisecond, halfLife, 1000},
		{"one half-life", 1000, halfLife, halfLife, 500},
		{"two half-lives", 1000, 2 * halfLife, halfLife, 250},
		{"ten half-lives", 1 << 20, 10 * halfLife, halfLife, 1 << 10},
		{"half a half-life is table entry 8", 1000, halfLife / 2, halfLife, 707},
		{"a quarter is table entry 4", 1_000_000_000, halfLife / 4, halfLife, 840_896_415},
		// 16r/H = 0.5: halfway between T[0] and T[1], 1e9 - floor(42396719/2).
		{"interpolated between entries", 1_000_000_000, halfLife / 32, halfLife, 978_801_641},
		{"63 half-lives leave the top bit", math.MaxUint64, 63 * halfLife, halfLife, 1},
		{"64 half-lives reach zero", math.MaxUint64, 64 * halfLife, halfLife, 0},
		{"largest value, no overflow", math.MaxUint64, halfLife, halfLife, math.MaxUint64 >> 1},
		{"longest duration", 1000, time.Duration(math.MaxInt64), halfLife, 0},
		{"one-second half-life", 1000, 3 * time.Second, time.Second, 125},
		{"zero half-life is no decay", 1000, time.Hour, 0, 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, types.Decay(tc.v, tc.elapsed, tc.halfLife))
		})
	}
}

// TestDecayAccuracy compares the fixed-point decay with 2^(-t/H) in floating
// point (tests only): the linear interpolation between 1/16 steps is within
// 0.03% everywhere, and the result never grows with time.
func TestDecayAccuracy(t *testing.T) {
	const v = 1_000_000_000_000
	prev := uint64(v)
	for dt := time.Duration(0); dt <= 3*halfLife; dt += 7*time.Hour + 13*time.Second {
		got := types.Decay(v, dt, halfLife)
		want := v * math.Pow(2, -dt.Truncate(time.Second).Seconds()/halfLife.Seconds())
		require.InEpsilon(t, want, float64(got), 3e-4, "elapsed %s", dt)
		require.LessOrEqual(t, got, prev, "elapsed %s", dt)
		prev = got
	}
}

func TestDecayTo(t *testing.T) {
	t0 := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	p := types.CreditProfile{FirstSeen: t0, UpdatedAt: t0, OnTimeMilli: 1000, LateMilli: 2000, DefaultsMilli: 3000, FraudMilli: 4000, OnTimeCount: 7}

	got := p.DecayTo(t0.Add(halfLife+500*time.Millisecond), halfLife)
	require.Equal(t, []uint64{500, 1000, 1500, 2000}, []uint64{got.OnTimeMilli, got.LateMilli, got.DefaultsMilli, got.FraudMilli})
	require.Equal(t, t0.Add(halfLife), got.UpdatedAt, "updated_at advances by whole seconds only")
	require.Equal(t, uint64(7), got.OnTimeCount, "lifetime counts never decay")
	require.Equal(t, uint64(1000), p.OnTimeMilli, "the receiver is not modified")

	require.Equal(t, p, p.DecayTo(t0.Add(-time.Hour), halfLife), "a time before updated_at changes nothing")
}
