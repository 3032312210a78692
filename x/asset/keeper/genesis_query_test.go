package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/asset/types"
)

func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	waiting, err := f.applyVehicle(buyer.String(), carVIN) // stays pending: the owner's car is approved after it
	require.NoError(t, err)
	_, active := f.pledged(t)
	f.offer(t, f.activeReceivable(t), owner) // an open offer: escrow in the module account
	_, err = f.msgs.Freeze(f.ctx, &types.MsgFreeze{Signer: regul.String(), AssetId: f.asset(t, f.loan(t, active).AssetId).Id, Reason: "audit"})
	require.NoError(t, err)
	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	require.Len(t, exported.Assets, 3)
	require.Len(t, exported.Loans, 2)

	// A fresh chain with the same bank and lien state (the fixture's) imports it.
	fresh := setup(t)
	require.NoError(t, fresh.k.InitGenesis(fresh.ctx, *exported))
	again, err := fresh.k.ExportGenesis(fresh.ctx)
	require.NoError(t, err)
	require.Equal(t, exported, again)

	// Indexes were rebuilt: the regulator views answer from them.
	open, err := fresh.queries.OpenLoans(fresh.ctx, &types.QueryOpenLoansRequest{})
	require.NoError(t, err)
	require.Len(t, open.Loans, 1)
	frozen, err := fresh.queries.FrozenAssets(fresh.ctx, &types.QueryFrozenAssetsRequest{})
	require.NoError(t, err)
	require.Len(t, frozen.Assets, 1)
	mine, err := fresh.queries.AccountLoans(fresh.ctx, &types.QueryAccountLoansRequest{Address: lender.String()})
	require.NoError(t, err)
	require.Len(t, mine.Loans, 2)
	// The (VIN, status) and (owner, status) indexes were rebuilt too.
	_, err = fresh.msgs.Approve(fresh.ctx, &types.MsgApprove{Examiner: examiner.String(), AssetId: waiting, Valuation: coin(1), EvidenceHash: hash2})
	require.ErrorIs(t, err, types.ErrVINHasAsset, "the pledged car is found under its VIN")
	params := exported.Params
	params.MaxPendingPerOwner = 1
	require.NoError(t, fresh.k.Params.Set(fresh.ctx, params))
	_, err = fresh.msgs.Apply(fresh.ctx, &types.MsgApply{Owner: buyer.String(), Kind: types.ASSET_KIND_RECEIVABLE,
		Description: "invoice", EvidenceHashes: []string{hash1}})
	require.ErrorIs(t, err, types.ErrTooManyPending, "the buyer's pending application is counted")
}

func TestGenesisValidateRefuses(t *testing.T) {
	f := setup(t)
	_, loanID := f.pledged(t)
	good, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	cases := map[string]func(gs *types.GenesisState){
		"duplicate asset":       func(gs *types.GenesisState) { gs.Assets = append(gs.Assets, gs.Assets[0]) },
		"asset id beyond next":  func(gs *types.GenesisState) { gs.NextAssetId = 1 },
		"bad owner":             func(gs *types.GenesisState) { gs.Assets[0].Owner = "nobody" },
		"vehicle without VIN":   func(gs *types.GenesisState) { gs.Assets[0].Vin = "" },
		"pledged without loan":  func(gs *types.GenesisState) { gs.Loans = nil },
		"loan on unknown asset": func(gs *types.GenesisState) { gs.Loans[0].AssetId = 42 },
		"loan with zero principal": func(gs *types.GenesisState) {
			gs.Loans[0].Principal.Amount = gs.Loans[0].Principal.Amount.SubRaw(10_000)
		},
		"bad params":                       func(gs *types.GenesisState) { gs.Params.MaxInterestRateBps = 20_000 },
		"no room for pending applications": func(gs *types.GenesisState) { gs.Params.MaxPendingPerOwner = 0 },
		"owner in upper case":              func(gs *types.GenesisState) { gs.Assets[0].Owner = upper(owner) },
		"lender in upper case":             func(gs *types.GenesisState) { gs.Loans[0].Lender = upper(lender) },
		"foreign repayment term with a malformed network id": func(gs *types.GenesisState) {
			gs.Loans[0].ForeignRepayments = foreignTerms()
			gs.Loans[0].ForeignRepayments[0].NetworkId = "stellar"
		},
		"repaid across rails in another denom": func(gs *types.GenesisState) {
			gs.Loans[0].RepaidAcrossRails = &sdk.Coin{Denom: "uatom", Amount: sdkmath.NewInt(5)}
		},
		"negative overpayment": func(gs *types.GenesisState) {
			gs.Loans[0].Overpaid = &sdk.Coin{Denom: denom, Amount: sdkmath.NewInt(-5)}
		},
		"two approved assets on one VIN": func(gs *types.GenesisState) {
			twin := gs.Assets[0]
			twin.Id, twin.Status, twin.LoanId = gs.NextAssetId, types.ASSET_STATUS_ACTIVE, 0
			gs.Assets, gs.NextAssetId = append(gs.Assets, twin), gs.NextAssetId+1
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			gs, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			mutate(gs)
			require.Error(t, gs.Validate())
		})
	}
	require.NoError(t, good.Validate())
	require.Equal(t, loanID, good.Loans[0].Id)

	// Pending applications for an approved asset's VIN are valid state.
	pending := good.Assets[0]
	pending.Id, pending.Status, pending.LoanId, pending.Owner, pending.Valuations = good.NextAssetId, types.ASSET_STATUS_PENDING, 0, buyer.String(), nil
	good.Assets, good.NextAssetId = append(good.Assets, pending), good.NextAssetId+1
	require.NoError(t, good.Validate())
}

func TestRegulatorQueriesPaginate(t *testing.T) {
	f := setup(t)
	for i := 0; i < 3; i++ {
		id := f.activeReceivable(t)
		loanID := f.offer(t, id, owner)
		_, err := f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: loanID})
		require.NoError(t, err)
	}
	f.check(t)
	page, err := f.queries.OpenLoans(f.ctx, &types.QueryOpenLoansRequest{Pagination: &query.PageRequest{Limit: 2, CountTotal: true}})
	require.NoError(t, err)
	require.Len(t, page.Loans, 2)
	require.EqualValues(t, 3, page.Pagination.Total)
	rest, err := f.queries.OpenLoans(f.ctx, &types.QueryOpenLoansRequest{Pagination: &query.PageRequest{Key: page.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, rest.Loans, 1)

	pledged, err := f.queries.Assets(f.ctx, &types.QueryAssetsRequest{Owner: owner.String(), Status: types.ASSET_STATUS_PLEDGED})
	require.NoError(t, err)
	require.Len(t, pledged.Assets, 3)
	byStatus, err := f.queries.Assets(f.ctx, &types.QueryAssetsRequest{Status: types.ASSET_STATUS_PLEDGED})
	require.NoError(t, err)
	require.Len(t, byStatus.Assets, 3)
	none, err := f.queries.Assets(f.ctx, &types.QueryAssetsRequest{Owner: buyer.String()})
	require.NoError(t, err)
	require.Empty(t, none.Assets)
	offered, err := f.queries.Loans(f.ctx, &types.QueryLoansRequest{Status: types.LOAN_STATUS_OFFERED})
	require.NoError(t, err)
	require.Empty(t, offered.Loans)

	_, err = f.queries.Loans(f.ctx, &types.QueryLoansRequest{})
	require.ErrorContains(t, err, "give a loan status")
	_, err = f.queries.AccountLoans(f.ctx, &types.QueryAccountLoansRequest{Address: "bogus"})
	require.ErrorContains(t, err, "bogus")
	_, err = f.queries.Asset(f.ctx, &types.QueryAssetRequest{Id: 77})
	require.ErrorContains(t, err, "no asset 77")
	f.advance(time.Hour)
}
