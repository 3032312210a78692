package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/x/asset/types"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// The attacks of docs/spec/asset.md's threat model, each through the Msg
// service with the invariants checked after every step.

// upper spells addr's bech32 in upper case: the SDK decodes it to the same account.
func upper(addr sdk.AccAddress) string { return strings.ToUpper(addr.String()) }

// applyVehicle applies for a vehicle asset on vin as applicant.
func (f *fixture) applyVehicle(applicant string, vin string) (uint64, error) {
	resp, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: applicant, Kind: types.ASSET_KIND_VEHICLE,
		Description: "a car", EvidenceHashes: []string{hash1}, Vin: vin})
	if err != nil {
		return 0, err
	}
	return resp.AssetId, nil
}

func (f *fixture) score(t *testing.T, addr sdk.AccAddress) uint32 {
	t.Helper()
	s, err := f.credit.Score(f.ctx, addr)
	require.NoError(t, err)
	return s.Score
}

// TestPendingApplicationDoesNotSquatVIN: a VIN is public, so anyone may
// apply for it; a pending application must not block the owner's, only one
// application per VIN may be approved, and a rejected one costs its applicant.
func TestPendingApplicationDoesNotSquatVIN(t *testing.T) {
	f := setup(t)
	squat, err := f.applyVehicle(stranger.String(), carVIN)
	require.NoError(t, err)
	f.check(t)

	mine, err := f.applyVehicle(owner.String(), carVIN)
	require.NoError(t, err, "a pending application by someone else does not block the owner's")
	f.check(t)
	_, err = f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: examiner.String(), AssetId: mine, Valuation: coin(50_000), EvidenceHash: hash2})
	require.NoError(t, err)
	f.check(t)

	before := f.snapshot(t)
	_, err = f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: examiner.String(), AssetId: squat, Valuation: coin(50_000), EvidenceHash: hash2})
	require.ErrorIs(t, err, types.ErrVINHasAsset, "a second application for the VIN cannot be approved")
	require.Equal(t, before, f.snapshot(t), "a refused approval changes nothing")
	require.Equal(t, types.ASSET_STATUS_PENDING, f.asset(t, squat).Status, "the loser stays pending until an examiner rejects it")
	f.check(t)

	// Rejecting it costs the applicant: a squat is no longer free.
	scoreBefore := f.score(t, stranger)
	_, err = f.msgs.Reject(f.ctx, &types.MsgReject{Examiner: examiner.String(), AssetId: squat, Reason: "not the owner"})
	require.NoError(t, err)
	f.check(t)
	require.Equal(t, scoreBefore-credittypes.PointsPerRejection, f.score(t, stranger))
	require.Equal(t, types.ASSET_STATUS_ACTIVE, f.asset(t, mine).Status)
}

// TestApprovedVINFreedByRedemption: a pending application left standing
// when another was approved can be approved once that asset is redeemed.
func TestApprovedVINFreedByRedemption(t *testing.T) {
	f := setup(t)
	later, err := f.applyVehicle(buyer.String(), carVIN)
	require.NoError(t, err)
	first := f.activeCar(t)
	_, err = f.msgs.Redeem(f.ctx, &types.MsgRedeem{Owner: owner.String(), AssetId: first})
	require.NoError(t, err)
	f.check(t)
	_, err = f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: examiner.String(), AssetId: later, Valuation: coin(40_000), EvidenceHash: hash2})
	require.NoError(t, err)
	f.check(t)
	require.Equal(t, types.ASSET_STATUS_ACTIVE, f.asset(t, later).Status)
}

// TestRejectionsCloseTheApplyGate: each rejection lowers the applicant's
// score until the apply gate stops it; spamming examiners has a price.
func TestRejectionsCloseTheApplyGate(t *testing.T) {
	f := setup(t)
	// 500 - 5 x 50 = 250 < min_score_apply 300.
	for i := range 5 {
		resp, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: stranger.String(), Kind: types.ASSET_KIND_RECEIVABLE,
			Description: "invoice", EvidenceHashes: []string{hash1}})
		require.NoError(t, err, "application %d", i+1)
		_, err = f.msgs.Reject(f.ctx, &types.MsgReject{Examiner: examiner.String(), AssetId: resp.AssetId, Reason: "forged"})
		require.NoError(t, err)
		f.check(t)
	}
	require.Equal(t, uint32(250), f.score(t, stranger))
	before := f.snapshot(t)
	_, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: stranger.String(), Kind: types.ASSET_KIND_RECEIVABLE,
		Description: "invoice", EvidenceHashes: []string{hash1}})
	require.ErrorIs(t, err, credittypes.ErrScoreTooLow)
	require.Equal(t, before, f.snapshot(t))
}

// TestPendingApplicationsAreBounded: an applicant holds at most
// max_pending_per_owner pending applications and one per VIN.
func TestPendingApplicationsAreBounded(t *testing.T) {
	f := setup(t)
	params, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	params.MaxPendingPerOwner = 2
	require.NoError(t, f.k.Params.Set(f.ctx, params))
	otherVIN := vehicletestutil.VIN(2)
	_, err = f.vehicle.RecordBatch(f.ctx, "acme", reporter, []vehicletypes.RecordInput{{
		Vin: otherVIN, Kind: vehicletypes.RECORD_KIND_MILEAGE, OdometerKm: 1_000, OccurredAt: start.Add(-time.Hour),
	}})
	require.NoError(t, err)

	_, err = f.applyVehicle(owner.String(), carVIN)
	require.NoError(t, err)
	before := f.snapshot(t)
	_, err = f.applyVehicle(upper(owner), carVIN)
	require.ErrorIs(t, err, types.ErrVINHasAsset, "one pending application per applicant and VIN, however the applicant spells itself")
	require.Equal(t, before, f.snapshot(t))

	_, err = f.applyVehicle(owner.String(), otherVIN)
	require.NoError(t, err)
	before = f.snapshot(t)
	_, err = f.msgs.Apply(f.ctx, &types.MsgApply{Owner: owner.String(), Kind: types.ASSET_KIND_RECEIVABLE,
		Description: "invoice", EvidenceHashes: []string{hash1}})
	require.ErrorIs(t, err, types.ErrTooManyPending)
	require.Equal(t, before, f.snapshot(t))
	f.check(t)

	// Others are not limited by the owner's applications.
	_, err = f.applyVehicle(buyer.String(), carVIN)
	require.NoError(t, err)
	f.check(t)
}

// TestUpperCaseSignerIsItsAccount: an address spelled in upper case names
// the same account; it is stored in its one canonical (lower-case) spelling,
// so the owner may act on it whichever spelling either message used.
func TestUpperCaseSignerIsItsAccount(t *testing.T) {
	f := setup(t)
	resp, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: upper(owner), Kind: types.ASSET_KIND_RECEIVABLE,
		Description: "invoice", EvidenceHashes: []string{hash1}})
	require.NoError(t, err)
	id := resp.AssetId
	require.Equal(t, owner.String(), f.asset(t, id).Owner)
	_, err = f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: upper(examiner), AssetId: id, Valuation: coin(20_000), EvidenceHash: hash2})
	require.NoError(t, err)
	require.Equal(t, examiner.String(), f.asset(t, id).Valuations[0].Examiner)
	_, err = f.msgs.List(f.ctx, &types.MsgList{Owner: owner.String(), AssetId: id, Price: coin(5)})
	require.NoError(t, err)
	_, err = f.msgs.Unlist(f.ctx, &types.MsgUnlist{Owner: upper(owner), AssetId: id})
	require.NoError(t, err)

	off, err := f.msgs.OfferLoan(f.ctx, &types.MsgOfferLoan{Lender: upper(lender), AssetId: id, Borrower: upper(owner),
		Principal: coin(1_000), InterestRateBps: 1_000, Term: 24 * time.Hour})
	require.NoError(t, err)
	l := f.loan(t, off.LoanId)
	require.Equal(t, []string{lender.String(), owner.String()}, []string{l.Lender, l.Borrower})
	_, err = f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: off.LoanId})
	require.NoError(t, err)
	f.check(t)
	_, err = f.msgs.Repay(f.ctx, &types.MsgRepay{Borrower: upper(owner), LoanId: off.LoanId})
	require.NoError(t, err)
	f.check(t)
	loans, err := f.queries.AccountLoans(f.ctx, &types.QueryAccountLoansRequest{Address: owner.String()})
	require.NoError(t, err)
	require.Len(t, loans.Loans, 1)
}

// TestEscrowReleasedWhateverTheLenderSpelling: the lien registry stores a
// lender's canonical spelling, so an escrow that named its lender in upper
// case still finds and releases its own lien when paying the title out.
func TestEscrowReleasedWhateverTheLenderSpelling(t *testing.T) {
	f := setup(t)
	id := f.activeCar(t)
	escrow := authtypes.NewModuleAddress("htlc").String()
	holder := vehicletypes.LienHolder{Module: "htlc", Lender: upper(buyer), Reference: "htlc/1"}
	require.NoError(t, f.k.EscrowTitle(f.ctx, id, upper(owner), escrow, holder))
	require.Equal(t, escrow, f.asset(t, id).Owner)
	f.check(t)
	require.NoError(t, f.k.ReleaseTitle(f.ctx, id, escrow, upper(buyer), holder))
	require.Equal(t, buyer.String(), f.asset(t, id).Owner)
	_, held, err := f.vehicle.ActiveLien(f.ctx, carVIN)
	require.NoError(t, err)
	require.False(t, held, "the escrow's lien was released")
	f.check(t)
}
