package keeper_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/x/asset/types"
	vehiclekeeper "github.com/vinhub/vinhub/x/vehicle/keeper"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// Lien squatting: a reporter of a bound dealer takes a lien on a car that is
// registered and owned on the hub, and the owner can no longer sell,
// transfer, pledge or redeem it. These tests run the attack and its remedies
// against the asset lifecycle, with the invariants checked after every step.

// squatter is a dealer on a dealer chain whose reporter wants a lien on a car it does not own.
var squatter = vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: stranger.String(), Reference: "9"}

// authorizeLien has signer consent, on the hub, to squatter's lien on carVIN.
func (f *fixture) authorizeLien(signer string) error {
	_, err := vehiclekeeper.NewMsgServerImpl(f.vehicle).AuthorizeLien(f.ctx, &vehicletypes.MsgAuthorizeLien{
		Owner: signer, Vin: carVIN, ChainId: squatter.ChainId, DealerId: squatter.DealerId,
	})
	return err
}

// forceRelease releases a lien through governance's MsgForceReleaseLien.
func (f *fixture) forceRelease(lienID uint64, reason string) error {
	_, err := vehiclekeeper.NewMsgServerImpl(f.vehicle).ForceReleaseLien(f.ctx, &vehicletypes.MsgForceReleaseLien{
		Authority: authtypes.NewModuleAddress("gov").String(), LienId: lienID, Reason: reason,
	})
	return err
}

// TestDealerLienOnOwnedCarNeedsConsent: without the owner's consent the
// registry refuses the squatter, changing nothing, and the owner goes on
// pledging, repaying, selling; the buyer transfers and the last owner redeems.
func TestDealerLienOnOwnedCarNeedsConsent(t *testing.T) {
	f := setup(t)
	id := f.activeCar(t)
	before := f.snapshot(t)
	_, err := f.vehicle.GrantLien(f.ctx, carVIN, squatter)
	require.ErrorIs(t, err, vehicletypes.ErrLienNotAuthorized)
	require.ErrorContains(t, err, "has not authorized a lien by dealer \"acme\"")
	require.Equal(t, before, f.snapshot(t), "the refusal changes nothing")
	f.check(t)

	steps := []struct {
		name string
		run  func() error
	}{
		{"pledge", func() error {
			_, err := f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: f.offer(t, id, owner)})
			return err
		}},
		{"repay", func() error {
			_, err := f.msgs.Repay(f.ctx, &types.MsgRepay{Borrower: owner.String(), LoanId: 1})
			return err
		}},
		{"list", func() error {
			_, err := f.msgs.List(f.ctx, &types.MsgList{Owner: owner.String(), AssetId: id, Price: coin(30_000)})
			return err
		}},
		{"buy", func() error {
			_, err := f.msgs.Buy(f.ctx, &types.MsgBuy{Buyer: buyer.String(), AssetId: id, Price: coin(30_000)})
			return err
		}},
		{"transfer", func() error {
			_, err := f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: buyer.String(), AssetId: id, Recipient: stranger.String()})
			return err
		}},
		{"redeem", func() error {
			_, err := f.msgs.Redeem(f.ctx, &types.MsgRedeem{Owner: stranger.String(), AssetId: id})
			return err
		}},
	}
	for _, step := range steps {
		require.NoError(t, step.run(), step.name)
		f.check(t)
	}
}

// TestOwnerConsentLetsDealerLienIn: the owner's consent lets exactly one lien
// by that dealer in; a consent the owner gave before selling the car does not
// count for the buyer's car.
func TestOwnerConsentLetsDealerLienIn(t *testing.T) {
	f := setup(t)
	id := f.activeCar(t)
	require.ErrorIs(t, f.authorizeLien(stranger.String()), vehicletypes.ErrNotVehicleOwner, "only the owner consents")
	require.NoError(t, f.authorizeLien(owner.String()))
	f.check(t)

	lien, err := f.vehicle.GrantLien(f.ctx, carVIN, squatter)
	require.NoError(t, err)
	require.Equal(t, owner.String(), lien.AuthorizedBy)
	f.check(t)
	// The lien follows the car, as any lien held elsewhere does.
	_, err = f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: owner.String(), AssetId: id, Recipient: buyer.String()})
	require.ErrorIs(t, err, vehicletypes.ErrLienHeld)
	_, err = f.vehicle.ReleaseLien(f.ctx, lien.Id, squatter, "repaid")
	require.NoError(t, err)

	// A consent given, then the car sold: the buyer never consented.
	require.NoError(t, f.authorizeLien(owner.String()))
	_, err = f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: owner.String(), AssetId: id, Recipient: buyer.String()})
	require.NoError(t, err)
	f.check(t)
	_, err = f.vehicle.GrantLien(f.ctx, carVIN, squatter)
	require.ErrorIs(t, err, vehicletypes.ErrLienNotAuthorized)
	require.ErrorContains(t, err, "a former owner")
	f.check(t)
}

// TestConsentEndsWithTheOwnership: a consent belongs to one ownership of one
// asset. Sold and bought back, the owner is the same account but the title
// moved after the consent; redeemed and applied for again, the VIN backs
// another asset. Either way the old consent no longer lets a dealer lien in.
func TestConsentEndsWithTheOwnership(t *testing.T) {
	f := setup(t)
	id := f.activeCar(t)
	require.NoError(t, f.authorizeLien(owner.String()))
	a, err := f.k.GetAsset(f.ctx, id)
	require.NoError(t, err)
	require.Zero(t, a.TitleMovedHeight, "an applied title has not moved")

	_, err = f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: owner.String(), AssetId: id, Recipient: buyer.String()})
	require.NoError(t, err)
	f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1)
	_, err = f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: buyer.String(), AssetId: id, Recipient: strings.ToUpper(owner.String())})
	require.NoError(t, err)
	a, err = f.k.GetAsset(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, owner.String(), a.Owner)
	require.Equal(t, f.ctx.BlockHeight(), a.TitleMovedHeight)
	_, err = f.vehicle.GrantLien(f.ctx, carVIN, squatter)
	require.ErrorIs(t, err, vehicletypes.ErrLienNotAuthorized, "sold and bought back")
	require.ErrorContains(t, err, "changed hands at height")
	f.check(t)

	// Redeemed and applied for again: the VIN now backs another asset.
	f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1)
	require.NoError(t, f.authorizeLien(owner.String()))
	_, err = f.msgs.Redeem(f.ctx, &types.MsgRedeem{Owner: owner.String(), AssetId: id})
	require.NoError(t, err)
	again := f.activeCar(t)
	require.NotEqual(t, id, again)
	_, err = f.vehicle.GrantLien(f.ctx, carVIN, squatter)
	require.ErrorIs(t, err, vehicletypes.ErrLienNotAuthorized, "redeemed and re-registered")
	require.ErrorContains(t, err, "was given for hub asset")
	f.check(t)

	require.NoError(t, f.authorizeLien(owner.String()))
	lien, err := f.vehicle.GrantLien(f.ctx, carVIN, squatter)
	require.NoError(t, err, "a consent given afresh counts")
	require.Equal(t, owner.String(), lien.AuthorizedBy)
	f.check(t)
}

// TestForceReleaseFreesSquattedCar: a lien taken before the car was
// registered on the hub (there was no owner to ask) blocks the owner; the
// dealer never releases it. Governance force-releases it with a reason kept
// on the lien, and the owner can pledge, sell and redeem again.
func TestForceReleaseFreesSquattedCar(t *testing.T) {
	f := setup(t)
	squat, err := f.vehicle.GrantLien(f.ctx, carVIN, squatter)
	require.NoError(t, err, "no hub asset yet: nobody to ask")
	id := f.activeCar(t)
	loanID := f.offer(t, id, owner)
	_, err = f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: loanID})
	require.ErrorIs(t, err, vehicletypes.ErrLienHeld)
	_, err = f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: owner.String(), AssetId: id, Recipient: buyer.String()})
	require.ErrorIs(t, err, vehicletypes.ErrLienHeld)
	_, err = f.msgs.Redeem(f.ctx, &types.MsgRedeem{Owner: owner.String(), AssetId: id})
	require.ErrorIs(t, err, vehicletypes.ErrLienHeld)
	f.check(t)

	require.NoError(t, f.forceRelease(squat.Id, "lien taken in bad faith on a car the dealer never financed"))
	f.check(t)
	released, err := f.vehicle.Lien(f.ctx, squat.Id)
	require.NoError(t, err)
	require.Equal(t, vehicletypes.LIEN_STATUS_RELEASED, released.Status)
	require.Equal(t, "lien taken in bad faith on a car the dealer never financed", released.ReleaseReason)
	require.Equal(t, authtypes.NewModuleAddress("gov").String(), released.ReleasedBy)

	_, err = f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
	_, err = f.msgs.Repay(f.ctx, &types.MsgRepay{Borrower: owner.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
	_, err = f.msgs.Redeem(f.ctx, &types.MsgRedeem{Owner: owner.String(), AssetId: id})
	require.NoError(t, err)
	f.check(t)
}

// TestForceReleaseRefusedForLoanLien: governance cannot force-release the
// lien behind a hub loan: the pledged asset would lose its lien
// (PledgedAssetsHaveLiens) while the loan runs. The refusal changes nothing;
// the loan ends as loans do.
func TestForceReleaseRefusedForLoanLien(t *testing.T) {
	f := setup(t)
	_, loanID := f.pledged(t)
	lienID := f.loan(t, loanID).LienId
	before := f.snapshot(t)
	require.ErrorIs(t, f.forceRelease(lienID, "court order"), vehicletypes.ErrLienHeldByModule)
	require.Equal(t, before, f.snapshot(t), "the refusal changes nothing")
	f.check(t)

	_, err := f.msgs.Repay(f.ctx, &types.MsgRepay{Borrower: owner.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
}
