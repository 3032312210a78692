package keeper_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/x/credit/keeper"
	"github.com/vinhub/vinhub/x/credit/types"
)

var (
	alice = sdk.AccAddress(bytes.Repeat([]byte{0x0a}, 20))
	bob   = sdk.AccAddress(bytes.Repeat([]byte{0x0b}, 20))
	carol = sdk.AccAddress(bytes.Repeat([]byte{0x0c}, 20))
	t0    = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	day   = 24 * time.Hour
	half  = types.DefaultDecayHalfLife
)

type fixture struct {
	ctx       sdk.Context
	k         keeper.Keeper
	msgs      types.MsgServer
	queries   types.QueryServer
	authority string
}

// setup builds a keeper over a fresh store with the default genesis at t0.
func setup(t testing.TB) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	testCtx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	authority := authtypes.NewModuleAddress("gov").String()
	k := keeper.NewKeeper(moduletestutil.MakeTestEncodingConfig().Codec, runtime.NewKVStoreService(key),
		addresscodec.NewBech32Codec("cosmos"), authority)
	f := &fixture{ctx: testCtx.Ctx.WithBlockTime(t0).WithBlockHeight(7), k: k,
		msgs: keeper.NewMsgServerImpl(k), queries: keeper.NewQueryServerImpl(k), authority: authority}
	require.NoError(t, k.InitGenesis(f.ctx, *types.DefaultGenesis()))
	return f
}

// at moves the block time to t0 + d.
func (f *fixture) at(d time.Duration) { f.ctx = f.ctx.WithBlockTime(t0.Add(d)) }

// times calls hook n times.
func times(t testing.TB, n int, hook func() error) {
	t.Helper()
	for range n {
		require.NoError(t, hook())
	}
}

// score returns addr's score and its components by name, checking they sum to it.
func (f *fixture) score(t testing.TB, addr sdk.AccAddress) (uint32, map[string]int64) {
	t.Helper()
	s, err := f.k.Score(f.ctx, addr)
	require.NoError(t, err)
	byName := make(map[string]int64, len(s.Components))
	var sum int64
	for _, c := range s.Components {
		byName[c.Name] = c.Points
		sum += c.Points
	}
	require.Equal(t, int64(s.Score), sum, "breakdown %v", s.Components)
	require.Equal(t, addr.String(), s.Address)
	require.Equal(t, f.ctx.BlockTime(), s.AsOf)
	return s.Score, byName
}

func (f *fixture) profile(t testing.TB, addr sdk.AccAddress) types.CreditProfile {
	t.Helper()
	p, err := f.k.Profiles.Get(f.ctx, addr)
	require.NoError(t, err)
	return p
}

// scoreEvents returns the EventScoreChanged events emitted so far.
func (f *fixture) scoreEvents(t testing.TB) []*types.EventScoreChanged {
	t.Helper()
	var out []*types.EventScoreChanged
	for _, ev := range f.ctx.EventManager().ABCIEvents() {
		msg, err := sdk.ParseTypedEvent(ev)
		require.NoError(t, err)
		if e, ok := msg.(*types.EventScoreChanged); ok {
			out = append(out, e)
		}
	}
	return out
}

func TestHooksMoveScore(t *testing.T) {
	tests := []struct {
		name      string
		malleate  func(f *fixture) error
		score     uint32
		component string
		points    int64
		reason    string
	}{
		{"activity only", func(f *fixture) error { return f.k.RecordActivity(f.ctx, alice) }, 500, types.ComponentBase, 500, types.ReasonActivity},
		// +25, and volume n=1: +12.
		{"on-time repayment", func(f *fixture) error { return f.k.RecordRepayment(f.ctx, alice, true) }, 537, types.ComponentOnTime, 25, types.ReasonRepaymentOnTime},
		{"late repayment", func(f *fixture) error { return f.k.RecordRepayment(f.ctx, alice, false) }, 472, types.ComponentLate, -40, types.ReasonRepaymentLate},
		{"default", func(f *fixture) error { return f.k.RecordDefault(f.ctx, alice) }, 350, types.ComponentDefaults, -150, types.ReasonDefault},
		{"trade", func(f *fixture) error { return f.k.RecordTrade(f.ctx, alice) }, 512, types.ComponentVolume, 12, types.ReasonTrade},
		{"fraud flag", func(f *fixture) error { return f.k.AfterDealerRecordFlagged(f.ctx, alice, "alpha-motors", 42) }, 440, types.ComponentFraud, -60, types.ReasonFraudFlag},
		{"rejected application", func(f *fixture) error { return f.k.RecordRejection(f.ctx, alice) }, 450, types.ComponentRejected, -50, types.ReasonRejection},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			before, _ := f.score(t, alice)
			require.Equal(t, uint32(500), before, "an unseen account scores as new")
			has, err := f.k.Profiles.Has(f.ctx, alice)
			require.NoError(t, err)
			require.False(t, has, "reading a score stores nothing")

			require.NoError(t, tc.malleate(f))
			score, comps := f.score(t, alice)
			require.Equal(t, tc.score, score)
			require.Equal(t, tc.points, comps[tc.component])

			p := f.profile(t, alice)
			require.Equal(t, t0, p.FirstSeen)
			require.Equal(t, t0, p.UpdatedAt)
			require.Equal(t, alice.String(), p.Address)

			events := f.scoreEvents(t)
			require.Len(t, events, 1)
			require.Equal(t, types.EventScoreChanged{Address: alice.String(), Old: 500, New: tc.score, Reason: tc.reason, Detail: events[0].Detail}, *events[0])
			if tc.reason == types.ReasonFraudFlag {
				require.Equal(t, `dealer "alpha-motors" record 42`, events[0].Detail)
			}
			other, _ := f.score(t, bob)
			require.Equal(t, uint32(500), other, "other accounts are untouched")
		})
	}
}

func TestCaps(t *testing.T) {
	tests := []struct {
		name      string
		malleate  func(f *fixture) error
		n         int
		component string
		points    int64
		score     uint32
	}{
		// 14 x 25 = 350 reached; volume n=20: 12 x 5 = 60.
		{"on-time capped at +350", func(f *fixture) error { return f.k.RecordRepayment(f.ctx, alice, true) }, 20, types.ComponentOnTime, 350, 910},
		// 8 x 40 = 320 > 300; volume n=10: 12 x 4 = 48.
		{"late capped at -300", func(f *fixture) error { return f.k.RecordRepayment(f.ctx, alice, false) }, 10, types.ComponentLate, -300, 248},
		{"defaults capped at -500", func(f *fixture) error { return f.k.RecordDefault(f.ctx, alice) }, 5, types.ComponentDefaults, -500, 0},
		{"fraud capped at -500", func(f *fixture) error { return f.k.AfterDealerRecordFlagged(f.ctx, alice, "d", 1) }, 12, types.ComponentFraud, -500, 0},
		// 7 x 50 = 350 > 300.
		{"rejections capped at -300", func(f *fixture) error { return f.k.RecordRejection(f.ctx, alice) }, 7, types.ComponentRejected, -300, 200},
		// n=300: 12 x 9 = 108 > 100.
		{"volume capped at 100", func(f *fixture) error { return f.k.RecordTrade(f.ctx, alice) }, 300, types.ComponentVolume, 100, 600},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			times(t, tc.n, func() error { return tc.malleate(f) })
			score, comps := f.score(t, alice)
			require.Equal(t, tc.points, comps[tc.component])
			require.Equal(t, tc.score, score)
		})
	}
}

func TestDecay(t *testing.T) {
	f := setup(t)
	require.NoError(t, f.k.RecordDefault(f.ctx, alice))
	require.NoError(t, f.k.AfterDealerRecordFlagged(f.ctx, bob, "d", 1))
	require.NoError(t, f.k.RecordRepayment(f.ctx, carol, true))

	// One half-life later, read lazily: each event counts half. Tenure is
	// 180 days = 25 weeks.
	f.at(half)
	score, comps := f.score(t, alice)
	require.Equal(t, int64(-75), comps[types.ComponentDefaults])
	require.Equal(t, uint32(500-75+25), score)
	_, comps = f.score(t, bob)
	require.Equal(t, int64(-30), comps[types.ComponentFraud])
	_, comps = f.score(t, carol)
	require.Equal(t, int64(13), comps[types.ComponentOnTime], "12.5 rounds half away from zero")
	require.Equal(t, int64(12), comps[types.ComponentVolume], "volume counts lifetime events and never decays")
	require.Equal(t, t0, f.profile(t, alice).UpdatedAt, "a read stores nothing")

	// A second default stores the decayed value plus one event, stamped now.
	require.NoError(t, f.k.RecordDefault(f.ctx, alice))
	p := f.profile(t, alice)
	require.Equal(t, uint64(1500), p.DefaultsMilli)
	require.Equal(t, uint64(2), p.DefaultCount)
	require.Equal(t, t0.Add(half), p.UpdatedAt)
	require.Equal(t, t0, p.FirstSeen)
	_, comps = f.score(t, alice)
	require.Equal(t, int64(-225), comps[types.ComponentDefaults])

	// Two more half-lives: 1500 -> 375 milli -> 56.25 points -> 56.
	f.at(3 * half)
	_, comps = f.score(t, alice)
	require.Equal(t, int64(-56), comps[types.ComponentDefaults])

	// Forty half-lives: nothing left.
	f.at(40 * half)
	_, comps = f.score(t, alice)
	require.Zero(t, comps[types.ComponentDefaults])
}

func TestDecayFollowsHalfLifeParam(t *testing.T) {
	f := setup(t)
	p := types.DefaultParams()
	p.DecayHalfLife = 30 * day
	require.NoError(t, f.k.SetParams(f.ctx, p))
	require.NoError(t, f.k.RecordRepayment(f.ctx, alice, false))
	f.at(60 * day)
	_, comps := f.score(t, alice)
	require.Equal(t, int64(-10), comps[types.ComponentLate], "two 30-day half-lives: 40/4")
}

func TestTenureAndVolume(t *testing.T) {
	f := setup(t)
	require.NoError(t, f.k.RecordActivity(f.ctx, alice))
	tests := []struct {
		after  time.Duration
		tenure int64
	}{{0, 0}, {7*day - time.Second, 0}, {7 * day, 1}, {70 * day, 10}, {700 * day, 100}, {5000 * day, 100}}
	for _, tc := range tests {
		f.at(tc.after)
		_, comps := f.score(t, alice)
		require.Equal(t, tc.tenure, comps[types.ComponentTenure], "after %s", tc.after)
	}

	// Later activity does not move first_seen.
	require.NoError(t, f.k.RecordActivity(f.ctx, alice))
	require.Equal(t, t0, f.profile(t, alice).FirstSeen)

	// Volume counts trades and repayments, on time or late: n=4 -> 12 x 3.
	g := setup(t)
	require.NoError(t, g.k.RecordTrade(g.ctx, bob))
	require.NoError(t, g.k.RecordTrade(g.ctx, bob))
	require.NoError(t, g.k.RecordRepayment(g.ctx, bob, true))
	_, comps := g.score(t, bob)
	require.Equal(t, int64(24), comps[types.ComponentVolume])
	require.NoError(t, g.k.RecordRepayment(g.ctx, bob, false))
	_, comps = g.score(t, bob)
	require.Equal(t, int64(36), comps[types.ComponentVolume])
	require.NoError(t, g.k.RecordDefault(g.ctx, bob))
	_, comps = g.score(t, bob)
	require.Equal(t, int64(36), comps[types.ComponentVolume], "a default is not volume")
}

func TestClamp(t *testing.T) {
	f := setup(t)
	// 500 - 500 (defaults) - 500 (fraud) = -500: clamped to 0 with +500.
	times(t, 5, func() error { return f.k.RecordDefault(f.ctx, alice) })
	times(t, 10, func() error { return f.k.AfterDealerRecordFlagged(f.ctx, alice, "d", 1) })
	score, comps := f.score(t, alice)
	require.Equal(t, uint32(0), score)
	require.Equal(t, int64(500), comps[types.ComponentClamp])

	// 500 + 350 + 100 (volume) + 100 (tenure) = 1050: clamped to 1000 with -50.
	require.NoError(t, f.k.RecordActivity(f.ctx, bob))
	f.at(800 * day)
	times(t, 14, func() error { return f.k.RecordRepayment(f.ctx, bob, true) })
	times(t, 242, func() error { return f.k.RecordTrade(f.ctx, bob) })
	score, comps = f.score(t, bob)
	require.Equal(t, uint32(1000), score)
	require.Equal(t, int64(-50), comps[types.ComponentClamp])

	_, comps = f.score(t, carol)
	_, clamped := comps[types.ComponentClamp]
	require.False(t, clamped, "no clamp component when nothing was clamped")
}

func TestCheckScore(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(f *fixture)
		gate     types.Gate
		err      error
		errMsg   string
	}{
		{"new account may apply", func(*fixture) {}, types.GATE_APPLY, nil, ""},
		{"new account may buy on credit", func(*fixture) {}, types.GATE_BUY_ON_CREDIT, nil, ""},
		// one default: 350.
		{"one default may apply", func(f *fixture) { require.NoError(t, f.k.RecordDefault(f.ctx, alice)) }, types.GATE_APPLY, nil, ""},
		{"one default may not pledge", func(f *fixture) { require.NoError(t, f.k.RecordDefault(f.ctx, alice)) }, types.GATE_PLEDGE, types.ErrScoreTooLow,
			"credit score 350 of " + alice.String() + " is below the minimum 400 to pledge (x/credit param min_score_pledge)"},
		{"two defaults may not apply", func(f *fixture) { times(t, 2, func() error { return f.k.RecordDefault(f.ctx, alice) }) }, types.GATE_APPLY, types.ErrScoreTooLow,
			"credit score 200 of " + alice.String() + " is below the minimum 300 to apply for an asset (x/credit param min_score_apply)"},
		// one fraud flag: 440.
		{"one fraud flag may pledge", func(f *fixture) { require.NoError(t, f.k.AfterDealerRecordFlagged(f.ctx, alice, "d", 1)) }, types.GATE_PLEDGE, nil, ""},
		{"one fraud flag may not buy on credit", func(f *fixture) { require.NoError(t, f.k.AfterDealerRecordFlagged(f.ctx, alice, "d", 1)) }, types.GATE_BUY_ON_CREDIT, types.ErrScoreTooLow,
			"credit score 440 of " + alice.String() + " is below the minimum 450 to buy on credit (x/credit param min_score_buy_on_credit)"},
		{"exactly at the minimum passes", func(f *fixture) {
			require.NoError(t, f.k.AfterDealerRecordFlagged(f.ctx, alice, "d", 1))
			p := types.DefaultParams()
			p.MinScoreBuyOnCredit = 440
			require.NoError(t, f.k.SetParams(f.ctx, p))
		}, types.GATE_BUY_ON_CREDIT, nil, ""},
		{"one below the minimum fails", func(f *fixture) {
			require.NoError(t, f.k.AfterDealerRecordFlagged(f.ctx, alice, "d", 1))
			p := types.DefaultParams()
			p.MinScoreBuyOnCredit = 441
			require.NoError(t, f.k.SetParams(f.ctx, p))
		}, types.GATE_BUY_ON_CREDIT, types.ErrScoreTooLow, "below the minimum 441"},
		{"decay lets an old default pass again", func(f *fixture) {
			require.NoError(t, f.k.RecordDefault(f.ctx, alice))
			f.at(half) // 500 - 75 + 25 = 450
		}, types.GATE_PLEDGE, nil, ""},
		{"unspecified gate", func(*fixture) {}, types.GATE_UNSPECIFIED, types.ErrInvalidGate, "use GATE_APPLY, GATE_PLEDGE or GATE_BUY_ON_CREDIT"},
		{"unknown gate", func(*fixture) {}, types.Gate(9), types.ErrInvalidGate, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			tc.malleate(f)
			err := f.k.CheckScore(f.ctx, alice, tc.gate)
			if tc.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.err)
			require.ErrorContains(t, err, tc.errMsg)
		})
	}
}

func TestBadAddressInHooks(t *testing.T) {
	f := setup(t)
	for name, hook := range map[string]func(sdk.AccAddress) error{
		"activity":  func(a sdk.AccAddress) error { return f.k.RecordActivity(f.ctx, a) },
		"repayment": func(a sdk.AccAddress) error { return f.k.RecordRepayment(f.ctx, a, true) },
		"default":   func(a sdk.AccAddress) error { return f.k.RecordDefault(f.ctx, a) },
		"trade":     func(a sdk.AccAddress) error { return f.k.RecordTrade(f.ctx, a) },
		"fraud":     func(a sdk.AccAddress) error { return f.k.AfterDealerRecordFlagged(f.ctx, a, "d", 1) },
		"score":     func(a sdk.AccAddress) error { _, err := f.k.Score(f.ctx, a); return err },
		"check":     func(a sdk.AccAddress) error { return f.k.CheckScore(f.ctx, a, types.GATE_APPLY) },
	} {
		require.ErrorIs(t, hook(nil), types.ErrInvalidAddress, name)
		require.ErrorIs(t, hook(make(sdk.AccAddress, 300)), types.ErrInvalidAddress, name)
	}
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Empty(t, gs.Profiles)
}

func BenchmarkScore(b *testing.B) {
	f := setup(b)
	times(b, 3, func() error { return f.k.RecordRepayment(f.ctx, alice, true) })
	require.NoError(b, f.k.RecordDefault(f.ctx, alice))
	times(b, 20, func() error { return f.k.RecordTrade(f.ctx, alice) })
	f.at(100 * day)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.k.Score(f.ctx, alice); err != nil {
			b.Fatal(err)
		}
	}
}
