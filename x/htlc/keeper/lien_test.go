package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/htlc/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// settlements are the three ways an escrowed title leaves the escrow: to
// owner, moved for cause.
var settlements = []struct {
	name  string
	run   func(f *fixture, id string, secret string) error
	owner string
	cause vehicletypes.TitleCause
}{
	{"claim", func(f *fixture, id, secret string) error {
		_, err := f.msgs.Claim(f.ctx, &types.MsgClaim{Claimer: stranger.String(), Id: id, Secret: secret})
		return err
	}, buyer.String(), vehicletypes.TITLE_CAUSE_SWAP_CLAIM},
	{"refund", func(f *fixture, id, _ string) error {
		f.advance(2 * time.Hour)
		_, err := f.msgs.Refund(f.ctx, &types.MsgRefund{Signer: stranger.String(), Id: id})
		return err
	}, seller.String(), vehicletypes.TITLE_CAUSE_SWAP_REFUND},
	{"end-block refund", func(f *fixture, _, _ string) error {
		f.advance(2 * time.Hour)
		return f.k.EndBlocker(f.ctx)
	}, seller.String(), vehicletypes.TITLE_CAUSE_SWAP_REFUND},
}

// TestEscrowedTitleHoldsTheLien: while a car's title waits in an HTLC the
// hub's lien registry shows the VIN held by the htlc module, so a lender on
// a dealer chain cannot pledge the car under the buyer; the claim or the
// refund releases the lien with the title.
func TestEscrowedTitleHoldsTheLien(t *testing.T) {
	for _, tc := range settlements {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			secret := newSecret(t)
			car := f.car(t)
			id := f.lockTitle(t, car, secret)

			lien, held, err := f.vehicle.ActiveLien(f.ctx, carVIN)
			require.NoError(t, err)
			require.True(t, held, "the escrow holds the VIN's lien")
			require.Equal(t, vehicletypes.LienHolder{Module: types.ModuleName, Lender: buyer.String(), Reference: "htlc/" + id}, lien.Holder)

			dealer := vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: lender.String(), Reference: "9"}
			_, err = f.vehicle.GrantLien(f.ctx, carVIN, dealer)
			require.ErrorIs(t, err, vehicletypes.ErrLienHeld)
			require.ErrorContains(t, err, "module htlc on the hub")

			require.NoError(t, tc.run(f, id, secret.String()))
			require.Equal(t, tc.owner, f.owner(t, car))
			_, held, err = f.vehicle.ActiveLien(f.ctx, carVIN)
			require.NoError(t, err)
			require.False(t, held, "the lien went with the escrow")
			released, err := f.vehicle.Lien(f.ctx, lien.Id)
			require.NoError(t, err)
			require.Equal(t, vehicletypes.LIEN_STATUS_RELEASED, released.Status)
		})
	}
}
