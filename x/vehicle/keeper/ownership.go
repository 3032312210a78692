package keeper

import (
	"context"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// AppendOwnershipRecord appends the RECORD_KIND_OWNERSHIP_TRANSFER record of
// a title move on the hub (x/asset calls it wherever a vehicle asset's title
// changes owner, x/htlc's escrow moves included). The record goes through
// the same validation as every other record; it is dated at the block, reads
// no odometer, and names no dealer or reporter: origin says which module
// moved the title and why.
func (k Keeper) AppendOwnershipRecord(ctx context.Context, vin string, origin types.TitleOrigin) (types.Record, error) {
	if err := origin.Validate(); err != nil {
		return types.Record{}, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.Record{}, fmt.Errorf("vehicle params: %w", err)
	}
	blockTime := sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	in := types.RecordInput{Vin: vin, Kind: types.RECORD_KIND_OWNERSHIP_TRANSFER, OccurredAt: blockTime, Description: origin.Describe()}
	parsed, err := k.ValidateRecord(in, "", blockTime, params)
	if err != nil {
		return types.Record{}, err
	}
	return k.AppendRecord(ctx, types.Record{Input: in, TitleOrigin: &origin}, parsed, params)
}
