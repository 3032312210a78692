package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/asset/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// squatter is a dealer on a dealer chain whose reporter wants a lien on a car it does not own.
var squatter = vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: stranger.String(), Reference: "9"}

// TestDealerLienOnOwnedCarNeedsConsent: a dealer asks for a lien on a car
// registered and owned on the hub. Without the owner's consent the registry
// refuses it, so the owner can still sell, transfer, pledge and redeem.
func TestDealerLienOnOwnedCarNeedsConsent(t *testing.T) {
	f := setup(t)
	id := f.activeCar(t)
	before := f.snapshot(t)
	_, err := f.vehicle.GrantLien(f.ctx, carVIN, squatter)
	require.Error(t, err, "a dealer lien on a hub asset needs its owner's consent")
	require.Equal(t, before, f.snapshot(t), "the refusal changes nothing")
	f.check(t)

	_, err = f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: owner.String(), AssetId: id, Recipient: buyer.String()})
	require.NoError(t, err, "the owner can still move the car")
	f.check(t)
}
