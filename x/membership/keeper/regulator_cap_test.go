package keeper_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/x/membership/types"
)

// TestRegulatorCap: regulators are capped so that every envelope can still
// be sealed to all of them, the sender and a counterparty; the grant beyond
// the cap is refused and changes nothing.
func TestRegulatorCap(t *testing.T) {
	require.LessOrEqual(t, types.MaxRegulators+2, sealed.MaxRecipients)
	f := setup(t)
	for i := 0; i < types.MaxRegulators; i++ {
		require.NoError(t, f.k.GrantRole(f.ctx, sdk.AccAddress(bytes.Repeat([]byte{byte(0x80 + i)}, 20)), types.ROLE_REGULATOR, "regulator"))
	}
	before, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	err = f.k.GrantRole(f.ctx, sdk.AccAddress(bytes.Repeat([]byte{0xf0}, 20)), types.ROLE_REGULATOR, "one too many")
	require.ErrorIs(t, err, types.ErrTooManyRegulators)
	after, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Equal(t, before, after)
	gs := *before
	gs.Roles = append(gs.Roles, types.RoleGrant{Address: sdk.AccAddress(bytes.Repeat([]byte{0xf0}, 20)).String(), Role: types.ROLE_REGULATOR})
	require.ErrorIs(t, gs.Validate(), types.ErrInvalidGenesis)
	// Other roles are not capped.
	require.NoError(t, f.k.GrantRole(f.ctx, sdk.AccAddress(bytes.Repeat([]byte{0xf0}, 20)), types.ROLE_LENDER, "bank"))
}
