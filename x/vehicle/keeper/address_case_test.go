package keeper_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// TestUpperCaseLenderIsOneLender: a lender's bech32 in upper case names the
// same account. The registry stores the canonical (lower-case) spelling, so a
// lender spelled in upper case cannot hide its liens from the regulator's
// by-lender view, and a query in either case finds them.
func TestUpperCaseLenderIsOneLender(t *testing.T) {
	f := setup(t)
	shouting := holderB
	shouting.Lender = strings.ToUpper(lenderB)
	lien, err := f.k.GrantLien(f.ctx, accord, shouting)
	require.NoError(t, err)
	require.Equal(t, lenderB, lien.Holder.Lender)
	stored, err := f.k.Lien(f.ctx, lien.Id)
	require.NoError(t, err)
	require.Equal(t, lenderB, stored.Holder.Lender)

	for _, lender := range []string{lenderB, strings.ToUpper(lenderB)} {
		res, err := f.queries.Liens(f.ctx, &types.QueryLiensRequest{Lender: lender})
		require.NoError(t, err)
		require.Len(t, res.Liens, 1, lender)
		require.Equal(t, lien.Id, res.Liens[0].Id)
		res, err = f.queries.Liens(f.ctx, &types.QueryLiensRequest{Lender: lender, DealerId: dealerB})
		require.NoError(t, err)
		require.Len(t, res.Liens, 1, lender)
	}

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	gs.Liens[0].Holder.Lender = strings.ToUpper(lenderB)
	require.ErrorIs(t, gs.Validate(), types.ErrInvalidGenesis, "genesis keeps one spelling per lender")
}

// TestReporterListedTwiceInTwoSpellings: one reporter in two spellings is one
// account; genesis refuses it rather than let the second entry silently
// replace the first (an active grant over a revoked one).
func TestReporterListedTwiceInTwoSpellings(t *testing.T) {
	f := newFixture(t)
	gs := types.DefaultGenesis()
	gs.Dealers = []types.Dealer{{Id: dealerA, Name: "A", Active: true}}
	gs.Reporters = []types.Reporter{
		{DealerId: dealerA, Address: reporterA.String(), Active: false, RevokedHeight: 3},
		{DealerId: dealerA, Address: strings.ToUpper(reporterA.String()), Active: true},
	}
	require.ErrorIs(t, gs.Validate(), types.ErrInvalidGenesis)
	require.ErrorIs(t, f.k.InitGenesis(f.ctx, *gs), types.ErrInvalidGenesis)
}
