package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/credit/types"
)

// TestSpecWorkedExample is the worked example of docs/spec/credit.md; keep
// the two in step.
func TestSpecWorkedExample(t *testing.T) {
	f := setup(t)
	require.NoError(t, f.k.RecordActivity(f.ctx, alice))
	f.at(10 * day)
	times(t, 2, func() error { return f.k.RecordTrade(f.ctx, alice) })
	f.at(30 * day)
	times(t, 3, func() error { return f.k.RecordRepayment(f.ctx, alice, true) })
	f.at(60 * day)
	require.NoError(t, f.k.RecordRepayment(f.ctx, alice, false))
	p := f.profile(t, alice)
	require.Equal(t, []uint64{2673, 1000}, []uint64{p.OnTimeMilli, p.LateMilli})
	f.at(90 * day)
	require.NoError(t, f.k.AfterDealerRecordFlagged(f.ctx, alice, "alpha-motors", 1042))
	require.NoError(t, f.k.RecordRejection(f.ctx, alice))
	p = f.profile(t, alice)
	require.Equal(t, types.CreditProfile{
		Address: alice.String(), FirstSeen: t0, UpdatedAt: t0.Add(90 * day),
		OnTimeMilli: 2381, LateMilli: 891, FraudMilli: 1000, RejectionsMilli: 1000,
		OnTimeCount: 3, LateCount: 1, FraudCount: 1, RejectionCount: 1, TradeCount: 2,
	}, p)
	events := f.scoreEvents(t)
	require.Equal(t, types.EventScoreChanged{Address: alice.String(), Old: 572, New: 512, Reason: "fraud_flag", Detail: `dealer "alpha-motors" record 1042`}, *events[len(events)-2])
	require.Equal(t, types.EventScoreChanged{Address: alice.String(), Old: 512, New: 462, Reason: "application_rejected"}, *events[len(events)-1])

	f.at(270 * day)
	s, err := f.k.Score(f.ctx, alice)
	require.NoError(t, err)
	require.Equal(t, uint32(531), s.Score)
	require.Equal(t, []types.ScoreComponent{
		{Name: "base", Points: 500, Detail: "every account starts here"},
		{Name: "on_time_repayments", Points: 30, Detail: "1.190 decayed on-time repayments (3 lifetime) x +25, cap +350"},
		{Name: "late_repayments", Points: -18, Detail: "0.445 decayed late repayments (1 lifetime) x -40, cap -300"},
		{Name: "defaults", Points: 0, Detail: "0.000 decayed defaults (0 lifetime) x -150, cap -500"},
		{Name: "fraud_flags", Points: -30, Detail: "0.500 decayed fraud flags (1 lifetime) x -60, cap -500"},
		{Name: "rejected_applications", Points: -25, Detail: "0.500 decayed rejected applications (1 lifetime) x -50, cap -300"},
		{Name: "volume", Points: 36, Detail: "n=6 trades and repayments: 12 x bits.Len64(n)=3, cap 100"},
		{Name: "tenure", Points: 38, Detail: "270 whole days since first seen / 7, cap 100"},
	}, s.Components)
}
