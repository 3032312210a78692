package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/credit/types"
)

func TestUpdateParams(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(f *fixture, msg *types.MsgUpdateParams)
		err      error
	}{
		{"by governance", func(*fixture, *types.MsgUpdateParams) {}, nil},
		{"by governance, spelled in upper case", func(f *fixture, m *types.MsgUpdateParams) { m.Authority = strings.ToUpper(f.authority) }, nil},
		{"not the authority", func(_ *fixture, m *types.MsgUpdateParams) { m.Authority = alice.String() }, types.ErrInvalidAuthority},
		{"minimum above 1000", func(_ *fixture, m *types.MsgUpdateParams) { m.Params.MinScorePledge = 1001 }, types.ErrInvalidParams},
		{"zero half-life", func(_ *fixture, m *types.MsgUpdateParams) { m.Params.DecayHalfLife = 0 }, types.ErrInvalidParams},
		{"fractional-second half-life", func(_ *fixture, m *types.MsgUpdateParams) { m.Params.DecayHalfLife = 1500 * time.Millisecond }, types.ErrInvalidParams},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			msg := &types.MsgUpdateParams{Authority: f.authority, Params: types.Params{
				MinScoreApply: 100, MinScorePledge: 200, MinScoreBuyOnCredit: 300, DecayHalfLife: 90 * day,
			}}
			tc.malleate(f, msg)
			_, err := f.msgs.UpdateParams(f.ctx, msg)
			got, perr := f.k.GetParams(f.ctx)
			require.NoError(t, perr)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				require.Equal(t, types.DefaultParams(), got, "refused update changes nothing")
				return
			}
			require.NoError(t, err)
			require.Equal(t, msg.Params, got)
			require.Equal(t, "vinhub.credit.v1.EventParamsUpdated", f.ctx.EventManager().Events()[0].Type)
		})
	}
}

func TestQueries(t *testing.T) {
	f := setup(t)
	require.NoError(t, f.k.RecordRepayment(f.ctx, alice, true))
	require.NoError(t, f.k.RecordDefault(f.ctx, bob))
	require.NoError(t, f.k.RecordTrade(f.ctx, carol))
	f.at(3 * day)

	params, err := f.queries.Params(f.ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, types.DefaultParams(), params.Params)

	score, err := f.queries.Score(f.ctx, &types.QueryScoreRequest{Address: alice.String()})
	require.NoError(t, err)
	require.Equal(t, uint32(537), score.Score.Score)
	require.Equal(t, t0.Add(3*day), score.Score.AsOf)

	unseen, err := f.queries.Score(f.ctx, &types.QueryScoreRequest{Address: "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"})
	require.NoError(t, err)
	require.Equal(t, uint32(500), unseen.Score.Score)

	prof, err := f.queries.Profile(f.ctx, &types.QueryProfileRequest{Address: bob.String()})
	require.NoError(t, err)
	require.Equal(t, types.CreditProfile{Address: bob.String(), FirstSeen: t0, UpdatedAt: t0, DefaultsMilli: 1000, DefaultCount: 1}, prof.Profile)

	_, err = f.queries.Profile(f.ctx, &types.QueryProfileRequest{Address: "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"})
	require.Equal(t, codes.NotFound, status.Code(err))
	require.ErrorContains(t, err, "has no credit activity on the hub yet")

	page1, err := f.queries.Profiles(f.ctx, &types.QueryProfilesRequest{Pagination: &query.PageRequest{Limit: 2, CountTotal: true}})
	require.NoError(t, err)
	require.Len(t, page1.Profiles, 2)
	require.Equal(t, uint64(3), page1.Pagination.Total)
	page2, err := f.queries.Profiles(f.ctx, &types.QueryProfilesRequest{Pagination: &query.PageRequest{Key: page1.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, page2.Profiles, 1)
	require.Equal(t, []string{alice.String(), bob.String(), carol.String()},
		[]string{page1.Profiles[0].Address, page1.Profiles[1].Address, page2.Profiles[0].Address})
}

func TestQueryBadRequests(t *testing.T) {
	f := setup(t)
	tests := []struct {
		name   string
		call   func() error
		errMsg string
	}{
		{"score nil", func() error { _, err := f.queries.Score(f.ctx, nil); return err }, "empty request"},
		{"score empty address", func() error {
			_, err := f.queries.Score(f.ctx, &types.QueryScoreRequest{})
			return err
		}, "address is empty: give the account's bech32 address"},
		{"score bad address", func() error {
			_, err := f.queries.Score(f.ctx, &types.QueryScoreRequest{Address: "nope"})
			return err
		}, `address "nope"`},
		{"score other prefix", func() error {
			_, err := f.queries.Score(f.ctx, &types.QueryScoreRequest{Address: "osmo1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5afv7ye"})
			return err
		}, "give the account's bech32 address"},
		{"profile bad address", func() error {
			_, err := f.queries.Profile(f.ctx, &types.QueryProfileRequest{Address: "cosmos1nope"})
			return err
		}, `address "cosmos1nope"`},
		{"profile nil", func() error { _, err := f.queries.Profile(f.ctx, nil); return err }, "empty request"},
		{"profiles nil", func() error { _, err := f.queries.Profiles(f.ctx, nil); return err }, "empty request"},
		{"params nil", func() error { _, err := f.queries.Params(f.ctx, nil); return err }, "empty request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.Equal(t, codes.InvalidArgument, status.Code(err), err)
			require.ErrorContains(t, err, tc.errMsg)
		})
	}
}

func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	p := types.DefaultParams()
	p.MinScorePledge = 420
	require.NoError(t, f.k.SetParams(f.ctx, p))
	require.NoError(t, f.k.RecordActivity(f.ctx, carol))
	f.at(10 * day)
	require.NoError(t, f.k.RecordRepayment(f.ctx, alice, true))
	require.NoError(t, f.k.RecordRepayment(f.ctx, alice, false))
	require.NoError(t, f.k.AfterDealerRecordFlagged(f.ctx, bob, "d", 3))
	f.at(100*day + 1500*time.Millisecond)
	require.NoError(t, f.k.RecordDefault(f.ctx, alice))

	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	require.Len(t, exported.Profiles, 3)
	require.Equal(t, p, exported.Params)

	fresh := setup(t)
	fresh.ctx = fresh.ctx.WithBlockTime(f.ctx.BlockTime())
	require.NoError(t, fresh.k.InitGenesis(fresh.ctx, *exported))
	again, err := fresh.k.ExportGenesis(fresh.ctx)
	require.NoError(t, err)
	require.Equal(t, exported, again)
	for _, addr := range [][]byte{alice, bob, carol} {
		want, err := f.k.Score(f.ctx, addr)
		require.NoError(t, err)
		got, err := fresh.k.Score(fresh.ctx, addr)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
}

func TestInitGenesisRefusesInvalid(t *testing.T) {
	f := setup(t)
	good := types.CreditProfile{Address: alice.String(), FirstSeen: t0, UpdatedAt: t0, DefaultsMilli: 1000, DefaultCount: 1}
	for name, gs := range map[string]types.GenesisState{
		"duplicate profile": {Params: types.DefaultParams(), Profiles: []types.CreditProfile{good, good}},
		"bad address":       {Params: types.DefaultParams(), Profiles: []types.CreditProfile{{Address: "cosmos1bad", FirstSeen: t0, UpdatedAt: t0}}},
		"bad params":        {Profiles: []types.CreditProfile{good}},
	} {
		err := f.k.InitGenesis(f.ctx, gs)
		require.ErrorIs(t, err, types.ErrInvalidGenesis, name)
		has, err := f.k.Profiles.Has(f.ctx, alice)
		require.NoError(t, err)
		require.False(t, has, name)
	}
	params, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	require.Equal(t, types.DefaultParams(), params)
}
