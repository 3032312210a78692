package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/htlc/types"
	vehiclekeeper "github.com/vinhub/vinhub/x/vehicle/keeper"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// TestSwapTitleMovesWriteOwnershipRecords: a swap's escrow, claim and
// refund each move the car's title, so each appends an ownership record to
// the VIN's history naming the HTLC; the history query joins in the escrow's
// lien, taken at the lock and released at the settlement.
func TestSwapTitleMovesWriteOwnershipRecords(t *testing.T) {
	for _, tc := range settlements {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			secret := newSecret(t)
			car := f.car(t)
			id := f.lockTitle(t, car, secret)
			require.NoError(t, tc.run(f, id, secret.String()))

			res, err := vehiclekeeper.NewQueryServerImpl(f.vehicle).History(f.ctx, &vehicletypes.QueryHistoryRequest{
				Vin: carVIN, Kind: vehicletypes.RECORD_KIND_OWNERSHIP_TRANSFER})
			require.NoError(t, err)
			ref := "htlc/" + id
			require.Len(t, res.Records, 2)
			require.Equal(t, vehicletypes.TitleOrigin{Module: types.ModuleName, Reference: ref, AssetId: car,
				From: seller.String(), To: escrow.String(), Cause: vehicletypes.TITLE_CAUSE_SWAP_ESCROW}, *res.Records[0].TitleOrigin)
			require.Equal(t, vehicletypes.TitleOrigin{Module: types.ModuleName, Reference: ref, AssetId: car,
				From: escrow.String(), To: tc.owner, Cause: tc.cause}, *res.Records[1].TitleOrigin)

			require.Len(t, res.Liens, 1, "the escrow's lien is joined into the history")
			require.Equal(t, ref, res.Liens[0].Holder.Reference)
			require.Equal(t, vehicletypes.LIEN_STATUS_RELEASED, res.Liens[0].Status)
		})
	}
}
