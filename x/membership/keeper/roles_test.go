package keeper_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/membership/client/cli"
	"github.com/vinhub/vinhub/x/membership/types"
)

func TestGrantRoleMessages(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(f fixture, msg *types.MsgGrantRole)
		err      error
	}{
		{"granted by governance", func(fixture, *types.MsgGrantRole) {}, nil},
		{"not the authority", func(_ fixture, m *types.MsgGrantRole) { m.Authority = opB.String() }, types.ErrInvalidAuthority},
		{"unspecified role", func(_ fixture, m *types.MsgGrantRole) { m.Role = types.ROLE_UNSPECIFIED }, types.ErrInvalidRole},
		{"unknown role", func(_ fixture, m *types.MsgGrantRole) { m.Role = 42 }, types.ErrInvalidRole},
		{"bad address", func(_ fixture, m *types.MsgGrantRole) { m.Address = "cosmos1nope" }, types.ErrInvalidAddress},
		{"note too long", func(_ fixture, m *types.MsgGrantRole) { m.Note = string(make([]byte, types.MaxNoteLength+1)) }, types.ErrInvalidNote},
		{"already held", func(f fixture, m *types.MsgGrantRole) {
			require.NoError(t, f.k.GrantRole(f.ctx, opA, types.ROLE_EXAMINER, "first"))
		}, types.ErrRoleHeld},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			msg := &types.MsgGrantRole{Authority: f.authority, Address: opA.String(), Role: types.ROLE_EXAMINER, Note: "state examiner"}
			tc.malleate(f, msg)
			before, err := f.k.RolesOf(f.ctx, opA)
			require.NoError(t, err)
			_, err = f.msgs.GrantRole(f.ctx, msg)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				after, err := f.k.RolesOf(f.ctx, opA)
				require.NoError(t, err)
				require.Equal(t, before, after, "a refused grant changes nothing")
				return
			}
			require.NoError(t, err)
			require.NoError(t, f.k.CheckRole(f.ctx, opA, types.ROLE_EXAMINER))
			require.ErrorIs(t, f.k.CheckRole(f.ctx, opA, types.ROLE_LENDER), types.ErrMissingRole)
		})
	}
}

func TestRevokedRoleStopsAtOnce(t *testing.T) {
	f := setup(t)
	require.NoError(t, f.k.GrantRole(f.ctx, opA, types.ROLE_LENDER, "bank"))
	require.NoError(t, f.k.GrantRole(f.ctx, opA, types.ROLE_REGULATOR, "authority"))
	_, err := f.msgs.RevokeRole(f.ctx, &types.MsgRevokeRole{Authority: opA.String(), Address: opA.String(), Role: types.ROLE_LENDER})
	require.ErrorIs(t, err, types.ErrInvalidAuthority)

	_, err = f.msgs.RevokeRole(f.ctx, &types.MsgRevokeRole{Authority: f.authority, Address: opA.String(), Role: types.ROLE_LENDER})
	require.NoError(t, err)
	err = f.k.CheckRole(f.ctx, opA, types.ROLE_LENDER)
	require.ErrorIs(t, err, types.ErrMissingRole)
	require.ErrorContains(t, err, "governance grants it (MsgGrantRole)")
	require.NoError(t, f.k.CheckRole(f.ctx, opA, types.ROLE_REGULATOR), "other roles stay")

	_, err = f.msgs.RevokeRole(f.ctx, &types.MsgRevokeRole{Authority: f.authority, Address: opA.String(), Role: types.ROLE_LENDER})
	require.ErrorIs(t, err, types.ErrMissingRole, "revoking twice")
}

func TestRoleQueries(t *testing.T) {
	f := setup(t)
	require.NoError(t, f.k.GrantRole(f.ctx, opA, types.ROLE_NOTARY, "n"))
	require.NoError(t, f.k.GrantRole(f.ctx, opA, types.ROLE_EXAMINER, "e"))
	require.NoError(t, f.k.GrantRole(f.ctx, opB, types.ROLE_EXAMINER, "e2"))

	res, err := f.queries.Roles(f.ctx, &types.QueryRolesRequest{Address: opA.String()})
	require.NoError(t, err)
	require.Equal(t, []types.RoleGrant{
		{Address: opA.String(), Role: types.ROLE_EXAMINER, Note: "e", GrantedHeight: 7},
		{Address: opA.String(), Role: types.ROLE_NOTARY, Note: "n", GrantedHeight: 7},
	}, res.Roles)

	page1, err := f.queries.RoleHolders(f.ctx, &types.QueryRoleHoldersRequest{Role: types.ROLE_EXAMINER, Pagination: &query.PageRequest{Limit: 1}})
	require.NoError(t, err)
	require.Len(t, page1.Holders, 1)
	page2, err := f.queries.RoleHolders(f.ctx, &types.QueryRoleHoldersRequest{Role: types.ROLE_EXAMINER, Pagination: &query.PageRequest{Key: page1.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, page2.Holders, 1)
	require.ElementsMatch(t, []string{opA.String(), opB.String()}, []string{page1.Holders[0].Address, page2.Holders[0].Address})

	lenders, err := f.queries.RoleHolders(f.ctx, &types.QueryRoleHoldersRequest{Role: types.ROLE_LENDER})
	require.NoError(t, err)
	require.Empty(t, lenders.Holders)

	_, err = f.queries.RoleHolders(f.ctx, &types.QueryRoleHoldersRequest{Role: types.ROLE_UNSPECIFIED})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	_, err = f.queries.Roles(f.ctx, &types.QueryRolesRequest{Address: "nope"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}

func TestRolesGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	gs := types.GenesisState{
		Operators: []types.Operator{{Address: opA.String(), Note: "founder"}},
		Roles: []types.RoleGrant{
			{Address: opA.String(), Role: types.ROLE_EXAMINER, Note: "founding examiner"},
			{Address: opB.String(), Role: types.ROLE_LENDER, Note: "founding lender"},
		},
	}
	require.NoError(t, f.k.InitGenesis(f.ctx, gs))
	require.NoError(t, f.k.CheckRole(f.ctx, opB, types.ROLE_LENDER))
	out, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.ElementsMatch(t, gs.Roles, out.Roles)

	dup := types.GenesisState{Roles: []types.RoleGrant{gs.Roles[0], gs.Roles[0]}}
	require.ErrorIs(t, dup.Validate(), types.ErrInvalidGenesis)
	bad := types.GenesisState{Roles: []types.RoleGrant{{Address: opA.String(), Role: types.ROLE_UNSPECIFIED}}}
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]types.Role{"examiner": types.ROLE_EXAMINER, "LENDER": types.ROLE_LENDER, "ROLE_REGULATOR": types.ROLE_REGULATOR, "notary": types.ROLE_NOTARY} {
		got, err := cli.ParseRole(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got)
	}
	for _, bad := range []string{"", "unspecified", "dealer"} {
		_, err := cli.ParseRole(bad)
		require.ErrorContains(t, err, "use examiner, lender, regulator or notary")
	}
}

// TestUpperCaseAddressesAreOneAccount: bech32 in upper case decodes to the
// same account. A role granted to one spelling is held by the other (roles
// are keyed by account bytes), a genesis listing one account twice in two
// spellings is refused, and governance is recognised whatever its case.
func TestUpperCaseAddressesAreOneAccount(t *testing.T) {
	f := setup(t)
	_, err := f.msgs.GrantRole(f.ctx, &types.MsgGrantRole{Authority: strings.ToUpper(f.authority), Address: strings.ToUpper(opA.String()),
		Role: types.ROLE_EXAMINER, Note: "upper"})
	require.NoError(t, err, "governance spelled in upper case is governance")
	require.NoError(t, f.k.CheckRole(f.ctx, opA, types.ROLE_EXAMINER))
	res, err := f.queries.Roles(f.ctx, &types.QueryRolesRequest{Address: strings.ToUpper(opA.String())})
	require.NoError(t, err)
	require.Equal(t, opA.String(), res.Roles[0].Address, "stored in canonical form")
	_, err = f.msgs.RevokeRole(f.ctx, &types.MsgRevokeRole{Authority: f.authority, Address: opA.String(), Role: types.ROLE_EXAMINER})
	require.NoError(t, err)
	require.ErrorIs(t, f.k.CheckRole(f.ctx, opA, types.ROLE_EXAMINER), types.ErrMissingRole, "revoking one spelling revokes the account")

	cases := map[string]types.GenesisState{
		"role granted twice": {Roles: []types.RoleGrant{
			{Address: opA.String(), Role: types.ROLE_LENDER}, {Address: strings.ToUpper(opA.String()), Role: types.ROLE_LENDER},
		}},
		"operator admitted twice":   {Operators: []types.Operator{{Address: opA.String()}, {Address: strings.ToUpper(opA.String())}}},
		"role holder not canonical": {Roles: []types.RoleGrant{{Address: strings.ToUpper(opA.String()), Role: types.ROLE_LENDER}}},
		"operator not canonical":    {Operators: []types.Operator{{Address: strings.ToUpper(opA.String())}}},
	}
	for name, gs := range cases {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, gs.Validate(), types.ErrInvalidGenesis)
			fresh := setup(t)
			require.ErrorIs(t, fresh.k.InitGenesis(fresh.ctx, gs), types.ErrInvalidGenesis)
		})
	}
}
