package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

func titleSale(assetID uint64) types.TitleOrigin {
	return types.TitleOrigin{Module: "asset", Reference: "asset/7", AssetId: assetID,
		From: reporterA.String(), To: reporterB.String(), Cause: types.TITLE_CAUSE_SALE}
}

// TestAppendOwnershipRecord: a title move becomes an ownership record dated
// at the block, with no dealer, reporter or odometer reading; a wrong
// check digit is flagged as on any record but penalises no one.
func TestAppendOwnershipRecord(t *testing.T) {
	f := setup(t)
	f.mustSend(t, dealerA, reporterA, mileage(accord, 40_000, day(10)))
	rec, err := f.k.AppendOwnershipRecord(f.ctx, accord, titleSale(7))
	require.NoError(t, err)
	require.Equal(t, types.RECORD_KIND_OWNERSHIP_TRANSFER, rec.Input.Kind)
	require.Equal(t, blockTime, rec.Input.OccurredAt)
	require.Empty(t, rec.DealerId)
	require.Empty(t, rec.Flags)
	require.Contains(t, rec.Input.Description, "hub asset 7 title TITLE_CAUSE_SALE")
	require.Equal(t, titleSale(7), *rec.TitleOrigin)

	hist := f.history(t, accord)
	require.Len(t, hist, 2)
	require.Equal(t, rec, hist[1])
	s := f.summary(t, accord)
	require.EqualValues(t, 2, s.RecordCount)
	require.Equal(t, []string{dealerA}, s.Dealers)
	require.EqualValues(t, 40_000, s.LatestOdometerKm, "a title move reads no odometer")

	flagged, err := f.k.AppendOwnershipRecord(f.ctx, "wvwzzz1jzxw000001", titleSale(8))
	require.NoError(t, err)
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_VIN_CHECK_DIGIT}, flagCodes(flagged.Flags))
}

// TestAppendOwnershipRecordRefused: a bad VIN or an incomplete origin is
// refused with a registered error and writes nothing.
func TestAppendOwnershipRecordRefused(t *testing.T) {
	testCases := []struct {
		name     string
		vin      string
		malleate func(o *types.TitleOrigin)
		want     error
	}{
		{"malformed VIN", "NOT-A-VIN", func(*types.TitleOrigin) {}, types.ErrInvalidVIN},
		{"no cause", accord, func(o *types.TitleOrigin) { o.Cause = types.TITLE_CAUSE_UNSPECIFIED }, types.ErrInvalidRecord},
		{"unknown cause", accord, func(o *types.TitleOrigin) { o.Cause = 99 }, types.ErrInvalidRecord},
		{"no module", accord, func(o *types.TitleOrigin) { o.Module = "" }, types.ErrInvalidRecord},
		{"no reference", accord, func(o *types.TitleOrigin) { o.Reference = "" }, types.ErrInvalidRecord},
		{"no asset", accord, func(o *types.TitleOrigin) { o.AssetId = 0 }, types.ErrInvalidRecord},
		{"no previous owner", accord, func(o *types.TitleOrigin) { o.From = "" }, types.ErrInvalidRecord},
		{"no new owner", accord, func(o *types.TitleOrigin) { o.To = "" }, types.ErrInvalidRecord},
		{"a redemption names no new owner", accord, func(o *types.TitleOrigin) { o.Cause = types.TITLE_CAUSE_REDEMPTION }, types.ErrInvalidRecord},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			before := takeSnapshot(t, f)
			origin := titleSale(7)
			tc.malleate(&origin)
			_, err := f.k.AppendOwnershipRecord(f.ctx, tc.vin, origin)
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, before, takeSnapshot(t, f))
		})
	}
}

// TestHistoryJoinsLiens: the history query carries the VIN's liens, active
// and released, on its first page only.
func TestHistoryJoinsLiens(t *testing.T) {
	f := setup(t)
	f.mustSend(t, dealerA, reporterA, mileage(accord, 40_000, day(10)), mileage(accord, 41_000, day(5)))
	holder := types.LienHolder{ChainId: "dealer-b", DealerId: dealerB, Lender: reporterA.String()}
	first, err := f.k.GrantLien(f.ctx, accord, holder)
	require.NoError(t, err)
	_, err = f.k.ReleaseLien(f.ctx, first.Id, holder, "paid off")
	require.NoError(t, err)
	second, err := f.k.GrantLien(f.ctx, accord, holder)
	require.NoError(t, err)

	page1, err := f.queries.History(f.ctx, &types.QueryHistoryRequest{Vin: accord, Pagination: &query.PageRequest{Limit: 1}})
	require.NoError(t, err)
	require.Len(t, page1.Liens, 2)
	require.Equal(t, []uint64{first.Id, second.Id}, []uint64{page1.Liens[0].Id, page1.Liens[1].Id})
	require.Equal(t, types.LIEN_STATUS_RELEASED, page1.Liens[0].Status)
	require.Equal(t, types.LIEN_STATUS_ACTIVE, page1.Liens[1].Status)

	page2, err := f.queries.History(f.ctx, &types.QueryHistoryRequest{Vin: accord, Pagination: &query.PageRequest{Key: page1.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, page2.Records, 1)
	require.Empty(t, page2.Liens, "liens come with the first page only")

	none, err := f.queries.History(f.ctx, &types.QueryHistoryRequest{Vin: golf})
	require.NoError(t, err)
	require.Empty(t, none.Liens)
}

// TestGenesisKeepsOwnershipRecords: the hub's own records survive export and
// import; one that names a dealer, or lacks a valid origin, is refused.
func TestGenesisKeepsOwnershipRecords(t *testing.T) {
	f := setup(t)
	f.mustSend(t, dealerA, reporterA, mileage(accord, 40_000, day(10)))
	_, err := f.k.AppendOwnershipRecord(f.ctx, accord, titleSale(7))
	require.NoError(t, err)
	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())

	fresh := newFixture(t)
	require.NoError(t, fresh.k.InitGenesis(fresh.ctx, *exported))
	require.Equal(t, all(t, f.ctx, f.k.Summaries), all(t, fresh.ctx, fresh.k.Summaries))

	withDealer := *exported
	withDealer.Records = append([]types.Record(nil), exported.Records...)
	withDealer.Records[1].DealerId = dealerA
	require.ErrorIs(t, withDealer.Validate(), types.ErrInvalidGenesis)

	badOrigin := *exported
	badOrigin.Records = append([]types.Record(nil), exported.Records...)
	broken := *exported.Records[1].TitleOrigin
	broken.Cause = types.TITLE_CAUSE_UNSPECIFIED
	badOrigin.Records[1].TitleOrigin = &broken
	require.ErrorIs(t, badOrigin.Validate(), types.ErrInvalidRecord)
}
