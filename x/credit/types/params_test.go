package types_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/credit/types"
)

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(p *types.Params)
		errMsg   string
	}{
		{"defaults", func(*types.Params) {}, ""},
		{"all zero minimums", func(p *types.Params) { p.MinScoreApply, p.MinScorePledge, p.MinScoreBuyOnCredit = 0, 0, 0 }, ""},
		{"minimums at the top", func(p *types.Params) { p.MinScoreApply, p.MinScorePledge, p.MinScoreBuyOnCredit = 1000, 1000, 1000 }, ""},
		{"one-second half-life", func(p *types.Params) { p.DecayHalfLife = time.Second }, ""},
		{"apply above 1000", func(p *types.Params) { p.MinScoreApply = 1001 }, "min_score_apply must be 0..1000, got 1001"},
		{"pledge above 1000", func(p *types.Params) { p.MinScorePledge = 5000 }, "min_score_pledge must be 0..1000"},
		{"buy on credit above 1000", func(p *types.Params) { p.MinScoreBuyOnCredit = 1001 }, "min_score_buy_on_credit must be 0..1000"},
		{"zero half-life", func(p *types.Params) { p.DecayHalfLife = 0 }, "decay_half_life must be a whole number of seconds, at least 1s, got 0s"},
		{"negative half-life", func(p *types.Params) { p.DecayHalfLife = -time.Hour }, "decay_half_life"},
		{"sub-second half-life", func(p *types.Params) { p.DecayHalfLife = time.Millisecond }, "decay_half_life"},
		{"fractional seconds", func(p *types.Params) { p.DecayHalfLife = 1500 * time.Millisecond }, "whole number of seconds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := types.DefaultParams()
			tc.malleate(&p)
			err := p.Validate()
			if tc.errMsg == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, types.ErrInvalidParams)
			require.ErrorContains(t, err, tc.errMsg)
		})
	}
}

func TestGates(t *testing.T) {
	p := types.Params{MinScoreApply: 1, MinScorePledge: 2, MinScoreBuyOnCredit: 3, DecayHalfLife: time.Hour}
	for gate, want := range map[types.Gate]types.GateMinimum{
		types.GATE_APPLY:         {Min: 1, Param: "min_score_apply", Action: "apply for an asset"},
		types.GATE_PLEDGE:        {Min: 2, Param: "min_score_pledge", Action: "pledge"},
		types.GATE_BUY_ON_CREDIT: {Min: 3, Param: "min_score_buy_on_credit", Action: "buy on credit"},
	} {
		require.NoError(t, gate.Validate())
		got, err := p.Minimum(gate)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	for _, bad := range []types.Gate{types.GATE_UNSPECIFIED, 42} {
		require.ErrorIs(t, bad.Validate(), types.ErrInvalidGate)
		_, err := p.Minimum(bad)
		require.ErrorContains(t, err, "use GATE_APPLY, GATE_PLEDGE or GATE_BUY_ON_CREDIT")
	}
}

func TestMsgUpdateParamsValidateBasic(t *testing.T) {
	gov := sdk.AccAddress(make([]byte, 20)).String()
	require.NoError(t, (&types.MsgUpdateParams{Authority: gov, Params: types.DefaultParams()}).ValidateBasic())
	require.ErrorIs(t, (&types.MsgUpdateParams{Authority: "gov", Params: types.DefaultParams()}).ValidateBasic(), types.ErrInvalidAddress)
	require.ErrorIs(t, (&types.MsgUpdateParams{Authority: gov}).ValidateBasic(), types.ErrInvalidParams)
}

func TestGenesisValidate(t *testing.T) {
	addrA := sdk.AccAddress(make([]byte, 20))
	profile := func() types.CreditProfile {
		return types.CreditProfile{
			Address: addrA.String(), FirstSeen: t0, UpdatedAt: t0.Add(time.Hour),
			OnTimeMilli: 1500, OnTimeCount: 2, LateMilli: 1000, LateCount: 1,
		}
	}
	tests := []struct {
		name     string
		malleate func(gs *types.GenesisState)
		errMsg   string
	}{
		{"default", func(gs *types.GenesisState) { gs.Profiles = nil }, ""},
		{"one profile", func(*types.GenesisState) {}, ""},
		{"bad params", func(gs *types.GenesisState) { gs.Params.DecayHalfLife = 0 }, "decay_half_life"},
		{"bad address", func(gs *types.GenesisState) { gs.Profiles[0].Address = "cosmos1nope" }, `profile address "cosmos1nope"`},
		{"empty address", func(gs *types.GenesisState) { gs.Profiles[0].Address = "" }, "profile address"},
		{"duplicate", func(gs *types.GenesisState) { gs.Profiles = append(gs.Profiles, profile()) }, "listed twice"},
		{"address in upper case", func(gs *types.GenesisState) { gs.Profiles[0].Address = strings.ToUpper(addrA.String()) }, "not in canonical form"},
		{"rejections above count", func(gs *types.GenesisState) {
			gs.Profiles[0].RejectionsMilli, gs.Profiles[0].RejectionCount = 2001, 2
		}, "rejections_milli 2001"},
		{"no first_seen", func(gs *types.GenesisState) { gs.Profiles[0].FirstSeen = time.Time{} }, "first_seen"},
		{"updated before first seen", func(gs *types.GenesisState) { gs.Profiles[0].UpdatedAt = t0.Add(-time.Second) }, "not after updated_at"},
		{"accumulator above count", func(gs *types.GenesisState) { gs.Profiles[0].LateMilli = 1001 }, "late_milli 1001 is more than 1 events' worth"},
		{"accumulator without events", func(gs *types.GenesisState) { gs.Profiles[0].FraudMilli = 1 }, "fraud_milli"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gs := types.DefaultGenesis()
			gs.Profiles = []types.CreditProfile{profile()}
			tc.malleate(gs)
			err := gs.Validate()
			if tc.errMsg == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, types.ErrInvalidGenesis)
			require.ErrorContains(t, err, tc.errMsg)
		})
	}
}
