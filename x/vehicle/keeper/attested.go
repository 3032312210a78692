package keeper

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// CheckDealer returns nil if dealerID is registered and active, else
// ErrUnknownDealer or ErrDealerRevoked.
func (k Keeper) CheckDealer(ctx context.Context, dealerID string) error {
	dealer, err := k.getDealer(ctx, dealerID)
	if err != nil {
		return err
	}
	if !dealer.Active {
		return errorsmod.Wrapf(types.ErrDealerRevoked, "dealer %q", dealerID)
	}
	return nil
}

// AppendAttestedRecord appends a record that a notary committee attested
// from dealerID's non-IBC ledger (x/notary calls it once the attestation
// is final). It goes through the same validation and flagging as records
// from reporters and IBC; the origin says which ledger row and which
// attestation carried it. Duplicates never reach here: x/notary executes
// one attestation per (ledger, record reference).
func (k Keeper) AppendAttestedRecord(ctx context.Context, dealerID string, in types.RecordInput, origin types.LedgerOrigin) (types.Record, error) {
	if err := k.CheckDealer(ctx, dealerID); err != nil {
		return types.Record{}, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.Record{}, fmt.Errorf("vehicle params: %w", err)
	}
	vin, err := k.ValidateRecord(in, dealerID, sdk.UnwrapSDKContext(ctx).BlockTime(), params)
	if err != nil {
		return types.Record{}, err
	}
	if err := k.CheckSealedRecipients(ctx, in, true); err != nil {
		return types.Record{}, err
	}
	return k.AppendRecord(ctx, types.Record{DealerId: dealerID, Input: in, LedgerOrigin: &origin}, vin, params)
}
