package keeper_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/x/membership/keeper"
	"github.com/vinhub/vinhub/x/membership/types"
)

var (
	opA = sdk.AccAddress(bytes.Repeat([]byte{0x0a}, 20))
	opB = sdk.AccAddress(bytes.Repeat([]byte{0x0b}, 20))
)

type fixture struct {
	ctx       sdk.Context
	k         keeper.Keeper
	msgs      types.MsgServer
	queries   types.QueryServer
	authority string
}

func setup(t *testing.T) fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	testCtx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	ctx := testCtx.Ctx.WithBlockTime(time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)).WithBlockHeight(7)
	authority := authtypes.NewModuleAddress("gov").String()
	k := keeper.NewKeeper(moduletestutil.MakeTestEncodingConfig().Codec, runtime.NewKVStoreService(key),
		addresscodec.NewBech32Codec("cosmos"), authority)
	return fixture{ctx: ctx, k: k, msgs: keeper.NewMsgServerImpl(k), queries: keeper.NewQueryServerImpl(k), authority: authority}
}

func TestAdmitRevoke(t *testing.T) {
	f := setup(t)
	require.ErrorIs(t, f.k.CheckAdmitted(f.ctx, opA), types.ErrNotAdmitted)

	require.NoError(t, f.k.Admit(f.ctx, opA, "Alpha Motors validator"))
	require.NoError(t, f.k.CheckAdmitted(f.ctx, opA))
	require.ErrorIs(t, f.k.CheckAdmitted(f.ctx, opB), types.ErrNotAdmitted)
	op, err := f.k.Operators.Get(f.ctx, opA)
	require.NoError(t, err)
	require.Equal(t, types.Operator{Address: opA.String(), Note: "Alpha Motors validator", AdmittedHeight: 7}, op)

	require.ErrorIs(t, f.k.Admit(f.ctx, opA, "again"), types.ErrAlreadyAdmitted)

	require.NoError(t, f.k.Revoke(f.ctx, opA))
	require.ErrorIs(t, f.k.CheckAdmitted(f.ctx, opA), types.ErrNotAdmitted)
	require.ErrorIs(t, f.k.Revoke(f.ctx, opA), types.ErrNotAdmitted)

	var kinds []string
	for _, ev := range f.ctx.EventManager().Events() {
		kinds = append(kinds, ev.Type)
	}
	require.Equal(t, []string{"vinhub.membership.v1.EventOperatorAdmitted", "vinhub.membership.v1.EventOperatorRevoked"}, kinds)
}

func TestAfterValidatorCreated(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(t *testing.T, f fixture)
		wantErr  error
	}{
		{name: "not admitted", malleate: func(*testing.T, fixture) {}, wantErr: types.ErrNotAdmitted},
		{name: "other operator admitted", malleate: func(t *testing.T, f fixture) { require.NoError(t, f.k.Admit(f.ctx, opB, "")) }, wantErr: types.ErrNotAdmitted},
		{name: "admitted", malleate: func(t *testing.T, f fixture) { require.NoError(t, f.k.Admit(f.ctx, opA, "")) }},
		{name: "admitted then revoked", malleate: func(t *testing.T, f fixture) {
			require.NoError(t, f.k.Admit(f.ctx, opA, ""))
			require.NoError(t, f.k.Revoke(f.ctx, opA))
		}, wantErr: types.ErrNotAdmitted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			tc.malleate(t, f)
			// The validator operator address has the same bytes as the operator's account.
			err := f.k.Hooks().AfterValidatorCreated(f.ctx, sdk.ValAddress(opA))
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.wantErr)
			require.ErrorContains(t, err, opA.String())
		})
	}
}

func TestMsgServer(t *testing.T) {
	notGov := opB.String()
	tests := []struct {
		name     string
		malleate func(t *testing.T, f fixture)
		msg      func(f fixture) error
		wantErr  error
		admitted bool // opA afterwards
	}{
		{
			name: "admit by authority",
			msg: func(f fixture) error {
				_, err := f.msgs.AdmitOperator(f.ctx, &types.MsgAdmitOperator{Authority: f.authority, Operator: opA.String(), Note: "ok"})
				return err
			},
			admitted: true,
		},
		{
			name: "admit by someone else",
			msg: func(f fixture) error {
				_, err := f.msgs.AdmitOperator(f.ctx, &types.MsgAdmitOperator{Authority: notGov, Operator: opA.String()})
				return err
			},
			wantErr: types.ErrInvalidAuthority,
		},
		{
			name: "admit with a note too long",
			msg: func(f fixture) error {
				_, err := f.msgs.AdmitOperator(f.ctx, &types.MsgAdmitOperator{Authority: f.authority, Operator: opA.String(), Note: string(make([]byte, types.MaxNoteLength+1))})
				return err
			},
			wantErr: types.ErrInvalidNote,
		},
		{
			name: "admit a bad address",
			msg: func(f fixture) error {
				_, err := f.msgs.AdmitOperator(f.ctx, &types.MsgAdmitOperator{Authority: f.authority, Operator: "cosmosvaloper1xyz"})
				return err
			},
			wantErr: types.ErrInvalidAddress,
		},
		{
			name:     "revoke by someone else",
			malleate: func(t *testing.T, f fixture) { require.NoError(t, f.k.Admit(f.ctx, opA, "")) },
			msg: func(f fixture) error {
				_, err := f.msgs.RevokeOperator(f.ctx, &types.MsgRevokeOperator{Authority: notGov, Operator: opA.String()})
				return err
			},
			wantErr:  types.ErrInvalidAuthority,
			admitted: true,
		},
		{
			name:     "revoke by authority",
			malleate: func(t *testing.T, f fixture) { require.NoError(t, f.k.Admit(f.ctx, opA, "")) },
			msg: func(f fixture) error {
				_, err := f.msgs.RevokeOperator(f.ctx, &types.MsgRevokeOperator{Authority: f.authority, Operator: opA.String()})
				return err
			},
		},
		{
			name: "revoke one never admitted",
			msg: func(f fixture) error {
				_, err := f.msgs.RevokeOperator(f.ctx, &types.MsgRevokeOperator{Authority: f.authority, Operator: opA.String()})
				return err
			},
			wantErr: types.ErrNotAdmitted,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			if tc.malleate != nil {
				tc.malleate(t, f)
			}
			err := tc.msg(f)
			if tc.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tc.wantErr)
			}
			has, err := f.k.Operators.Has(f.ctx, opA)
			require.NoError(t, err)
			require.Equal(t, tc.admitted, has)
		})
	}
}

func TestQueries(t *testing.T) {
	f := setup(t)
	require.NoError(t, f.k.Admit(f.ctx, opA, "a"))
	require.NoError(t, f.k.Admit(f.ctx, opB, "b"))

	resp, err := f.queries.Operator(f.ctx, &types.QueryOperatorRequest{Address: opA.String()})
	require.NoError(t, err)
	require.Equal(t, "a", resp.Operator.Note)

	_, err = f.queries.Operator(f.ctx, &types.QueryOperatorRequest{Address: sdk.AccAddress(bytes.Repeat([]byte{0x0c}, 20)).String()})
	require.Equal(t, codes.NotFound, status.Code(err))
	_, err = f.queries.Operator(f.ctx, &types.QueryOperatorRequest{Address: "nope"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))

	all, err := f.queries.Operators(f.ctx, &types.QueryOperatorsRequest{})
	require.NoError(t, err)
	require.Len(t, all.Operators, 2)
}

func TestGenesis(t *testing.T) {
	f := setup(t)
	require.NoError(t, f.k.Admit(f.ctx, opB, "beta"))
	require.NoError(t, f.k.Admit(f.ctx, opA, "alpha"))
	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	require.Len(t, exported.Operators, 2)

	fresh := setup(t)
	require.NoError(t, fresh.k.InitGenesis(fresh.ctx, *exported))
	reexported, err := fresh.k.ExportGenesis(fresh.ctx)
	require.NoError(t, err)
	require.Equal(t, exported, reexported)
	require.NoError(t, fresh.k.Hooks().AfterValidatorCreated(fresh.ctx, sdk.ValAddress(opA)))

	dup := types.GenesisState{Operators: []types.Operator{{Address: opA.String()}, {Address: opA.String()}}}
	other := setup(t)
	require.ErrorIs(t, other.k.InitGenesis(other.ctx, dup), types.ErrInvalidGenesis)
	has, err := other.k.Operators.Has(other.ctx, opA)
	require.NoError(t, err)
	require.False(t, has)
	bad := types.GenesisState{Operators: []types.Operator{{Address: "cosmos1notanaddress"}}}
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
}
