package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/asset/types"
	vehiclekeeper "github.com/vinhub/vinhub/x/vehicle/keeper"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// ownershipRecords returns the car's history records that the hub wrote for title moves.
func (f *fixture) ownershipRecords(t *testing.T) []vehicletypes.Record {
	t.Helper()
	res, err := vehiclekeeper.NewQueryServerImpl(f.vehicle).History(f.ctx, &vehicletypes.QueryHistoryRequest{
		Vin: carVIN, Kind: vehicletypes.RECORD_KIND_OWNERSHIP_TRANSFER})
	require.NoError(t, err)
	return res.Records
}

// TestTitleMovesWriteOwnershipRecords: every path that changes a vehicle
// asset's owner on the hub appends one ownership record to the VIN's
// history, naming the module, the reference and both parties; paths that
// leave the owner in place write nothing.
func TestTitleMovesWriteOwnershipRecords(t *testing.T) {
	var f *fixture
	testCases := []struct {
		name     string
		malleate func(t *testing.T) uint64 // returns the asset id
		want     []vehicletypes.TitleOrigin
	}{
		{"transfer", func(t *testing.T) uint64 {
			id := f.activeCar(t)
			_, err := f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: owner.String(), AssetId: id, Recipient: buyer.String()})
			require.NoError(t, err)
			return id
		}, []vehicletypes.TitleOrigin{{Module: "asset", Reference: "asset/1", AssetId: 1, From: owner.String(), To: buyer.String(), Cause: vehicletypes.TITLE_CAUSE_TRANSFER}}},
		{"cash sale", func(t *testing.T) uint64 {
			id := f.activeCar(t)
			f.list(t, id)
			_, err := f.msgs.Buy(f.ctx, &types.MsgBuy{Buyer: buyer.String(), AssetId: id, Price: coin(30_000)})
			require.NoError(t, err)
			return id
		}, []vehicletypes.TitleOrigin{{Module: "asset", Reference: "asset/1", AssetId: 1, From: owner.String(), To: buyer.String(), Cause: vehicletypes.TITLE_CAUSE_SALE}}},
		{"sale on credit, then default to the lender", func(t *testing.T) uint64 {
			id := f.activeCar(t)
			f.list(t, id)
			loanID := f.offer(t, id, buyer)
			_, err := f.msgs.Buy(f.ctx, &types.MsgBuy{Buyer: buyer.String(), AssetId: id, Price: coin(30_000), LoanId: loanID})
			require.NoError(t, err)
			f.advance(31 * 24 * time.Hour)
			_, err = f.msgs.DeclareDefault(f.ctx, &types.MsgDeclareDefault{Lender: lender.String(), LoanId: loanID})
			require.NoError(t, err)
			return id
		}, []vehicletypes.TitleOrigin{
			{Module: "asset", Reference: "asset/1", AssetId: 1, From: owner.String(), To: buyer.String(), Cause: vehicletypes.TITLE_CAUSE_SALE},
			{Module: "asset", Reference: "loan/1", AssetId: 1, From: buyer.String(), To: lender.String(), Cause: vehicletypes.TITLE_CAUSE_DEFAULT},
		}},
		{"pledge and repay: the owner never changes", func(t *testing.T) uint64 {
			id, loanID := f.pledged(t)
			_, err := f.msgs.Repay(f.ctx, &types.MsgRepay{Borrower: owner.String(), LoanId: loanID})
			require.NoError(t, err)
			return id
		}, nil},
		{"redemption: the title leaves the hub", func(t *testing.T) uint64 {
			id := f.activeCar(t)
			_, err := f.msgs.Redeem(f.ctx, &types.MsgRedeem{Owner: owner.String(), AssetId: id})
			require.NoError(t, err)
			return id
		}, []vehicletypes.TitleOrigin{{Module: "asset", Reference: "asset/1", AssetId: 1, From: owner.String(), Cause: vehicletypes.TITLE_CAUSE_REDEMPTION}}},
		{"a receivable has no VIN history", func(t *testing.T) uint64 {
			id := f.activeReceivable(t)
			_, err := f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: owner.String(), AssetId: id, Recipient: buyer.String()})
			require.NoError(t, err)
			return id
		}, nil},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			f = setup(t)
			f.advance(time.Minute)
			tc.malleate(t)
			f.check(t)
			got := f.ownershipRecords(t)
			require.Len(t, got, len(tc.want))
			for i, rec := range got {
				require.Equal(t, tc.want[i], *rec.TitleOrigin, "record %d", i)
				require.Equal(t, vehicletypes.RECORD_KIND_OWNERSHIP_TRANSFER, rec.Input.Kind)
				require.Empty(t, rec.DealerId, "the hub's own records name no dealer")
				require.Empty(t, rec.Reporter)
				require.Zero(t, rec.Input.OdometerKm)
				require.Equal(t, rec.RecordedAt, rec.Input.OccurredAt, "dated at the block that moved the title")
			}
			summary, err := f.vehicle.Summaries.Get(f.ctx, carVIN)
			require.NoError(t, err)
			require.Equal(t, []string{"acme"}, summary.Dealers, "a title move adds no dealer to the summary")
			require.EqualValues(t, 1+len(tc.want), summary.RecordCount)
		})
	}
}

// TestFailedTitleMoveWritesNoRecord: a refused transfer changes nothing,
// the VIN's history included.
func TestFailedTitleMoveWritesNoRecord(t *testing.T) {
	f := setup(t)
	id := f.activeCar(t)
	cacheCtx, _ := f.ctx.CacheContext()
	_, err := f.msgs.Transfer(cacheCtx, &types.MsgTransfer{Owner: stranger.String(), AssetId: id, Recipient: buyer.String()})
	require.ErrorIs(t, err, types.ErrNotOwner)
	require.Empty(t, f.ownershipRecords(t))
	require.Equal(t, owner.String(), f.asset(t, id).Owner)
}

func (f *fixture) list(t *testing.T, id uint64) {
	t.Helper()
	_, err := f.msgs.List(f.ctx, &types.MsgList{Owner: owner.String(), AssetId: id, Price: coin(30_000)})
	require.NoError(t, err)
}
