package types_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/credit/types"
)

var t0 = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func points(s types.Score) map[string]int64 {
	out := make(map[string]int64, len(s.Components))
	for _, c := range s.Components {
		out[c.Name] = c.Points
	}
	return out
}

func requireSums(t testing.TB, s types.Score) {
	t.Helper()
	var sum int64
	for _, c := range s.Components {
		sum += c.Points
	}
	require.Equal(t, int64(s.Score), sum, "components %v", s.Components)
	require.LessOrEqual(t, s.Score, uint32(types.MaxScore))
}

func TestComputeScoreComponents(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(p *types.CreditProfile)
		now      time.Time
		want     map[string]int64
		score    uint32
	}{
		{"new account", func(*types.CreditProfile) {}, t0, map[string]int64{"base": 500}, 500},
		{
			"one of each", func(p *types.CreditProfile) {
				p.OnTimeMilli, p.OnTimeCount, p.LateMilli, p.LateCount = 1000, 1, 1000, 1
				p.DefaultsMilli, p.DefaultCount, p.FraudMilli, p.FraudCount, p.TradeCount = 1000, 1, 1000, 1, 1
			}, t0,
			// n = 1 trade + 2 repayments = 3: 12 * bits.Len64(3) = 24.
			map[string]int64{"base": 500, "on_time_repayments": 25, "late_repayments": -40, "defaults": -150, "fraud_flags": -60, "volume": 24},
			299,
		},
		{
			"one rejected application", func(p *types.CreditProfile) { p.RejectionsMilli, p.RejectionCount = 1000, 1 }, t0,
			map[string]int64{"base": 500, "rejected_applications": -50},
			450,
		},
		{
			"half an event rounds half away from zero", func(p *types.CreditProfile) {
				p.OnTimeMilli, p.OnTimeCount, p.DefaultsMilli, p.DefaultCount = 500, 1, 250, 1
			}, t0,
			// 0.5 * 25 = 12.5 -> 13; 0.25 * 150 = 37.5 -> 38; n = 1 -> 12.
			map[string]int64{"base": 500, "on_time_repayments": 13, "defaults": -38, "volume": 12},
			487,
		},
		{
			"caps", func(p *types.CreditProfile) {
				p.OnTimeMilli, p.OnTimeCount = 15_000, 15
				p.LateMilli, p.LateCount = 8_000, 8
				p.FraudMilli, p.FraudCount = 9_000, 9
			}, t0,
			// n = 23: 12 * 5 = 60.
			map[string]int64{"base": 500, "on_time_repayments": 350, "late_repayments": -300, "fraud_flags": -500, "volume": 60},
			110,
		},
		{
			"rejections capped", func(p *types.CreditProfile) { p.RejectionsMilli, p.RejectionCount = 7_000, 7 }, t0,
			// 7 x 50 = 350 > 300.
			map[string]int64{"base": 500, "rejected_applications": -300},
			200,
		},
		{
			"accumulators beyond 64-bit products hit the caps", func(p *types.CreditProfile) {
				p.OnTimeMilli, p.OnTimeCount, p.DefaultsMilli, p.DefaultCount = math.MaxUint64, math.MaxUint64, math.MaxUint64, math.MaxUint64
				p.TradeCount = math.MaxUint64
			}, t0,
			map[string]int64{"base": 500, "on_time_repayments": 350, "defaults": -500, "volume": 100},
			450,
		},
		{"tenure of 6 days 23 hours", func(*types.CreditProfile) {}, t0.Add(6*24*time.Hour + 23*time.Hour), map[string]int64{"base": 500}, 500},
		{"tenure of 7 days", func(*types.CreditProfile) {}, t0.Add(7 * 24 * time.Hour), map[string]int64{"base": 500, "tenure": 1}, 501},
		{"tenure capped", func(*types.CreditProfile) {}, t0.Add(5000 * 24 * time.Hour), map[string]int64{"base": 500, "tenure": 100}, 600},
		{
			"decayed on read", func(p *types.CreditProfile) { p.DefaultsMilli, p.DefaultCount = 2000, 2 }, t0.Add(types.DefaultDecayHalfLife),
			// 180 days of tenure = 25 weeks.
			map[string]int64{"base": 500, "defaults": -150, "tenure": 25},
			375,
		},
		{
			"clamped at 0", func(p *types.CreditProfile) {
				p.DefaultsMilli, p.DefaultCount, p.FraudMilli, p.FraudCount = 4000, 4, 9000, 9
			}, t0,
			map[string]int64{"base": 500, "defaults": -500, "fraud_flags": -500, "clamp": 500},
			0,
		},
		{
			"clamped at 1000", func(p *types.CreditProfile) {
				p.UpdatedAt = t0.Add(800 * 24 * time.Hour)
				p.OnTimeMilli, p.OnTimeCount, p.TradeCount = 14_000, 14, 242
			}, t0.Add(800 * 24 * time.Hour),
			map[string]int64{"base": 500, "on_time_repayments": 350, "volume": 100, "tenure": 100, "clamp": -50},
			1000,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := types.CreditProfile{Address: "cosmos1x", FirstSeen: t0, UpdatedAt: t0}
			tc.malleate(&p)
			s := types.ComputeScore(p, types.DefaultDecayHalfLife, tc.now)
			requireSums(t, s)
			require.Equal(t, tc.score, s.Score)
			got := points(s)
			for name, want := range tc.want {
				require.Equal(t, want, got[name], name)
			}
			for name, pts := range got {
				if _, listed := tc.want[name]; !listed {
					require.Zero(t, pts, "%s not expected to contribute", name)
				}
			}
			require.Equal(t, tc.now, s.AsOf)
			require.Equal(t, "cosmos1x", s.Address)
			_, clamped := got[types.ComponentClamp]
			_, wantClamp := tc.want[types.ComponentClamp]
			require.Equal(t, wantClamp, clamped, "clamp is listed only when clamping changed the sum")
		})
	}
}

func TestVolumePoints(t *testing.T) {
	for n, want := range map[uint64]int64{0: 0, 1: 12, 2: 24, 3: 24, 4: 36, 127: 84, 128: 96, 255: 96, 256: 100, math.MaxUint64: 100} {
		s := types.ComputeScore(types.CreditProfile{FirstSeen: t0, UpdatedAt: t0, TradeCount: n}, halfLife, t0)
		require.Equal(t, want, points(s)[types.ComponentVolume], "n=%d", n)
	}
	// Repayments count toward volume, trades and repayments saturate instead of wrapping.
	require.Equal(t, uint64(6), types.CreditProfile{TradeCount: 3, OnTimeCount: 2, LateCount: 1}.Volume())
	require.Equal(t, uint64(math.MaxUint64), types.CreditProfile{TradeCount: math.MaxUint64, LateCount: 1}.Volume())
}

func TestComponentOrderAndDetail(t *testing.T) {
	p := types.CreditProfile{FirstSeen: t0, UpdatedAt: t0, OnTimeMilli: 2500, OnTimeCount: 3}
	s := types.ComputeScore(p, halfLife, t0.Add(14*24*time.Hour))
	var names []string
	for _, c := range s.Components {
		names = append(names, c.Name)
	}
	require.Equal(t, []string{"base", "on_time_repayments", "late_repayments", "defaults", "fraud_flags", "rejected_applications", "volume", "tenure"}, names)
	require.Contains(t, s.Components[1].Detail, "decayed on-time repayments (3 lifetime) x +25, cap +350")
	require.Contains(t, s.Components[5].Detail, "decayed rejected applications (0 lifetime) x -50, cap -300")
	require.Contains(t, s.Components[7].Detail, "14 whole days since first seen / 7")
}

// FuzzScoreBreakdownSums checks, for any profile and time, that the score is
// in 0..1000 and its components sum to it exactly.
func FuzzScoreBreakdownSums(f *testing.F) {
	f.Add(uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), int64(0), int64(0), int64(1))
	f.Add(uint64(14_000), uint64(0), uint64(0), uint64(0), uint64(0), uint64(300), int64(0), int64(900*24*3600), int64(180*24*3600))
	f.Add(uint64(0), uint64(9_000), uint64(9_000), uint64(9_000), uint64(9_000), uint64(1), int64(5), int64(7), int64(3600))
	f.Add(uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(123_456), uint64(1), uint64(math.MaxUint64), uint64(math.MaxUint64), int64(-5), int64(1<<40), int64(1))
	f.Fuzz(func(t *testing.T, onTime, late, defaults, fraud, rejections, trades uint64, updatedAfter, nowAfter, halfLifeSeconds int64) {
		first := t0
		p := types.CreditProfile{
			FirstSeen: first, UpdatedAt: first.Add(time.Duration(updatedAfter%(1<<40)) * time.Second),
			OnTimeMilli: onTime, LateMilli: late, DefaultsMilli: defaults, FraudMilli: fraud, RejectionsMilli: rejections,
			OnTimeCount: onTime / 1000, LateCount: late / 1000, DefaultCount: defaults / 1000, FraudCount: fraud / 1000,
			RejectionCount: rejections / 1000, TradeCount: trades,
		}
		h := time.Duration(max(halfLifeSeconds%(1<<33), 1)) * time.Second
		now := first.Add(time.Duration(nowAfter%(1<<40)) * time.Second)
		s := types.ComputeScore(p, h, now)
		requireSums(t, s)
		again := types.ComputeScore(p, h, now)
		require.Equal(t, s, again, "deterministic")
	})
}
