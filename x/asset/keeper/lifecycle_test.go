package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/x/asset/keeper"
	"github.com/vinhub/vinhub/x/asset/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

func TestApplyApproveRevalue(t *testing.T) {
	f := setup(t)
	id := f.applyCar(t)
	a := f.asset(t, id)
	require.Equal(t, types.ASSET_STATUS_PENDING, a.Status)
	require.Equal(t, carVIN, a.Vin)

	_, err := f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: examiner.String(), AssetId: id, Valuation: coin(50_000), EvidenceHash: hash2})
	require.NoError(t, err)
	f.advance(time.Hour)
	_, err = f.msgs.Revalue(f.ctx, &types.MsgRevalue{Examiner: examiner.String(), AssetId: id, Valuation: coin(45_000), EvidenceHash: hash1, Comment: "scratches"})
	require.NoError(t, err)
	f.check(t)

	a = f.asset(t, id)
	require.Equal(t, types.ASSET_STATUS_ACTIVE, a.Status)
	require.Len(t, a.Valuations, 2)
	require.Equal(t, coin(50_000), a.Valuations[0].Value)
	require.Equal(t, coin(45_000), a.CurrentValue())
	require.Equal(t, examiner.String(), a.Valuations[1].Examiner)
	require.Equal(t, start.Add(time.Hour), a.Valuations[1].ValuedAt)
	require.Equal(t, "scratches", a.Valuations[1].Note)
}

func TestReject(t *testing.T) {
	f := setup(t)
	id := f.applyCar(t)
	_, err := f.msgs.Reject(f.ctx, &types.MsgReject{Examiner: examiner.String(), AssetId: id, Reason: "documents forged"})
	require.NoError(t, err)
	f.check(t)
	a := f.asset(t, id)
	require.Equal(t, types.ASSET_STATUS_REJECTED, a.Status)
	require.Equal(t, "documents forged", a.RejectReason)
	// A rejected asset no longer blocks its VIN.
	f.applyCar(t)
}

func TestPledgeRepayReleasesLien(t *testing.T) {
	f := setup(t)
	ownerBefore, lenderBefore := f.balance(owner), f.balance(lender)
	id, loanID := f.pledged(t)

	require.Equal(t, ownerBefore.AddRaw(10_000), f.balance(owner), "the principal went to the owner")
	require.Equal(t, lenderBefore.SubRaw(10_000), f.balance(lender))
	require.True(t, f.balance(keeper.ModuleAddress()).IsZero(), "nothing stays escrowed once the loan starts")
	a, l := f.asset(t, id), f.loan(t, loanID)
	require.Equal(t, types.ASSET_STATUS_PLEDGED, a.Status)
	require.Equal(t, loanID, a.LoanId)
	require.Equal(t, types.LOAN_STATUS_ACTIVE, l.Status)
	require.Equal(t, start.Add(30*24*time.Hour), *l.Maturity)
	lien, held, err := f.vehicle.ActiveLien(f.ctx, carVIN)
	require.NoError(t, err)
	require.True(t, held)
	require.Equal(t, l.LienId, lien.Id)
	require.Equal(t, vehicletypes.LienHolder{Module: "asset", Lender: lender.String(), Reference: "loan/1"}, lien.Holder)

	// 15 days at 10% a year: 10000 * 1000 * 1296000 / (10000 * 31536000) = 41.09..., rounded up to 42.
	f.advance(15 * 24 * time.Hour)
	q, err := f.queries.Loan(f.ctx, &types.QueryLoanRequest{Id: loanID})
	require.NoError(t, err)
	require.Equal(t, coin(10_042), *q.AmountDue)
	scoreBefore, err := f.credit.Score(f.ctx, owner)
	require.NoError(t, err)

	resp, err := f.msgs.Repay(f.ctx, &types.MsgRepay{Borrower: owner.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
	require.Equal(t, coin(10_042), resp.Amount)
	require.Equal(t, ownerBefore.SubRaw(42), f.balance(owner))
	require.Equal(t, lenderBefore.AddRaw(42), f.balance(lender))

	a, l = f.asset(t, id), f.loan(t, loanID)
	require.Equal(t, types.ASSET_STATUS_ACTIVE, a.Status)
	require.Equal(t, owner.String(), a.Owner)
	require.Zero(t, a.LoanId)
	require.Equal(t, types.LOAN_STATUS_REPAID, l.Status)
	require.False(t, l.Late)
	_, held, err = f.vehicle.ActiveLien(f.ctx, carVIN)
	require.NoError(t, err)
	require.False(t, held, "repayment releases the lien")
	released, err := f.vehicle.Lien(f.ctx, lien.Id)
	require.NoError(t, err)
	require.Equal(t, vehicletypes.LIEN_STATUS_RELEASED, released.Status)

	scoreAfter, err := f.credit.Score(f.ctx, owner)
	require.NoError(t, err)
	require.Greater(t, scoreAfter.Score, scoreBefore.Score, "an on-time repayment raises the score")

	// The car can be financed again.
	loan2 := f.offer(t, id, owner)
	_, err = f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: loan2})
	require.NoError(t, err)
	f.check(t)
}

func TestLateRepaymentIsMarkedLate(t *testing.T) {
	f := setup(t)
	_, loanID := f.pledged(t)
	f.advance(31 * 24 * time.Hour)
	before, err := f.credit.Score(f.ctx, owner)
	require.NoError(t, err)
	_, err = f.msgs.Repay(f.ctx, &types.MsgRepay{Borrower: owner.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
	require.True(t, f.loan(t, loanID).Late)
	after, err := f.credit.Score(f.ctx, owner)
	require.NoError(t, err)
	require.Less(t, after.Score, before.Score, "a late repayment lowers the score")
}

func TestDefaultMovesTitleToLender(t *testing.T) {
	f := setup(t)
	id, loanID := f.pledged(t)
	f.advance(30*24*time.Hour + time.Second)
	before, err := f.credit.Score(f.ctx, owner)
	require.NoError(t, err)

	_, err = f.msgs.DeclareDefault(f.ctx, &types.MsgDeclareDefault{Lender: lender.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)

	a, l := f.asset(t, id), f.loan(t, loanID)
	require.Equal(t, lender.String(), a.Owner, "the title moved to the lender")
	require.Equal(t, types.ASSET_STATUS_ACTIVE, a.Status)
	require.Equal(t, types.LOAN_STATUS_DEFAULTED, l.Status)
	_, held, err := f.vehicle.ActiveLien(f.ctx, carVIN)
	require.NoError(t, err)
	require.False(t, held)
	after, err := f.credit.Score(f.ctx, owner)
	require.NoError(t, err)
	require.Less(t, after.Score, before.Score, "a default lowers the score")

	defaults, err := f.queries.Defaults(f.ctx, &types.QueryDefaultsRequest{})
	require.NoError(t, err)
	require.Len(t, defaults.Loans, 1)
	require.Equal(t, loanID, defaults.Loans[0].Id)
	// The lender now owns it and may sell it.
	_, err = f.msgs.List(f.ctx, &types.MsgList{Owner: lender.String(), AssetId: id, Price: coin(40_000)})
	require.NoError(t, err)
}

func TestListBuyTransferRedeem(t *testing.T) {
	f := setup(t)
	id := f.activeCar(t)
	_, err := f.msgs.List(f.ctx, &types.MsgList{Owner: owner.String(), AssetId: id, Price: coin(30_000)})
	require.NoError(t, err)
	ownerBefore, buyerBefore := f.balance(owner), f.balance(buyer)

	_, err = f.msgs.Buy(f.ctx, &types.MsgBuy{Buyer: buyer.String(), AssetId: id, Price: coin(30_000)})
	require.NoError(t, err)
	f.check(t)
	a := f.asset(t, id)
	require.Equal(t, buyer.String(), a.Owner)
	require.Nil(t, a.ListPrice)
	require.Equal(t, ownerBefore.AddRaw(30_000), f.balance(owner))
	require.Equal(t, buyerBefore.SubRaw(30_000), f.balance(buyer))

	_, err = f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: buyer.String(), AssetId: id, Recipient: stranger.String()})
	require.NoError(t, err)
	require.Equal(t, stranger.String(), f.asset(t, id).Owner)

	feeCollector := authtypes.NewModuleAddress(authtypes.FeeCollectorName)
	_, err = f.msgs.Redeem(f.ctx, &types.MsgRedeem{Owner: stranger.String(), AssetId: id})
	require.NoError(t, err)
	f.check(t)
	require.Equal(t, types.ASSET_STATUS_REDEEMED, f.asset(t, id).Status)
	require.Equal(t, sdkmath.NewInt(100), f.balance(feeCollector), "the redemption fee went to the fee collector")
	// A redeemed car frees its VIN for a new application.
	f.applyCar(t)
}

func TestBuyOnCredit(t *testing.T) {
	f := setup(t)
	id := f.activeCar(t)
	_, err := f.msgs.List(f.ctx, &types.MsgList{Owner: owner.String(), AssetId: id, Price: coin(30_000)})
	require.NoError(t, err)
	loanID := f.offer(t, id, buyer) // 10,000 of the 30,000
	ownerBefore, buyerBefore := f.balance(owner), f.balance(buyer)

	_, err = f.msgs.Buy(f.ctx, &types.MsgBuy{Buyer: buyer.String(), AssetId: id, Price: coin(30_000), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
	require.Equal(t, ownerBefore.AddRaw(30_000), f.balance(owner), "the seller got the whole price")
	require.Equal(t, buyerBefore.SubRaw(20_000), f.balance(buyer), "the buyer paid the part the loan did not")
	a, l := f.asset(t, id), f.loan(t, loanID)
	require.Equal(t, buyer.String(), a.Owner)
	require.Equal(t, types.ASSET_STATUS_PLEDGED, a.Status)
	require.Equal(t, types.LOAN_STATUS_ACTIVE, l.Status)
	require.Equal(t, buyer.String(), l.Borrower)
}

func TestFreezeStopsMovement(t *testing.T) {
	f := setup(t)
	id := f.activeCar(t)
	loanID := f.offer(t, id, owner)
	_, err := f.msgs.Freeze(f.ctx, &types.MsgFreeze{Signer: regul.String(), AssetId: id, Reason: "car left the bonded lot"})
	require.NoError(t, err)
	f.check(t)

	for name, step := range map[string]func() error{
		"list": func() error {
			_, err := f.msgs.List(f.ctx, &types.MsgList{Owner: owner.String(), AssetId: id, Price: coin(1)})
			return err
		},
		"transfer": func() error {
			_, err := f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: owner.String(), AssetId: id, Recipient: buyer.String()})
			return err
		},
		"pledge": func() error {
			_, err := f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: loanID})
			return err
		},
		"redeem": func() error {
			_, err := f.msgs.Redeem(f.ctx, &types.MsgRedeem{Owner: owner.String(), AssetId: id})
			return err
		},
	} {
		require.ErrorIs(t, step(), types.ErrFrozen, name)
	}
	frozen, err := f.queries.FrozenAssets(f.ctx, &types.QueryFrozenAssetsRequest{})
	require.NoError(t, err)
	require.Len(t, frozen.Assets, 1)
	require.Equal(t, "car left the bonded lot", frozen.Assets[0].FreezeReason)

	_, err = f.msgs.Unfreeze(f.ctx, &types.MsgUnfreeze{Signer: examiner.String(), AssetId: id, Reason: "car back on the lot"})
	require.NoError(t, err)
	_, err = f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
	frozen, err = f.queries.FrozenAssets(f.ctx, &types.QueryFrozenAssetsRequest{})
	require.NoError(t, err)
	require.Empty(t, frozen.Assets)
}

func TestCancelOfferReturnsEscrow(t *testing.T) {
	f := setup(t)
	id := f.activeCar(t)
	before := f.balance(lender)
	loanID := f.offer(t, id, owner)
	require.Equal(t, sdkmath.NewInt(10_000), f.balance(keeper.ModuleAddress()))
	_, err := f.msgs.CancelOffer(f.ctx, &types.MsgCancelOffer{Lender: lender.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
	require.Equal(t, before, f.balance(lender))
	require.Equal(t, types.LOAN_STATUS_CANCELLED, f.loan(t, loanID).Status)
}

func TestDealerLienBlocksHubPledge(t *testing.T) {
	f := setup(t)
	id := f.activeCar(t)
	loanID := f.offer(t, id, owner)
	dealer := vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: stranger.String(), Reference: "7"}
	lien := f.consentedDealerLien(t, dealer)

	_, err := f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: loanID})
	require.ErrorIs(t, err, vehicletypes.ErrLienHeld)
	require.Contains(t, err.Error(), `"acme"`, "the error names where the lien is held")
	require.Contains(t, err.Error(), "dealer-a")
	require.Equal(t, types.LOAN_STATUS_OFFERED, f.loan(t, loanID).Status, "nothing changed")
	f.check(t)

	_, err = f.vehicle.ReleaseLien(f.ctx, lien.Id, dealer, "paid off")
	require.NoError(t, err)
	_, err = f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
}
